"""Routes of the territory_needs feature (namespace "cooperation")."""

from django.urls import path

from cooperation.views import territory_needs as views

urlpatterns = [
    path("besoins-du-territoire/", views.territory_need_list, name="territory_need_list"),
    path(
        "besoins-du-territoire/nouveau/",
        views.territory_need_create,
        name="territory_need_create",
    ),
    path(
        "besoins-du-territoire/<int:need_id>/",
        views.territory_need_detail,
        name="territory_need_detail",
    ),
    path(
        "besoins-du-territoire/<int:need_id>/soutenir/",
        views.territory_need_support,
        name="territory_need_support",
    ),
    path(
        "besoins-du-territoire/<int:need_id>/retirer-mon-soutien/",
        views.territory_need_unsupport,
        name="territory_need_unsupport",
    ),
    path(
        "espace/reseaux/<slug:network_slug>/besoins-du-territoire/",
        views.territory_need_review,
        name="territory_need_review",
    ),
    path(
        "espace/reseaux/<slug:network_slug>/besoins-du-territoire/<int:need_id>/suite/",
        views.territory_need_decide,
        name="territory_need_decide",
    ),
]
