"""Routes of the review of applications (namespace "cooperation")."""

from django.urls import path

from cooperation.views import reviews as views

urlpatterns = [
    path(
        "espace/reseaux/<slug:network_slug>/candidatures/",
        views.review_queue,
        name="review_queue",
    ),
    path(
        "espace/reseaux/<slug:network_slug>/evaluateurs/",
        views.reviewer_list,
        name="reviewer_list",
    ),
    path(
        "espace/reseaux/<slug:network_slug>/evaluateurs/volontaire/",
        views.reviewer_volunteer,
        name="reviewer_volunteer",
    ),
    path(
        "espace/candidatures/<int:application_id>/evaluateurs/",
        views.application_assign,
        name="application_assign",
    ),
    path(
        "espace/candidatures/<int:application_id>/demande/",
        views.application_request_information,
        name="application_request_information",
    ),
    path(
        "espace/candidatures/<int:application_id>/decision/",
        views.application_decide,
        name="application_decide",
    ),
    path(
        "espace/candidatures/<int:application_id>/avis/",
        views.opinion_edit,
        name="opinion_edit",
    ),
    path(
        "espace/candidatures/<int:application_id>/visite/",
        views.visit_edit,
        name="visit_edit",
    ),
    path(
        "espace/engagements/<int:commitment_id>/tenu/",
        views.commitment_kept,
        name="commitment_kept",
    ),
    path(
        "espace/candidatures/<int:application_id>/conflit/",
        views.conflict_declare,
        name="conflict_declare",
    ),
]
