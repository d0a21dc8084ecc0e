"""Routes of the cooperation app, one module per feature, all in the "cooperation" namespace."""

from django.urls import include, path

app_name = "cooperation"

urlpatterns = [
    path("", include("cooperation.urls.applications")),
    path("", include("cooperation.urls.reviews")),
    path("", include("cooperation.urls.charters")),
    path("", include("cooperation.urls.listings")),
    path("", include("cooperation.urls.catalogue")),
    path("", include("cooperation.urls.alerts")),
    path("", include("cooperation.urls.conversations")),
    path("", include("cooperation.urls.cooperations")),
    path("", include("cooperation.urls.joint_needs")),
    path("", include("cooperation.urls.territory_needs")),
]
