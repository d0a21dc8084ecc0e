"""What search engines find: robots.txt, the sitemap, and the error pages people land on."""

import re
from datetime import datetime, timedelta
from xml.etree import ElementTree

import pytest
from django.contrib.sites.models import Site
from django.test import Client
from django.urls import include, path, reverse
from django.utils import timezone

from directory import sitemaps
from directory.models import Status
from tests.factories import ActorFactory

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def site_url(path: str) -> str:
    return f"http://{Site.objects.get_current().domain}{path}"


def local_day(moment: datetime) -> str:
    return timezone.localtime(moment).date().isoformat()


def sitemap_entries(response) -> dict[str, str | None]:
    """address → lastmod of a sitemap page or of the sitemap index."""
    root = ElementTree.fromstring(response.content)  # noqa: S314 - our own sitemap
    return {entry.findtext(f"{SITEMAP}loc"): entry.findtext(f"{SITEMAP}lastmod") for entry in root}


@pytest.mark.django_db
def test_robots_txt_points_to_the_sitemap_and_keeps_crawlers_out_of_private_pages(client):
    response = client.get("/robots.txt")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    assert f"Sitemap: {site_url('/sitemap.xml')}" in lines
    for private in ("/admin/", "/comptes/", "/espace/", "/animation/"):
        assert f"Disallow: {private}" in lines
    assert "Disallow: /acteurs/" not in lines  # the public pages are what we want found


@pytest.mark.django_db
def test_the_sitemap_lists_published_actors_with_their_last_confirmation(client, network, nantes):
    confirmed = timezone.now() - timedelta(days=40)
    published = ActorFactory(network=network, commune=nantes, last_confirmed_at=confirmed)
    newer = ActorFactory(network=network, commune=nantes)
    hidden = [
        ActorFactory(network=network, commune=nantes, status=status)
        for status in (Status.DRAFT, Status.PENDING, Status.SUSPENDED)
    ]

    index = client.get("/sitemap.xml")
    assert index.status_code == 200
    assert index["Content-Type"] == "application/xml"
    page_url = site_url(reverse("directory:sitemap_actors"))
    ((listed_page, latest),) = sitemap_entries(index).items()
    assert listed_page == page_url
    assert datetime.fromisoformat(latest) == newer.last_confirmed_at
    response = client.get(reverse("directory:sitemap_actors"))

    assert response.status_code == 200
    entries = sitemap_entries(response)
    assert entries == {
        site_url(published.get_absolute_url()): local_day(confirmed),
        site_url(newer.get_absolute_url()): local_day(newer.last_confirmed_at),
    }
    assert not any(actor.slug in url for actor in hidden for url in entries)


@pytest.mark.django_db
def test_a_large_directory_is_split_into_pages_listed_by_the_index(
    client, network, nantes, monkeypatch, django_assert_max_num_queries
):
    monkeypatch.setattr(sitemaps.ActorSitemap, "limit", 2)
    actors = ActorFactory.create_batch(5, network=network, commune=nantes)
    page_url = site_url(reverse("directory:sitemap_actors"))

    index = client.get("/sitemap.xml")

    assert list(sitemap_entries(index)) == [page_url, f"{page_url}?p=2", f"{page_url}?p=3"]
    listed = []
    for page in (1, 2, 3):
        # One page costs the same whatever the size of the directory.
        with django_assert_max_num_queries(3):
            response = client.get(reverse("directory:sitemap_actors"), {"p": page})
        listed += list(sitemap_entries(response))
    assert listed == [site_url(actor.get_absolute_url()) for actor in actors]
    assert client.get(reverse("directory:sitemap_actors"), {"p": 4}).status_code == 404


# --- Error pages, with DEBUG off (as in the test settings) through Django's handlers --------


def _failing_view(request):
    raise RuntimeError("a bug")


urlpatterns = [path("panne/", _failing_view), path("", include("ess_platform.urls"))]


@pytest.mark.django_db
def test_a_missing_page_answers_404_in_french_in_the_site_layout(client):
    response = client.get("/acteurs/n-existe-pas/")

    assert response.status_code == 404
    html = response.content.decode()
    assert '<html lang="fr">' in html
    assert "<h1>Page introuvable</h1>" in html
    assert "css/site.css" in html
    assert f'href="{reverse("directory:home")}"' in html


@pytest.mark.urls(__name__)
def test_a_server_error_answers_500_in_french_without_the_database():
    """No database marker: any query would fail the test (the database may be what broke)."""
    client = Client(raise_request_exception=False)

    response = client.get("/panne/")

    assert response.status_code == 500
    html = response.content.decode()
    assert '<html lang="fr">' in html
    assert "<h1>Une erreur est survenue</h1>" in html
    assert "Réessayez dans quelques instants." in html
    assert re.search(r'<link rel="stylesheet" href="/static/css/site\.css">', html)
    assert f'href="{reverse("directory:home")}"' in html
