"""Routes for search engines: robots.txt and the sitemap (namespace "directory")."""

from django.contrib.sitemaps import views as sitemaps
from django.urls import path

from directory.sitemaps import SITEMAPS
from directory.views import seo as views

urlpatterns = [
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path(
        "sitemap.xml",
        sitemaps.index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "directory:sitemap_actors"},
        name="sitemap",
    ),
    # One fixed address per section (the index reverses it with the section's name).
    path(
        "sitemap-acteurs.xml",
        sitemaps.sitemap,
        {"sitemaps": SITEMAPS, "section": "acteurs"},
        name="sitemap_actors",
    ),
]
