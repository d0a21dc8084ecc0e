"""Writing actors: create, update, publish, locate, and who confirms (directory.services.actors)."""

import io
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation
from PIL import Image

from directory.models import Actor, ActorChange, Freshness, MapCell, Status
from directory.services import actors as services
from directory.services.actors import locate
from ess_platform.lib.history import FieldChange
from ess_platform.lib.outbox.models import OutboxMessage
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

    with translation.override("en"):
        services.actor_update(actor=actor, by=member, data={"legal_form": "mutual"})
    assert Actor.objects.search("mutuelle").filter(pk=actor.pk).exists()


def test_moving_to_a_commune_of_another_network_moves_the_profile(actor, member, other_network):
    lyon = other_network.communes.get()
    services.actor_update(actor=actor, by=member, data={"commune": lyon, "lat": None, "lon": None})
    actor.refresh_from_db()
    assert actor.network == other_network


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


# --- A SIRET names one structure ------------------------------------------------------------

SIRET = "73282932000074"
SIRET_TAKEN = "Ce numéro SIRET est déjà celui d'une structure de l'annuaire."


def _new_profile(commune, **overrides) -> dict:
    return {
        "name": "Atelier du Coin",
        "legal_form": "association",
        "short_description": "Atelier partagé.",
        "commune": commune,
        "lat": None,
        "lon": None,
        **overrides,
    }


@pytest.mark.parametrize("holder_status", [Status.DRAFT, Status.PUBLISHED])
def test_a_siret_already_used_is_refused_on_its_field_saying_nothing_more(
    user, actor, member, network, nantes, holder_status
):
    holder = ActorFactory(network=network, commune=nantes, name="Projet confidentiel", siret=SIRET)
    Actor.objects.filter(pk=holder.pk).update(status=holder_status)

    with pytest.raises(ValidationError) as created:
        services.actor_create(
            by=user, data=_new_profile(nantes, siret=SIRET), sectors=[sector("velo")]
        )
    with pytest.raises(ValidationError) as updated:
        services.actor_update(actor=actor, by=member, data={"siret": SIRET})

    for error in (created.value, updated.value):
        assert error.message_dict == {"siret": [SIRET_TAKEN]}
        assert error.error_dict["siret"][0].code == "siret_taken"
    assert not Actor.objects.filter(name="Atelier du Coin").exists()
    actor.refresh_from_db()
    assert actor.siret == ""


def test_an_actor_keeps_its_own_siret(actor, member):
    services.actor_update(actor=actor, by=member, data={"siret": SIRET})
    services.actor_update(actor=actor, by=member, data={"siret": SIRET, "name": "Renommée"})

    actor.refresh_from_db()
    assert (actor.siret, actor.name) == (SIRET, "Renommée")


# --- Two people editing the same profile ----------------------------------------------------


def _loaded(actor: Actor):
    """The version a form carries when the page is loaded now."""
    return Actor.objects.get(pk=actor.pk).updated_at


def test_a_save_over_changes_made_meanwhile_is_refused_and_says_which(actor, member):
    other = MembershipFactory(actor=actor, user=UserFactory(username="collegue")).user
    version = _loaded(actor)
    services.actor_update(actor=actor, by=other, data={"phone": "02 40 11 22 33"})

    with pytest.raises(services.ChangedMeanwhile) as error:
        services.actor_update(
            actor=actor,
            by=member,
            data={"name": "Recyclerie du Grand Port", "phone": ""},
            expected_updated_at=version,
        )

    assert error.value.code == "changed_meanwhile"
    assert "Téléphone" in error.value.messages[0]
    assert error.value.changes == [FieldChange("Téléphone", "", "02 40 11 22 33")]
    assert error.value.updated_at == _loaded(actor)
    actor.refresh_from_db()
    assert (actor.name, actor.phone) == ("Recyclerie du Port", "02 40 11 22 33")
    # Read, then saved again with the version shown: their input wins, knowingly.
    services.actor_update(
        actor=actor,
        by=member,
        data={"name": "Recyclerie du Grand Port", "phone": ""},
        expected_updated_at=error.value.updated_at,
    )
    actor.refresh_from_db()
    assert (actor.name, actor.phone) == ("Recyclerie du Grand Port", "")


def test_a_form_loaded_after_an_edit_has_seen_that_edit(actor, member):
    services.actor_update(actor=actor, by=member, data={"phone": "02 40 11 22 33"})
    version = _loaded(actor)

    services.actor_update(
        actor=actor,
        by=member,
        data={"name": "Recyclerie du Grand Port", "phone": "02 40 00 00 00"},
        expected_updated_at=version,
    )

    actor.refresh_from_db()
    assert (actor.name, actor.phone) == ("Recyclerie du Grand Port", "02 40 00 00 00")


