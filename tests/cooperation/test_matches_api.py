"""/api/v1/listings/{id}/matches/: the public matches of a live public listing, with reasons."""

import pytest
from django.urls import include, path

from cooperation.api.matches import ListingMatchesView
from tests.cooperation.test_matching import make_listing
from tests.factories import ActorFactory, MembershipFactory, UserFactory, sector

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

# The route as cooperation/api/urls.py declares it, before the site's own.
urlpatterns = [
    path(
        "api/v1/listings/<int:pk>/matches/",
        ListingMatchesView.as_view(),
        name="api-listing-matches",
    ),
    path("", include("ess_platform.urls")),
]


def url(listing) -> str:
    return f"/api/v1/listings/{listing.pk if hasattr(listing, 'pk') else listing}/matches/"


@pytest.fixture
def need(actor, network, reze):
    actor.sectors.set([sector("recyclerie")])
    lender = ActorFactory(
        network=network, commune=reze, name="Ressourcerie de Rezé", sectors=[sector("recyclerie")]
    )
    make_listing(lender, title="Un camion à prêter")
    make_listing(lender, title="Un camion du réseau", visibility="network")
    return make_listing(actor, kind="need", title="Un camion pour une collecte")


def test_the_public_matches_with_their_score_and_reasons(client, need):
    response = client.get(url(need))

    assert response.status_code == 200
    body = response.json()
    assert body["listing"] == need.pk
    [offer] = body["listings"]  # never the members-only offer
    assert offer["listing"]["title"] == "Un camion à prêter"
    assert offer["listing"]["actor"] == "Ressourcerie de Rezé"
    assert offer["listing"]["url"].startswith("http://testserver/")
    assert offer["reasons"][0] == "même secteur : Recyclerie et ressourcerie"
    assert offer["score"] > 0 and offer["distance_km"] < 5
    [structure] = body["actors"]
    assert structure["actor"]["name"] == "Ressourcerie de Rezé"
    assert structure["reasons"][0] == "même secteur : Recyclerie et ressourcerie"


@pytest.mark.parametrize(
    "change",
    [{"visibility": "network"}, {"status": "draft"}, {"status": "fulfilled"}],
    ids=["members-only", "draft", "closed"],
)
def test_only_a_live_public_listing_answers(client, need, member, change):
    for name, value in change.items():
        setattr(need, name, value)
    need.save()

    assert client.get(url(need)).status_code == 404
    client.force_login(member)  # its own members too: the API serves public data only
    assert client.get(url(need)).status_code == 404


def test_an_unknown_or_impossible_number_is_not_found(client, db):
    assert client.get(url(999999)).status_code == 404
    assert client.get(url(2**70)).status_code == 404


def test_a_members_only_match_stays_hidden_even_from_its_network(client, need, network):
    insider = MembershipFactory(
        actor=ActorFactory(network=network), user=UserFactory(username="insider")
    ).user
    client.force_login(insider)

    titles = [m["listing"]["title"] for m in client.get(url(need)).json()["listings"]]

    assert titles == ["Un camion à prêter"]


def test_the_schema_describes_the_matches(client, db):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json")

    assert schema.status_code == 200
    operation = schema.json()["paths"]["/api/v1/listings/{id}/matches/"]["get"]
    assert "200" in operation["responses"] and "404" in operation["responses"]
