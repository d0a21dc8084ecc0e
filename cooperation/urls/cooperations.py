"""Routes of the cooperations feature (namespace "cooperation")."""

from django.urls import path

from cooperation.views import cooperations as views

urlpatterns = [
    # Two segments: "espace/annonces/<id>/<slug:move>/" (listings) would take a single one.
    path(
        "espace/annonces/<int:listing_id>/satisfaite/avec/",
        views.listing_fulfil,
        name="listing_fulfil",
    ),
    path(
        "espace/cooperations/<int:cooperation_id>/",
        views.cooperation_detail,
        name="cooperation_detail",
    ),
    path(
        "espace/cooperations/<int:cooperation_id>/confirmer/",
        views.cooperation_confirm,
        name="cooperation_confirm",
    ),
    path(
        "espace/cooperations/<int:cooperation_id>/contester/",
        views.cooperation_decline,
        name="cooperation_decline",
    ),
    path(
        "espace/cooperations/<int:cooperation_id>/affichage/",
        views.cooperation_visibility,
        name="cooperation_visibility",
    ),
    path(
        "espace/structures/<slug:slug>/cooperations/",
        views.actor_cooperations,
        name="actor_cooperations",
    ),
    path(
        "espace/reseaux/<slug:network_slug>/cooperations/",
        views.network_cooperations,
        name="network_cooperations",
    ),
    path(
        "espace/reseaux/<slug:network_slug>/cooperations.csv",
        views.network_cooperations_csv,
        name="network_cooperations_csv",
    ),
]
