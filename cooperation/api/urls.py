"""Routes of the catalogue under /api/v1/ (included without a namespace, beside the
directory's)."""

from django.urls import path

from cooperation.api import listings, matches

urlpatterns = [
    path("listings/", listings.ListingListView.as_view(), name="api-listing-list"),
    path("listings/<int:pk>/", listings.ListingDetailView.as_view(), name="api-listing-detail"),
    path(
        "listings/<int:pk>/matches/",
        matches.ListingMatchesView.as_view(),
        name="api-listing-matches",
    ),
]
