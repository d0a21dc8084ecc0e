"""Routes of the alerts feature (namespace "cooperation")."""

from django.urls import path

from cooperation.views import alerts as views

urlpatterns = [
    path("espace/alertes/", views.alert_preferences, name="alert_preferences"),
]
