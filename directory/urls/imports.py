"""Routes of the imports feature (namespace "directory")."""

from django.urls import path

from directory.views import imports as views

PREFIX = "animation/reseaux/<slug:network_slug>/imports/"

urlpatterns = [
    path(PREFIX, views.import_upload, name="import_upload"),
    path(f"{PREFIX}<int:batch_id>/", views.import_detail, name="import_detail"),
    path(f"{PREFIX}<int:batch_id>/colonnes/", views.import_mapping, name="import_mapping"),
    path(f"{PREFIX}<int:batch_id>/lancer/", views.import_start, name="import_start"),
    path(f"{PREFIX}<int:batch_id>/progression/", views.import_progress, name="import_progress"),
]
