"""Routes of the conversations feature (namespace "cooperation")."""

from django.urls import path

from cooperation.views import conversations as views

urlpatterns = [
    path("espace/messages/", views.conversation_list, name="conversation_list"),
    path(
        "espace/messages/<int:conversation_id>/",
        views.conversation_detail,
        name="conversation_detail",
    ),
    path(
        "espace/messages/<int:conversation_id>/<slug:action>/",
        views.conversation_action,
        name="conversation_action",
    ),
    path("catalogue/<int:listing_id>/contacter/", views.listing_contact, name="listing_contact"),
    path("acteurs/<slug:slug>/contacter/", views.actor_contact, name="actor_contact"),
]
