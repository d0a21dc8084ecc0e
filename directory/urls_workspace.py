"""Routes of the workspace feature (included by directory/urls.py, namespace "directory")."""

from django.urls import path

from directory.views import workspace as views

urlpatterns = [
    path(
        "animation/reseaux/<slug:network_slug>/",
        views.workspace_dashboard,
        name="workspace_dashboard",
    ),
    path(
        "animation/reseaux/<slug:network_slug>/actions/",
        views.workspace_bulk_action,
        name="workspace_bulk_action",
    ),
    path(
        "animation/reseaux/<slug:network_slug>/politique/",
        views.workspace_policy,
        name="workspace_policy",
    ),
]
