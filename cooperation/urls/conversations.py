"""Routes of the conversations feature (namespace "cooperation")."""

urlpatterns: list = []
