"""The public catalogue: its filters, the result count, pagination, its map's points, the
feed, the structure's page; members-only listings shown to their network's members only."""

import pytest
from django.urls import reverse

from cooperation.models import Listing
from cooperation.services import listings as services
from tests.factories import ActorFactory, CommuneFactory, MembershipFactory, UserFactory, sector

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
    "audience": "public",
    "title": "Atelier de menuiserie",
    "description": "Nous cherchons un atelier pour nos chantiers d'insertion.",
}
SECRET = {**OFFER, "title": "Chambre froide partagée", "visibility": "network"}


def publish(actor, by, data, **kwargs) -> Listing:
    return services.listing_create(actor=actor, by=by, data=data, publish=True, **kwargs)


def titles(response) -> list[str]:
    return [listing.title for listing in response.context["page"].object_list]


def catalogue(client, **params):
    return client.get(reverse("cooperation:catalogue"), params)


@pytest.fixture
def lyon_actor(other_network):
    lyon = other_network.communes.get()
    return ActorFactory(network=other_network, commune=lyon, name="Ressourcerie de Lyon")


@pytest.fixture
def outsider(lyon_actor):
    """A member of a structure of another network."""
    return MembershipFactory(actor=lyon_actor, user=UserFactory(username="lyonnaise")).user


@pytest.fixture
def catalogue_items(actor, member, other_member, reze):
    rezé_actor = other_member.memberships.get().actor
    return {
        "offer": publish(actor, member, OFFER, sectors=[sector("recyclerie")]),
        "need": publish(rezé_actor, other_member, NEED),
        "secret": publish(actor, member, SECRET),
    }


def test_anyone_sees_the_public_listings_newest_first(client, catalogue_items):
    response = catalogue(client)

    assert response.status_code == 200
    assert titles(response) == ["Atelier de menuiserie", "Camionnette frigorifique"]
    page = response.content.decode()
    assert "2 annonces trouvées" in page
    assert "Recyclerie du Port" in page and "Rezé" in page  # structure and commune
    assert "Chambre froide" not in page


def test_members_only_listings_are_shown_to_their_network_only(
    client, catalogue_items, other_member, animator, outsider
):
    client.force_login(outsider)
    assert "Chambre froide partagée" not in titles(catalogue(client))
    assert catalogue(client).context["page"].paginator.count == 2
    client.force_login(UserFactory())
    assert catalogue(client, q="chambre").context["page"].paginator.count == 0

    for same_network in (other_member, animator):
        client.force_login(same_network)
        response = catalogue(client)
        assert "Chambre froide partagée" in titles(response)
        assert response.context["page"].paginator.count == 3


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"kind": "need"}, ["Atelier de menuiserie"]),
        ({"kind": "offer"}, ["Camionnette frigorifique"]),
        ({"nature": "premises"}, ["Atelier de menuiserie"]),
        (
            {"nature": ["equipment", "premises"]},
            ["Atelier de menuiserie", "Camionnette frigorifique"],
        ),
        ({"mode": "loan"}, ["Camionnette frigorifique"]),
        ({"audience": "public"}, ["Atelier de menuiserie"]),
        ({"commune": "44143"}, ["Atelier de menuiserie"]),
        ({"sector": "recyclerie"}, ["Camionnette frigorifique"]),
        ({"q": "camionnete"}, ["Camionnette frigorifique"]),  # a typo
        ({"q": "helicoptere"}, []),
        ({"q": "ateliers"}, ["Atelier de menuiserie"]),
        (
            {"kind": "", "nature": "", "sector": ""},
            ["Atelier de menuiserie", "Camionnette frigorifique"],
        ),
    ],
)
def test_each_filter_narrows_the_list(client, catalogue_items, params, expected):
    assert titles(catalogue(client, **params)) == expected


def test_a_filiere_stands_for_its_sectors(client, catalogue_items):
    filiere = sector("recyclerie").parent

    assert titles(catalogue(client, sector=filiere.slug)) == ["Camionnette frigorifique"]


def test_near_a_commune_or_a_point_within_a_radius_nearest_first(
    client, catalogue_items, nantes, lyon_actor
):
    lyon_member = MembershipFactory(actor=lyon_actor).user
    publish(lyon_actor, lyon_member, {**OFFER, "title": "Vélo cargo"})

    # Rezé is about 3 km from the centre of Nantes, Lyon some 500 km.
    assert titles(catalogue(client, near="44109", radius_km="2")) == ["Camionnette frigorifique"]
    response = catalogue(client, near=f"{nantes.lat},{nantes.lon}", radius_km="5")
    assert titles(response) == ["Camionnette frigorifique", "Atelier de menuiserie"]
    assert "à 3,2 km" in response.content.decode() or "à 3.2 km" in response.content.decode()
    assert titles(catalogue(client, near="45.7677,4.8354")) == ["Vélo cargo"]


