"""Routes of the alerts feature (namespace "cooperation")."""

urlpatterns: list = []
