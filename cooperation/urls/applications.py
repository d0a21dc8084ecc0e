"""Routes of the admission applications (namespace "cooperation")."""

from django.urls import path

from cooperation.views import applications as views

urlpatterns = [
    path(
        "espace/structures/<slug:slug>/candidature/",
        views.application_start,
        name="application_start",
    ),
    path(
        "espace/candidatures/<int:application_id>/",
        views.application_detail,
        name="application_detail",
    ),
    path(
        "espace/candidatures/<int:application_id>/reponses/",
        views.application_answers,
        name="application_answers",
    ),
    path(
        "espace/candidatures/<int:application_id>/retrait/",
        views.application_withdraw,
        name="application_withdraw",
    ),
    path(
        "espace/candidatures/<int:application_id>/complement/",
        views.application_information,
        name="application_information",
    ),
    path(
        "espace/candidatures/<int:application_id>/recours/",
        views.application_appeal,
        name="application_appeal",
    ),
    path(
        "espace/candidatures/<int:application_id>/justificatifs/<int:answer_id>/",
        views.evidence_download,
        name="evidence_download",
    ),
]
