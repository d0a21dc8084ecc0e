"""/api/v1/listings/ and /api/v1/listings/{id}/: the catalogue's filters, paginated, and
never a members-only listing (nor its count) to an anonymous client or another network."""

import pytest
from django.urls import reverse

from cooperation.services import listings as services
from tests.factories import ActorFactory, MembershipFactory, UserFactory, sector

pytestmark = pytest.mark.django_db

OFFER = {
    "kind": "offer",
    "nature": "equipment",
    "mode": "loan",
    "title": "Camionnette frigorifique",
    "description": "Une camionnette réfrigérée, prêtée le week-end.",
}
NEED = {
    "kind": "need",
    "nature": "premises",
    "mode": "rental",
    "title": "Atelier de menuiserie",
    "description": "Nous cherchons un atelier pour nos chantiers d'insertion.",
}
SECRET = {**OFFER, "title": "Chambre froide partagée", "visibility": "network"}
LIST = reverse("api-listing-list")


def publish(actor, by, data, **kwargs):
    return services.listing_create(actor=actor, by=by, data=data, publish=True, **kwargs)


def api_titles(answer) -> list[str]:
    return [item["title"] for item in answer.json()["results"]]


@pytest.fixture
def items(actor, member):
    return {
        "offer": publish(actor, member, OFFER, sectors=[sector("recyclerie")]),
        "need": publish(actor, member, NEED),
        "secret": publish(actor, member, SECRET),
    }


@pytest.fixture
def outsider(other_network):
    lyon_actor = ActorFactory(network=other_network, commune=other_network.communes.get())
    return MembershipFactory(actor=lyon_actor, user=UserFactory(username="lyonnaise")).user


def test_the_list_is_paginated_and_describes_each_listing(client, items, actor):
    answer = client.get(LIST)

    assert answer.status_code == 200
    body = answer.json()
    assert body["count"] == 2 and body["next"] is None
    offer = next(item for item in body["results"] if item["kind"] == "offer")
    assert offer["nature_label"] == "Matériel (prêt ou location)"
    assert offer["actor"] == {"slug": actor.slug, "name": actor.name}
    assert offer["commune"]["insee"] == "44109"
    assert offer["url"].endswith(reverse("cooperation:listing_detail", args=[items["offer"].pk]))
    assert "search_text" not in offer


def test_members_only_listings_are_never_listed_nor_counted_for_others(
    client, items, outsider, other_member
):
    assert client.get(LIST).json()["count"] == 2
    assert client.get(LIST, {"q": "chambre"}).json()["count"] == 0
    client.force_login(outsider)
    assert "Chambre froide partagée" not in api_titles(client.get(LIST))
    assert client.get(LIST).json()["count"] == 2
    client.force_login(other_member)  # a structure of the same network
    assert client.get(LIST).json()["count"] == 3


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"kind": "need"}, ["Atelier de menuiserie"]),
        ({"nature": "equipment"}, ["Camionnette frigorifique"]),
        ({"mode": "rental"}, ["Atelier de menuiserie"]),
        ({"sector": "recyclerie"}, ["Camionnette frigorifique"]),
        ({"q": "camionnete"}, ["Camionnette frigorifique"]),
        ({"commune": "44143"}, []),
        (
            {"near": "44109", "radius_km": "3"},
            ["Atelier de menuiserie", "Camionnette frigorifique"],
        ),
    ],
)
def test_the_api_shares_the_catalogues_filters(client, items, params, expected):
    assert sorted(api_titles(client.get(LIST, params))) == expected


def test_bad_parameters_are_a_400_with_one_message_each(client, items):
    answer = client.get(LIST, {"kind": "troc", "near": "1,2,3", "page_size": "1000"})

    assert answer.status_code == 400
    assert set(answer.json()) == {"kind", "near", "page_size"}


def test_page_size_and_pages(client, actor, member):
    for n in range(5):
        publish(actor, member, {**OFFER, "title": f"Palette {n}"})

    first = client.get(LIST, {"page_size": "2"}).json()
    last = client.get(LIST, {"page_size": "2", "page": "3"}).json()

    assert first["count"] == 5 and len(first["results"]) == 2 and first["next"]
    assert len(last["results"]) == 1


def test_the_list_reads_a_fixed_number_of_queries(client, actor, member, django_assert_num_queries):
    for n in range(3):
        publish(actor, member, {**OFFER, "title": f"Palette {n}"})
    client.get(LIST)  # warm the caches (sessions, content types)

    with django_assert_num_queries(4):  # count, page, structures, communes
        client.get(LIST)


def test_the_detail_of_a_public_listing(client, items):
    answer = client.get(reverse("api-listing-detail", args=[items["offer"].pk]))

    assert answer.status_code == 200
    body = answer.json()
    assert body["description"] == OFFER["description"]
    assert [s["slug"] for s in body["sectors"]] == ["recyclerie"]


def test_the_detail_of_a_members_only_listing_is_a_404_to_others(
    client, items, outsider, other_member
):
    url = reverse("api-listing-detail", args=[items["secret"].pk])

    assert client.get(url).status_code == 404
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    client.force_login(other_member)
    assert client.get(url).status_code == 200


def test_a_draft_or_withdrawn_listing_is_a_404(client, items, actor, member):
    draft = services.listing_create(actor=actor, by=member, data=OFFER)
    services.listing_withdraw(listing=items["need"], by=member)

    assert client.get(reverse("api-listing-detail", args=[draft.pk])).status_code == 404
    assert client.get(reverse("api-listing-detail", args=[items["need"].pk])).status_code == 404


def test_the_schema_documents_the_listings(client, db):
    schema = client.get(reverse("api_schema"), {"format": "json"}).json()

    assert "/api/v1/listings/" in schema["paths"]
    parameters = {p["name"] for p in schema["paths"]["/api/v1/listings/"]["get"]["parameters"]}
    assert {
        "q",
        "kind",
        "nature",
        "mode",
        "sector",
        "commune",
        "near",
        "radius_km",
        "audience",
    } <= parameters
