"""Matching that explains itself, on a small scene around Nantes: a recyclerie needs a
truck for a collection; who could lend one, in which order, and why."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from cooperation import matching
from cooperation.matching import Target, actor_matches, listing_matches, naive_listing_matches
from cooperation.models import Listing
from tests.factories import ActorFactory, CommuneFactory, MembershipFactory, UserFactory, sector

pytestmark = pytest.mark.django_db


def make_listing(actor, *, sectors=None, commune=None, **fields) -> Listing:
    """A live listing, stored as the services store a published one."""
    commune = commune or actor.commune
    now = timezone.now()
    values = {
        "kind": "offer",
        "nature": "equipment",
        "mode": "loan",
        "title": "Un camion",
        "description": "Un camion de 12 m³.",
        "commune": commune,
        "lat": commune.lat,
        "lon": commune.lon,
        "status": "open",
        "published_at": now,
        "expires_at": now + timedelta(days=90),
        **fields,
    }
    listing = Listing.objects.create(actor=actor, **values)
    listing.sectors.set(sectors if sectors is not None else actor.sectors.all())
    return listing


@pytest.fixture
def clisson(db):
    # About 25 km south-east of Nantes.
    return CommuneFactory(insee="44043", name="Clisson", lat=47.0869, lon=-1.2824)


@pytest.fixture
def scene(network, other_network, actor, nantes, reze, clisson):
    """The recyclerie (`actor`, Nantes) needs a truck in about a month; offers around."""
    today = timezone.localdate()
    actor.sectors.set([sector("recyclerie")])
    place = {"network": network}
    ressourcerie = ActorFactory(
        **place,
        commune=clisson,
        name="Ressourcerie du Vignoble",
        intervention_radius_km=30,
        sectors=[sector("recyclerie")],
    )
    repair = ActorFactory(
        **place, commune=reze, name="Repair café de Rezé", sectors=[sector("reparation")]
    )
    builder = ActorFactory(
        **place, commune=nantes, name="Scop Bâtisseurs", sectors=[sector("batiment")]
    )
    lyon = other_network.communes.get()
    far = ActorFactory(
        network=other_network, commune=lyon, name="Recyclerie lyonnaise",
        sectors=[sector("recyclerie")],
    )  # fmt: skip
    need = make_listing(
        actor,
        kind="need",
        title="Un camion pour une collecte",
        quantity=Decimal("12"),
        unit="m³",
        available_from=today + timedelta(days=30),
        available_until=today + timedelta(days=32),
    )
    offers = {
        "ressourcerie": make_listing(
            ressourcerie,
            area_km=30,
            quantity=Decimal("20"),
            unit="m³",
            available_from=today,
            available_until=today + timedelta(days=60),
        ),
        "repair": make_listing(repair, mode="rental", quantity=Decimal("6"), unit="m³"),
        "builder": make_listing(builder, quantity=Decimal("12"), unit="m³"),
        "far": make_listing(far, area_km=50),
        "premises": make_listing(repair, nature="premises", title="Un atelier"),
        "too_late": make_listing(
            ressourcerie,
            title="Un autre camion",
            area_km=30,
            available_from=today + timedelta(days=40),
        ),
        "own": make_listing(actor, title="Notre camion"),
    }
    return {"need": need, "offers": offers, "actors": locals()}


def titles(matches):
    return [m.listing.actor.name for m in matches]


def test_a_shared_sector_beats_a_shared_filiere_which_beats_none(scene, member):
    matches = listing_matches(scene["need"], viewer=member)

    assert [m.listing for m in matches] == [
        scene["offers"]["ressourcerie"],
        scene["offers"]["repair"],
        scene["offers"]["builder"],
    ]
    assert matches[0].score > matches[1].score > matches[2].score


def test_each_match_says_why_in_french(scene, member):
    best, repair, builder = listing_matches(scene["need"], viewer=member)

    assert best.reasons[0] == "même secteur : Recyclerie et ressourcerie"
    assert "même nature" in best.reasons
    assert "même mode d'échange : prêt" in best.reasons
    assert best.reasons[3].startswith("à ") and best.reasons[3].endswith(" km")
    assert 20 <= best.distance_km <= 30
    assert any(r.startswith("disponible en ") for r in best.reasons)
    assert best.reasons[-1] == "capacité suffisante"
    assert repair.reasons[0] == "même filière : Réemploi et recyclage"
    assert "mode d'échange compatible : location" in repair.reasons
    assert repair.reasons[-1] == "capacité partielle : 6 sur 12 m³"
    assert not any(
        r.startswith("même secteur") or r.startswith("même filière") for r in builder.reasons
    )
    assert " · " in best.reasons_text


def test_too_far_disjoint_dates_other_natures_and_own_listings_are_left_out(scene, member):
    found = {m.listing for m in listing_matches(scene["need"], viewer=member, limit=50)}

    for name in ("far", "premises", "too_late", "own"):
        assert scene["offers"][name] not in found, name


def test_an_offer_finds_the_needs_it_could_answer(scene, member):
    offer = scene["offers"]["ressourcerie"]

    matches = listing_matches(offer, viewer=None)

    assert [m.listing for m in matches] == [scene["need"]]
    assert "capacité suffisante" in matches[0].reasons


def test_a_quantity_stands_for_the_listings_own(scene, member):
    """A joint need passes its total: 30 m³ is more than the ressourcerie offers."""
    best = listing_matches(scene["need"], viewer=member, quantity=Decimal("30"))[0]

    assert best.reasons[-1] == "capacité partielle : 20 sur 30 m³"


def test_members_only_offers_match_only_for_their_network(scene, member, other_animator):
    offer = scene["offers"]["ressourcerie"]
    offer.visibility = "network"
    offer.save()
    stranger = MembershipFactory(
        actor=ActorFactory(network=scene["actors"]["far"].network), user=UserFactory()
    ).user

    assert offer in {m.listing for m in listing_matches(scene["need"], viewer=member)}
    for viewer in (None, stranger, other_animator):
        assert offer not in {m.listing for m in listing_matches(scene["need"], viewer=viewer)}


def test_closed_and_expired_offers_do_not_match(scene, member):
    scene["offers"]["ressourcerie"].status = "fulfilled"
    scene["offers"]["ressourcerie"].save()
    scene["offers"]["repair"].expires_at = timezone.now() - timedelta(minutes=1)
    scene["offers"]["repair"].save()

    assert [m.listing for m in listing_matches(scene["need"], viewer=member)] == [
        scene["offers"]["builder"]
    ]


def test_the_structures_that_could_answer(scene):
    names = [m.actor.name for m in actor_matches(scene["need"])]

    # Same sector first, then same filière; the builder shares neither; Lyon is too far;
    # never the recyclerie itself.
    assert names == ["Ressourcerie du Vignoble", "Repair café de Rezé"]


def test_a_structures_radius_brings_it_within_reach(scene, clisson):
    far_off = CommuneFactory(insee="44003", name="Ancenis", lat=47.3653, lon=-1.1772)
    wide = ActorFactory(
        network=scene["need"].actor.network, commune=far_off, sectors=[sector("recyclerie")]
    )

    assert wide not in [m.actor for m in actor_matches(scene["need"], limit=50)]
    wide.intervention_radius_km = 40
    wide.save()
    match = next(m for m in actor_matches(scene["need"], limit=50) if m.actor == wide)
    assert 30 < match.distance_km < 36


def test_the_target_serves_any_sectors_place_and_radius(scene):
    """What the tenders' consortium suggestions call with a lot's sectors and place."""
    sectors = matching.taxonomy()
    lot = Target.of_sectors(
        [sector("reparation").pk], lat=47.2184, lon=-1.5536, area_km=15, sectors=sectors
    )

    matches = matching.matching_actors(lot, sectors=sectors)

    # The same sector first, then the same filière, nearest first.
    assert [m.actor.name for m in matches] == [
        "Repair café de Rezé",
        "Recyclerie du Port",
        "Ressourcerie du Vignoble",
    ]
    assert matches[0].reasons[0] == "même secteur : Réparation et repair cafés"
    assert matches[1].reasons == ["même filière : Réemploi et recyclage", "à moins d'un km"]


def test_the_naive_technique_finds_the_same(scene, member):
    fast = listing_matches(scene["need"], viewer=member)
    naive = naive_listing_matches(scene["need"], viewer=member)

    assert [(m.listing, m.score, m.reasons) for m in fast] == [
        (m.listing, m.score, m.reasons) for m in naive
    ]


def test_matches_take_a_fixed_number_of_queries(scene, member, django_assert_max_num_queries):
    for i in range(20):
        other = ActorFactory(network=scene["need"].actor.network, sectors=[sector("recyclerie")])
        make_listing(other, title=f"Camion {i}")
    need = Listing.objects.get(pk=scene["need"].pk)

    with django_assert_max_num_queries(6):
        matches = listing_matches(need, viewer=member, limit=30)
        for m in matches:
            m.listing.actor.name, m.listing.commune.name  # noqa: B018
    assert len(matches) > 20
    with django_assert_max_num_queries(5):
        actors = actor_matches(need, limit=30)
        for m in actors:
            m.actor.get_absolute_url(), m.actor.name
    assert len(actors) > 20


# --- On the listing's page ------------------------------------------------------------------


def test_the_listing_page_shows_its_matches_and_why(client, scene):
    page = client.get(reverse("cooperation:listing_detail", args=[scene["need"].pk]))

    html = page.content.decode()
    assert "Ces annonces pourraient répondre" in html
    assert "Ces structures pourraient répondre" in html
    assert "Ressourcerie du Vignoble" in html
    assert "même secteur : Recyclerie et ressourcerie · à 25 km" in html
    assert reverse("cooperation:listing_detail", args=[scene["offers"]["ressourcerie"].pk]) in html


def test_the_page_shows_a_members_only_match_to_its_network_only(client, scene, member):
    offer = scene["offers"]["ressourcerie"]
    offer.visibility = "network"
    offer.title = "Camion réservé au réseau"
    offer.save()
    path = reverse("cooperation:listing_detail", args=[scene["need"].pk])

    assert "Camion réservé au réseau" not in client.get(path).content.decode()
    client.force_login(member)
    assert "Camion réservé au réseau" in client.get(path).content.decode()


def test_an_offer_page_names_the_needs_it_could_answer(client, scene):
    offer = scene["offers"]["ressourcerie"]

    html = client.get(reverse("cooperation:listing_detail", args=[offer.pk])).content.decode()

    assert "Ces besoins pourraient en profiter" in html
    assert "Un camion pour une collecte" in html
