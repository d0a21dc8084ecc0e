"""Routes of /api/v1/ (included without a namespace by ess_platform/urls.py)."""

from django.urls import path

from directory.api import map as map_views
from directory.api import views

urlpatterns = [
    path("actors/", views.ActorListView.as_view(), name="api-actor-list"),
    path("actors/<slug:slug>/", views.ActorDetailView.as_view(), name="api-actor-detail"),
    path("sectors/", views.SectorListView.as_view(), name="api-sector-list"),
    path("map/actors/", map_views.MapActorsView.as_view(), name="api-map-actors"),
    path(
        "map/actors/<int:pk>/", map_views.MapActorDetailView.as_view(), name="api-map-actor-detail"
    ),
    path("map/places/", map_views.PlacesView.as_view(), name="api-map-places"),
]
