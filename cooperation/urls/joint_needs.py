"""Routes of the joint_needs feature (namespace "cooperation"): POST only, from the
listing's page."""

from django.urls import path

from cooperation.views import joint_needs as views

urlpatterns = [
    path(
        "espace/annonces/<int:listing_id>/groupe/ouvrir/",
        views.joint_need_open,
        name="joint_need_open",
    ),
    path(
        "espace/annonces/<int:listing_id>/groupe/habitants/",
        views.joint_need_inhabitants,
        name="joint_need_inhabitants",
    ),
    path("catalogue/<int:listing_id>/rejoindre/", views.joint_need_join, name="joint_need_join"),
    path("catalogue/<int:listing_id>/quitter/", views.joint_need_leave, name="joint_need_leave"),
]