def test_changes_meanwhile_that_this_save_keeps_block_nothing(actor, member, animator):
    version = _loaded(actor)
    services.actor_update(actor=actor, by=animator, data={"phone": "02 40 11 22 33"})
    services.actor_set_status(actor=actor, by=animator, status=Status.SUSPENDED)

    # The phone as the other person left it, the status out of the form: nothing is lost.
    services.actor_update(
        actor=actor,
        by=member,
        data={"name": "Recyclerie du Grand Port", "phone": "02 40 11 22 33"},
        sectors=[sector("recyclerie")],
        expected_updated_at=version,
    )

    actor.refresh_from_db()
    assert (actor.name, actor.phone, actor.status) == (
        "Recyclerie du Grand Port",
        "02 40 11 22 33",
        Status.SUSPENDED,
    )


def test_sectors_changed_meanwhile_are_named_too(actor, member, animator):
    version = _loaded(actor)
    services.actor_update(actor=actor, by=animator, data={}, sectors=[sector("velo")])

    with pytest.raises(services.ChangedMeanwhile) as error:
        services.actor_update(
            actor=actor,
            by=member,
            data={},
            sectors=[sector("textile")],
            expected_updated_at=version,
        )

    (change,) = error.value.changes
    assert change.label == "Secteurs"
    assert change.new == str(sector("velo"))


def test_a_map_pin_moved_meanwhile_is_named_too(actor, member, animator):
    version = _loaded(actor)
    services.actor_update(actor=actor, by=animator, data={"lat": 47.2301, "lon": -1.5402})

    with pytest.raises(services.ChangedMeanwhile) as error:
        services.actor_update(
            actor=actor,
            by=member,
            data={"lat": 47.2, "lon": -1.56},
            expected_updated_at=version,
        )

    (change,) = error.value.changes
    assert change.label == "Position sur la carte"
    assert change.new == "47.23010, -1.54020"
    actor.refresh_from_db()
    assert (actor.lat, actor.lon) == (47.2301, -1.5402)
    # The move is in the actor's history, as one line.
    (entry,) = [e for e in actor.changes.all() if "position" in e.changes]
    assert entry.changes["position"][1] == "47.23010, -1.54020"


def test_callers_without_a_version_save_as_before(actor, member, animator):
    services.actor_update(actor=actor, by=member, data={"phone": "02 40 11 22 33"})

    services.actor_update(actor=actor, by=animator, data={"phone": "02 40 99 99 99"})

    actor.refresh_from_db()
    assert actor.phone == "02 40 99 99 99"


# --- A published profile moved to another network's territory -------------------------------


def test_a_members_move_to_another_network_waits_for_its_animators(
    actor, member, network, other_network, other_animator, animator, capture
):
    lyon = other_network.communes.get()
    before = _map_total()

    moved = services.actor_update(
        actor=actor, by=member, data={"commune": lyon, "lat": None, "lon": None}
    )

    assert moved.sent_to_review
    actor.refresh_from_db()
    assert (actor.network, actor.status) == (other_network, Status.PENDING)
    assert _map_total() == before - 1
    assert not Actor.objects.published().filter(pk=actor.pk).exists()
    assert list(Actor.objects.in_network(other_network).awaiting_review()) == [actor]
    status = actor.changes.get(source=ActorChange.Source.STATUS)
    assert status.changes == {"status": ["Publié", "En attente de validation"]}
    assert status.by == member and "Réseau ESS Lyon" in status.note
    (mail,) = OutboxMessage.objects.all()
    assert mail.recipients == [other_animator.email]  # not the old network's animators
    assert str(actor.pk) in mail.key
    assert "Recyclerie du Port" in mail.subject
    assert "Pôle ESS Nantes" in mail.body and "Réseau ESS Lyon" in mail.body
    assert "/animation/reseaux/reseau-ess-lyon/?liste=attente" in mail.body


def test_a_move_by_the_old_networks_animator_waits_too(actor, animator, other_network):
    lyon = other_network.communes.get()

    services.actor_update(
        actor=actor, by=animator, data={"commune": lyon, "lat": None, "lon": None}
    )

    actor.refresh_from_db()
    assert actor.status == Status.PENDING


def test_a_move_by_an_admin_stays_published(actor, other_network, other_animator):
    admin = UserFactory(username="admin", is_superuser=True, is_staff=True)
    lyon = other_network.communes.get()
    before = _map_total()

    moved = services.actor_update(
        actor=actor, by=admin, data={"commune": lyon, "lat": None, "lon": None}
    )

    assert not moved.sent_to_review
    actor.refresh_from_db()
    assert (actor.network, actor.status) == (other_network, Status.PUBLISHED)
    assert _map_total() == before
    assert not OutboxMessage.objects.exists()
    assert not actor.changes.filter(source=ActorChange.Source.STATUS).exists()


