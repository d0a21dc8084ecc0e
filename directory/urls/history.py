"""Routes of the history feature (namespace "directory")."""

from django.urls import path

from directory.views import history as views

urlpatterns = [
    path("espace/structures/<slug:slug>/historique/", views.actor_history, name="actor_history"),
]
