"""Routes of the freshness feature (namespace "directory")."""

from django.urls import path

from directory.views import freshness as views

urlpatterns = [
    path(
        "acteurs/<slug:slug>/confirmer/<str:token>/",
        views.freshness_confirm,
        name="freshness_confirm",
    ),
    path(
        "acteurs/<slug:slug>/mettre-a-jour/<str:token>/",
        views.freshness_update,
        name="freshness_update",
    ),
]
