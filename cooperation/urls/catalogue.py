"""Routes of the catalogue feature (namespace "cooperation")."""

from django.urls import path

from cooperation.views import catalogue as views

urlpatterns = [
    path("catalogue/", views.catalogue, name="catalogue"),
    path("catalogue/carte.geojson", views.catalogue_map, name="catalogue_map"),
    path("catalogue/flux/", views.LatestListingsFeed(), name="catalogue_feed"),
    path(
        "catalogue/<int:listing_id>/photos/<int:photo_id>/",
        views.listing_photo,
        name="listing_photo",
    ),
]
