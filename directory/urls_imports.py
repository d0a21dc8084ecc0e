"""Routes of the imports feature (included by directory/urls.py, namespace "directory")."""

urlpatterns: list = []
