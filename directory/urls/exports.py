"""Routes of the exports feature (namespace "directory").

The public CSV and GeoJSON are the API's list in another format (/api/v1/actors/?format=csv).
"""

from django.urls import path

from directory.views import exports

urlpatterns = [
    path(
        "animation/reseaux/<slug:network_slug>/export.xlsx",
        exports.network_export_xlsx,
        name="network_export_xlsx",
    ),
]
