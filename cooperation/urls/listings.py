"""Routes of the catalogue of offers and needs (namespace "cooperation")."""

from django.urls import path

from cooperation.views import listings as views

urlpatterns = [
    path("catalogue/<int:listing_id>/", views.listing_detail, name="listing_detail"),
    path("espace/structures/<slug:slug>/annonces/", views.actor_listings, name="actor_listings"),
    path(
        "espace/structures/<slug:slug>/annonces/nouvelle/",
        views.listing_create,
        name="listing_create",
    ),
    path("espace/annonces/<int:listing_id>/modifier/", views.listing_edit, name="listing_edit"),
    # Before the moves' route, whose <slug:move> would take "photos".
    path(
        "espace/annonces/<int:listing_id>/photos/",
        views.listing_photo_add,
        name="listing_photo_add",
    ),
    path(
        "espace/annonces/<int:listing_id>/photos/<int:photo_id>/retirer/",
        views.listing_photo_delete,
        name="listing_photo_delete",
    ),
    path(
        "espace/annonces/<int:listing_id>/<slug:move>/",
        views.listing_move,
        name="listing_move",
    ),
]
