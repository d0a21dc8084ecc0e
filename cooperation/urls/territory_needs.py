"""Routes of the territory_needs feature (namespace "cooperation")."""

urlpatterns: list = []
