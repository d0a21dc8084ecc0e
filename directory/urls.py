from django.urls import include, path

from directory.views import actors as views

app_name = "directory"

urlpatterns = [
    path("", views.home, name="home"),
    path("filieres.css", views.sector_styles, name="sector_styles"),
    path("acteurs/<slug:slug>/", views.actor_detail, name="actor_detail"),
    path("espace/", views.my_actors, name="my_actors"),
    path("espace/structures/nouvelle/", views.actor_create, name="actor_create"),
    path("espace/structures/doublons/", views.duplicate_check, name="duplicate_check"),
    path("espace/structures/valider/", views.actor_validate, name="actor_validate"),
    path("espace/structures/<slug:slug>/modifier/", views.actor_edit, name="actor_edit"),
    path("espace/structures/<slug:slug>/soumettre/", views.actor_submit, name="actor_submit"),
    path("espace/structures/<slug:slug>/confirmer/", views.actor_confirm, name="actor_confirm"),
    path("espace/structures/<slug:slug>/membres/", views.actor_members, name="actor_members"),
    path(
        "espace/structures/<slug:slug>/rejoindre/",
        views.join_request_create,
        name="join_request_create",
    ),
    path(
        "espace/demandes/<int:pk>/decision/", views.join_request_decide, name="join_request_decide"
    ),
    path("espace/invitations/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("animation/", views.review_list, name="review_list"),
    path(
        "animation/structures/<slug:slug>/statut/", views.actor_set_status, name="actor_set_status"
    ),
    # One URL module per feature (issue 4), included in the "directory" namespace.
    path("", include("directory.urls_freshness")),
    path("", include("directory.urls_corrections")),
    path("", include("directory.urls_workspace")),
    path("", include("directory.urls_imports")),
    path("", include("directory.urls_exports")),
]
