"""Routes of the cooperations feature (namespace "cooperation")."""

urlpatterns: list = []