@pytest.mark.parametrize("status", [Status.DRAFT, Status.PENDING, Status.SUSPENDED])
def test_a_profile_not_published_moves_as_it_is(network, nantes, other_network, status):
    unpublished = ActorFactory(network=network, commune=nantes, status=status)
    owner = MembershipFactory(actor=unpublished).user

    services.actor_update(
        actor=unpublished,
        by=owner,
        data={"commune": other_network.communes.get(), "lat": None, "lon": None},
    )

    unpublished.refresh_from_db()
    assert (unpublished.network, unpublished.status) == (other_network, status)
    assert not OutboxMessage.objects.exists()


def test_a_move_within_the_network_stays_published(actor, member, reze):
    services.actor_update(actor=actor, by=member, data={"commune": reze, "lat": None, "lon": None})

    actor.refresh_from_db()
    assert actor.status == Status.PUBLISHED
    assert not OutboxMessage.objects.exists()


# --- Logos: the file replaced or cleared leaves the storage ---------------------------------


def _png(colour: str = "#1d5f4e") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), colour).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def with_logo(actor, media):
    actor.logo.save("ancien.png", ContentFile(_png()), save=True)
    return actor


def test_a_replaced_logo_is_deleted_once_the_new_one_is_saved(with_logo, member, media, capture):
    old = with_logo.logo.name
    new_logo = SimpleUploadedFile("nouveau.png", _png("#aa0000"), content_type="image/png")

    with capture(execute=True) as callbacks:
        services.actor_update(actor=with_logo, by=member, data={"logo": new_logo})
        assert (media / old).exists()  # until the commit

    with_logo.refresh_from_db()
    assert callbacks
    assert with_logo.logo.name.endswith("nouveau.png")
    assert (media / with_logo.logo.name).exists()
    assert not (media / old).exists()
    change = with_logo.changes.get(source=ActorChange.Source.EDIT)
    assert change.changes["logo"] == [old, with_logo.logo.name]


def test_a_cleared_logo_is_deleted(with_logo, member, media, capture):
    old = with_logo.logo.name

    with capture(execute=True):
        services.actor_update(actor=with_logo, by=member, data={"logo": ""})

    with_logo.refresh_from_db()
    assert not with_logo.logo
    assert not (media / old).exists()


def test_an_unchanged_or_refused_edit_keeps_the_logo(with_logo, member, media, capture):
    old = with_logo.logo.name
    version = _loaded(with_logo)
    services.actor_update(actor=with_logo, by=member, data={"name": "Autre nom"})

    with capture(execute=True), pytest.raises(services.ChangedMeanwhile):
        services.actor_update(
            actor=with_logo,
            by=member,
            data={"name": "Encore un autre", "logo": ""},
            expected_updated_at=version,
        )

    with_logo.refresh_from_db()
    assert with_logo.logo.name == old
    assert (media / old).exists()


# --- Who is told of a review --------------------------------------------------------------


def test_publishing_tells_the_members(
    network, nantes, member, animator, django_capture_on_commit_callbacks, mailoutbox
):
    pending = ActorFactory(network=network, commune=nantes, pending=True)
    MembershipFactory(actor=pending, user=member)
    with django_capture_on_commit_callbacks(execute=True):
        services.actor_set_status(actor=pending, by=animator, status=Status.PUBLISHED)

    (message,) = mailoutbox
    assert message.to == [member.email]
    assert "publiée" in message.subject and pending.get_absolute_url() in message.body


def test_sending_back_to_draft_needs_a_reason_that_the_members_receive(
    network, nantes, member, animator, django_capture_on_commit_callbacks, mailoutbox
):
    pending = ActorFactory(network=network, commune=nantes, pending=True)
    MembershipFactory(actor=pending, user=member)
    with pytest.raises(ValidationError) as error:
        services.actor_set_status(actor=pending, by=animator, status=Status.DRAFT, reason=" ")
    assert "reason" in error.value.message_dict
    pending.refresh_from_db()
    assert pending.status == Status.PENDING

    with django_capture_on_commit_callbacks(execute=True):
        services.actor_set_status(
            actor=pending, by=animator, status=Status.DRAFT, reason="Ajoutez vos horaires."
        )

    pending.refresh_from_db()
    assert pending.status == Status.DRAFT
    assert pending.changes.get(source=ActorChange.Source.STATUS).note == "Ajoutez vos horaires."
    (message,) = mailoutbox
    assert message.to == [member.email]
    assert "Ajoutez vos horaires." in message.body
    assert f"/espace/structures/{pending.slug}/modifier/" in message.body


def test_only_a_published_profile_is_confirmed(network, nantes, member):
    draft = ActorFactory(network=network, commune=nantes, draft=True, last_confirmed_at=None)
    MembershipFactory(actor=draft, user=member)
    with pytest.raises(ValidationError):
        services.actor_confirm(actor=draft, by=member)
    draft.refresh_from_db()
    assert draft.last_confirmed_at is None
