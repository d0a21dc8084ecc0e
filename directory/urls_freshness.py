"""Routes of the freshness feature (included by directory/urls.py, namespace "directory")."""

urlpatterns: list = []
