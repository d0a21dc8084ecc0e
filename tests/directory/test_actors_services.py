"""Writing actors: create, update, publish, locate, and who confirms (directory.services.actors)."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from directory.models import Actor, ActorChange, Freshness, MapCell, Status
from directory.services import actors as services
from directory.services.actors import locate
from tests.directory.helpers import map_total as _map_total
from tests.factories import ActorFactory, MembershipFactory, UserFactory, sector

pytestmark = pytest.mark.django_db


def test_create_requires_a_network_covering_the_commune(user, other_network):
    from tests.factories import CommuneFactory

    far = CommuneFactory(insee="13055", name="Marseille", lat=43.2976, lon=5.3694)
    with pytest.raises(ValidationError, match="aucun réseau"):
        services.actor_create(
            by=user,
            data={
                "name": "Hors territoire",
                "legal_form": "association",
                "short_description": "x",
                "commune": far,
                "lat": None,
                "lon": None,
            },
            sectors=[sector("velo")],
        )


def test_update_keeps_search_text_and_map_cells_current(actor, member):
    before = _map_total()
    services.actor_update(
        actor=actor, by=member, data={"name": "Atelier Vélo Pédale Douce"}, sectors=[sector("velo")]
    )
    assert Actor.objects.search("pedale douce").get() == actor
    assert Actor.objects.search("atelier velo").filter(pk=actor.pk).exists()
    assert _map_total() == before
    services.actor_update(actor=actor, by=member, data={"lat": 47.25, "lon": -1.50})
    cell = MapCell.objects.get(zoom=12, x__lte=10**9, count__gte=1, lat_sum=47.25)
    assert cell.count == 1


def test_publication_moves_the_actor_in_and_out_of_the_map(animator, network, nantes):
    draft = ActorFactory(network=network, commune=nantes, draft=True)
    assert _map_total() == 0
    services.actor_set_status(actor=draft, by=animator, status=Status.PUBLISHED)
    assert _map_total() == 1
    services.actor_set_status(actor=draft, by=animator, status=Status.SUSPENDED)
    assert _map_total() == 0
    assert not MapCell.objects.filter(count__gt=0).exists()


def test_only_members_and_the_networks_animators_may_write(
    actor, other_member, other_animator, animator
):
    for intruder in (other_member, other_animator, UserFactory()):
        with pytest.raises(PermissionDenied):
            services.actor_update(actor=actor, by=intruder, data={"name": "x"})
        with pytest.raises(PermissionDenied):
            services.actor_confirm(actor=actor, by=intruder)
    with pytest.raises(PermissionDenied):
        services.actor_set_status(actor=actor, by=other_animator, status=Status.ARCHIVED)
    services.actor_update(actor=actor, by=animator, data={"name": "Renommée par l'animation"})


def test_search_text_is_french_whoever_saves(actor, member, settings):
    from django.utils import translation

    with translation.override("en"):
        services.actor_update(actor=actor, by=member, data={"legal_form": "mutual"})
    assert Actor.objects.search("mutuelle").filter(pk=actor.pk).exists()


def test_moving_to_a_commune_of_another_network_moves_the_profile(actor, member, other_network):
    lyon = other_network.communes.get()
    services.actor_update(actor=actor, by=member, data={"commune": lyon, "lat": None, "lon": None})
    actor.refresh_from_db()
    assert actor.network == other_network


def test_submit_does_not_overwrite_a_decision_taken_meanwhile(network, nantes, member, animator):
    from tests.factories import MembershipFactory

    draft = ActorFactory(network=network, commune=nantes, draft=True)
    MembershipFactory(actor=draft, user=member)
    stale_copy = Actor.objects.get(pk=draft.pk)
    services.actor_set_status(actor=draft, by=animator, status=Status.PUBLISHED)
    with pytest.raises(ValidationError):
        services.actor_submit(actor=stale_copy, by=member)
    draft.refresh_from_db()
    assert draft.status == Status.PUBLISHED


# --- Where an actor is placed: the geocoder, the commune or the pin ------------------------


def test_unknown_address_falls_back_on_the_commune(ban_server, nantes):
    location = locate(address="nulle part", postcode="", commune=nantes, lat=None, lon=None)
    assert (location.lat, location.lon, location.source) == (nantes.lat, nantes.lon, "commune")


def test_unreachable_geocoder_falls_back_on_the_commune(settings, nantes):
    settings.GEOCODER_URL = "http://127.0.0.1:9"  # discard port: connection refused
    location = locate(address="2 rue de la Paix", postcode="", commune=nantes, lat=None, lon=None)
    assert location.source == "commune"


def test_a_pin_placed_by_hand_wins_and_must_be_in_france(ban_server, nantes):
    location = locate(address="2 rue de la Paix", postcode="", commune=nantes, lat=47.3, lon=-1.6)
    assert (location.lat, location.lon, location.source) == (47.3, -1.6, "manual")
    with pytest.raises(Exception, match="hors de France"):
        locate(address="", postcode="", commune=nantes, lat=51.5, lon=-0.12)  # London


# --- Who confirms the data, and what the history keeps ------------------------------------

LONG_AGO = timezone.now() - timedelta(days=400)


def _stale(actor: Actor) -> Actor:
    Actor.objects.filter(pk=actor.pk).update(last_confirmed_at=LONG_AGO, freshness=Freshness.STALE)
    actor.refresh_from_db()
    return actor


def test_an_edit_by_a_member_confirms_the_data(actor, member):
    _stale(actor)

    services.actor_update(actor=actor, by=member, data={"phone": "02 40 11 22 33"})

    actor.refresh_from_db()
    assert actor.freshness == Freshness.FRESH
    assert actor.last_confirmed_at > LONG_AGO


@pytest.mark.parametrize("editor", ["animator", "superuser"])
def test_a_fix_by_an_animator_or_an_admin_does_not_confirm_the_data(actor, animator, editor):
    by = animator if editor == "animator" else UserFactory(is_superuser=True, is_staff=True)
    _stale(actor)

    services.actor_update(actor=actor, by=by, data={"name": "Recyclerie du Port (typo)"})

    actor.refresh_from_db()
    assert actor.name == "Recyclerie du Port (typo)"
    assert actor.last_confirmed_at == LONG_AGO
    assert actor.freshness == Freshness.STALE
    change = actor.changes.get(source=ActorChange.Source.EDIT)
    assert change.by == by and "name" in change.changes


def test_an_accepted_correction_confirms_whoever_accepts_it(actor, animator):
    _stale(actor)

    services.actor_update(
        actor=actor,
        by=animator,
        data={"phone": "02 40 99 99 99"},
        source=ActorChange.Source.CORRECTION,
    )

    actor.refresh_from_db()
    assert actor.freshness == Freshness.FRESH
    assert actor.last_confirmed_at > LONG_AGO


def test_moving_to_another_network_is_in_the_history(actor, member, network, other_network):
    nantes = str(actor.commune)
    lyon = other_network.communes.get()

    services.actor_update(actor=actor, by=member, data={"commune": lyon, "lat": None, "lon": None})

    change = actor.changes.get(source=ActorChange.Source.EDIT)
    assert change.changes["commune"] == [nantes, str(lyon)]
    assert change.changes["network"] == [str(network), str(other_network)]


def test_a_commune_of_the_same_network_leaves_the_network_out_of_the_history(actor, member, reze):
    services.actor_update(actor=actor, by=member, data={"commune": reze, "lat": None, "lon": None})

    change = actor.changes.get(source=ActorChange.Source.EDIT)
    assert change.changes["commune"] == ["Nantes (44)", "Rezé (44)"]
    assert "network" not in change.changes


def test_submitting_a_draft_is_in_the_history_in_the_sites_language(network, nantes, member):
    draft = ActorFactory(network=network, commune=nantes, draft=True)
    MembershipFactory(actor=draft, user=member)

    with translation.override("en"):
        services.actor_submit(actor=draft, by=member)

    change = draft.changes.get(source=ActorChange.Source.STATUS)
    assert change.by == member
    assert change.changes == {"status": ["Brouillon", "En attente de validation"]}
