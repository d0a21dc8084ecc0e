"""Routes of the network feature: the review queue, dashboard and policy (namespace "directory")."""

from django.urls import path

from directory.views import network as views

urlpatterns = [
    path("animation/", views.review_list, name="review_list"),
    path(
        "animation/structures/<slug:slug>/statut/", views.actor_set_status, name="actor_set_status"
    ),
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
