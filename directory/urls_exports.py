"""Routes of the exports feature (included by directory/urls.py, namespace "directory")."""

urlpatterns: list = []
