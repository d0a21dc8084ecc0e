"""Routes of the catalogue feature (namespace "cooperation")."""

urlpatterns: list = []
