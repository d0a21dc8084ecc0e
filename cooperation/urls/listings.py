"""Routes of the catalogue of offers and needs (namespace "cooperation")."""

from django.urls import path

from cooperation.views import listings as views

urlpatterns = [
    path("catalogue/<int:listing_id>/", views.listing_detail, name="listing_detail"),
]