def test_a_bad_filter_says_so_and_lists_nothing(client, catalogue_items):
    response = catalogue(client, near="91.0,200", kind="troc")

    assert response.status_code == 200
    assert titles(response) == []
    page = response.content.decode()
    assert "Certains filtres ne sont pas valides" in page


def test_an_empty_result_explains_itself_in_french(client, catalogue_items):
    page = catalogue(client, q="hélicoptère").content.decode()

    assert "Aucune annonce ne correspond à ces critères." in page
    assert "Essayez un mot plus général" in page


def test_pages_of_twenty_keep_the_filters(client, actor, member, django_assert_max_num_queries):
    for n in range(21):
        publish(actor, member, {**OFFER, "title": f"Palette {n:02d}"})
    publish(actor, member, {**NEED, "title": "Autre chose"})

    with django_assert_max_num_queries(12):
        first = catalogue(client, kind="offer")
    second = catalogue(client, kind="offer", page="2")

    assert len(titles(first)) == 20 and titles(second) == ["Palette 00"]
    assert "kind=offer&amp;page=2" in first.content.decode()
    assert "21 annonces trouvées" in second.content.decode()


def test_a_ranked_search_pages_without_overlap(client, actor, member):
    for n in range(23):
        publish(actor, member, {**OFFER, "title": f"Palette {n:02d}"})

    first = titles(catalogue(client, q="palette"))
    second = titles(catalogue(client, q="palette", page="2"))

    assert len(first) == 20 and len(second) == 3
    assert not set(first) & set(second)


def test_the_map_has_the_points_of_the_filtered_visible_listings(
    client, catalogue_items, other_member
):
    url = reverse("cooperation:catalogue_map")

    anonymous = client.get(url).json()
    assert sorted(f["properties"]["title"] for f in anonymous["features"]) == [
        "Atelier de menuiserie",
        "Camionnette frigorifique",
    ]
    assert anonymous["features"][0]["geometry"]["type"] == "Point"
    assert [
        f["properties"]["title"] for f in client.get(url, {"kind": "offer"}).json()["features"]
    ] == ["Camionnette frigorifique"]
    client.force_login(other_member)
    member_titles = [f["properties"]["title"] for f in client.get(url).json()["features"]]
    assert "Chambre froide partagée" in member_titles
    assert client.get(url, {"near": "nowhere"}).status_code == 400


def test_the_map_is_bounded(client, catalogue_items, monkeypatch):
    monkeypatch.setattr("cooperation.views.catalogue.MAP_MAX_POINTS", 1)

    answer = client.get(reverse("cooperation:catalogue_map")).json()

    assert len(answer["features"]) == 1 and answer["partial"] is True


def test_the_feed_has_public_listings_only(client, catalogue_items, other_member):
    client.force_login(other_member)  # even to a member: a feed is read by anyone later

    feed = client.get(reverse("cooperation:catalogue_feed")).content.decode()

    assert "Camionnette frigorifique" in feed and "Atelier de menuiserie" in feed
    assert "Chambre froide" not in feed


def test_the_actor_page_lists_its_open_listings_the_visitor_may_see(
    client, actor, member, catalogue_items, outsider
):
    draft = services.listing_create(actor=actor, by=member, data={**OFFER, "title": "Brouillon"})
    url = actor.get_absolute_url()

    page = client.get(url).content.decode()
    assert "Ses offres et besoins" in page and "Camionnette frigorifique" in page
    assert "Chambre froide" not in page and draft.title not in page
    client.force_login(outsider)
    assert "Chambre froide" not in client.get(url).content.decode()
    client.force_login(member)
    assert "Chambre froide partagée" in client.get(url).content.decode()


def test_an_actor_without_open_listings_shows_no_section(client, actor):
    assert "Ses offres et besoins" not in client.get(actor.get_absolute_url()).content.decode()


def test_the_menu_leads_to_the_catalogue(client, db):
    page = client.get(reverse("directory:home")).content.decode()

    assert f'href="{reverse("cooperation:catalogue")}"' in page


def test_a_listing_of_another_commune_outside_the_territory_is_not_lost(client, actor, member):
    far = CommuneFactory(insee="29019", name="Brest", lat=48.39, lon=-4.49)
    publish(actor, member, {**OFFER, "title": "Bateau", "commune": far})

    assert titles(catalogue(client, near="48.39,-4.49", radius_km="5")) == ["Bateau"]
