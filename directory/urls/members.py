"""Routes of the members feature (namespace "directory")."""

from django.urls import path

from directory.views import members as views

urlpatterns = [
    path("espace/structures/<slug:slug>/membres/", views.actor_members, name="actor_members"),
    path(
        "espace/structures/<slug:slug>/rejoindre/",
        views.join_request_create,
        name="join_request_create",
    ),
    path(
        "espace/demandes/<int:pk>/decision/", views.join_request_decide, name="join_request_decide"
    ),
    path("espace/invitations/<str:token>/", views.invitation_accept, name="invitation_accept"),
]
