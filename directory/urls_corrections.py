"""Routes of the corrections feature (included by directory/urls.py, namespace "directory")."""

urlpatterns: list = []
