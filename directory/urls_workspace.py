"""Routes of the workspace feature (included by directory/urls.py, namespace "directory")."""

urlpatterns: list = []
