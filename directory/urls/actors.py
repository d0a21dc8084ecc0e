"""Routes of the actors feature (namespace "directory")."""

from django.urls import path

from directory.views import actors as views

urlpatterns = [
    path("", views.home, name="home"),
    path("filieres.css", views.sector_styles, name="sector_styles"),
    path("acteurs/<slug:slug>/", views.actor_detail, name="actor_detail"),
    path("espace/", views.my_actors, name="my_actors"),
    path("espace/accueil/", views.landing, name="landing"),
    path("espace/structures/nouvelle/", views.actor_create, name="actor_create"),
    path("espace/structures/doublons/", views.duplicate_check, name="duplicate_check"),
    path("espace/structures/valider/", views.actor_validate, name="actor_validate"),
    path("espace/structures/<slug:slug>/modifier/", views.actor_edit, name="actor_edit"),
    path("espace/structures/<slug:slug>/confirmer/", views.actor_confirm, name="actor_confirm"),
]
