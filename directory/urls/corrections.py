"""Routes of the corrections feature (namespace "directory")."""

from django.urls import path

from directory.views import corrections as views

urlpatterns = [
    path(
        "acteurs/<slug:slug>/signaler/",
        views.correction_report_create,
        name="correction_report_create",
    ),
    path(
        "espace/structures/<slug:slug>/signalements/",
        views.correction_report_list,
        name="correction_report_list",
    ),
    path(
        "espace/structures/<slug:slug>/signalements/<int:report_id>/decision/",
        views.correction_report_decide,
        name="correction_report_decide",
    ),
]
