"""Routes of the charters and admission rules (namespace "cooperation")."""

from django.urls import path

from cooperation.views import charters as views

urlpatterns = [
    path("reseaux/<slug:network_slug>/charte/", views.charter_detail, name="charter_detail"),
    path(
        "espace/reseaux/<slug:network_slug>/charte/",
        views.charter_edit,
        name="charter_edit",
    ),
    path(
        "espace/reseaux/<slug:network_slug>/regles-admission/",
        views.admission_policy_edit,
        name="admission_policy_edit",
    ),
]
