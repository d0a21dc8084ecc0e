"""Alerts of new listings: who hears of a published need, how often, and never twice."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cooperation.models import AlertPreference, Listing
from cooperation.services import alerts as services
from cooperation.services import listings as listing_services
from cooperation.tasks.alerts import alert_new_listing
from ess_platform.lib.outbox.models import OutboxMessage
from ess_platform.lib.outbox.sending import gather_digests, send_pending
from tests.cooperation.test_matching import make_listing
from tests.factories import ActorFactory, MembershipFactory, UserFactory, sector

pytestmark = pytest.mark.django_db


def structure_member(network, commune, slug: str, name: str, sectors=("recyclerie",)):
    """A published structure of `network` at `commune`, and its one member."""
    actor = ActorFactory(
        network=network, commune=commune, name=name, sectors=[sector(s) for s in sectors]
    )
    return MembershipFactory(actor=actor, user=UserFactory(username=slug)).user


def prefer(user, **data):
    sectors = data.pop("sectors", [])
    values = {"frequency": "daily", "kinds": "both", "natures": [], "distance_km": 50, **data}
    return services.alert_preference_save(user=user, data=values, sectors=sectors, by=user)


@pytest.fixture
def neighbours(network, actor, nantes, reze):
    """Around the recyclerie (`actor`): a ressourcerie at Rezé (same sector), a repair café
    (same filière), a builder (neither)."""
    actor.sectors.set([sector("recyclerie")])
    return {
        "ressourcerie": structure_member(network, reze, "ressourcerie", "Ressourcerie de Rezé"),
        "repair": structure_member(network, nantes, "repair", "Repair café", ("reparation",)),
        "builder": structure_member(network, nantes, "builder", "Scop Bâtisseurs", ("batiment",)),
    }


def need(actor, **fields) -> Listing:
    return make_listing(actor, **{"kind": "need", "title": "Un camion pour une collecte", **fields})


def keys(listing) -> dict[str, OutboxMessage]:
    prefix = f"cooperation.listing-alert:{listing.pk}:"
    return {
        message.key.removeprefix(prefix): message
        for message in OutboxMessage.objects.filter(key__startswith=prefix)
    }


def owed_to(listing, user) -> OutboxMessage | None:
    return keys(listing).get(str(user.pk))


def test_at_once_a_daily_digest_or_never(actor, member, neighbours):
    prefer(neighbours["ressourcerie"], frequency="immediate")
    prefer(neighbours["repair"], frequency="never")
    daily = structure_member(actor.network, actor.commune, "daily", "Ressourcerie du Port")
    listing = need(actor)

    report = services.listing_alerts_send(listing_id=listing.pk)

    at_once = owed_to(listing, neighbours["ressourcerie"])
    assert at_once is not None and at_once.digest_day is None
    assert owed_to(listing, daily).digest_day == timezone.localdate()  # no preference: daily
    for nobody in (neighbours["repair"], neighbours["builder"], member):
        assert owed_to(listing, nobody) is None
    assert (report.immediate, report.daily) == (1, 1)

    send_pending()
    [email] = mail.outbox
    assert email.to == ["ressourcerie@example.org"]
    assert "Un camion pour une collecte" in email.subject
    assert "même secteur : Recyclerie et ressourcerie · à 3 km" in email.body
    assert reverse("cooperation:listing_detail", args=[listing.pk]) in email.body
    assert reverse("cooperation:alert_preferences") in email.body

    mail.outbox.clear()
    gather_digests(day=timezone.localdate())
    send_pending()
    [digest] = mail.outbox
    assert digest.to == ["daily@example.org"] and "Un camion pour une collecte" in digest.body


def test_a_persons_preferences_filter_what_they_hear(actor, neighbours):
    person = neighbours["ressourcerie"]  # about 3 km away, same sector
    listing = need(actor, nature="equipment")
    cases = [
        ({"kinds": "offer"}, False),
        ({"kinds": "need"}, True),
        ({"natures": ["premises", "goods"]}, False),
        ({"natures": ["equipment"]}, True),
        ({"sectors": [sector("batiment")]}, False),
        ({"sectors": [sector("recyclerie")]}, True),
        ({"distance_km": 2}, False),
        ({"distance_km": 5}, True),
    ]
    for preference, alerted in cases:
        OutboxMessage.objects.all().delete()
        AlertPreference.objects.filter(user=person).delete()
        prefer(person, **preference)

        services.listing_alerts_send(listing_id=listing.pk)

        assert (owed_to(listing, person) is not None) is alerted, preference


def test_publishing_alerts_once_even_when_the_task_runs_again(
    actor, member, neighbours, django_capture_on_commit_callbacks
):
    prefer(neighbours["ressourcerie"], frequency="immediate")
    data = {
        "kind": "need",
        "nature": "equipment",
        "mode": "loan",
        "title": "Un camion pour une collecte",
        "description": "Samedi, un camion de 12 m³.",
    }
    with django_capture_on_commit_callbacks(execute=True):
        listing = listing_services.listing_create(actor=actor, by=member, data=data, publish=True)
    alerted = set(keys(listing))

    assert alerted == {str(neighbours["ressourcerie"].pk), str(neighbours["repair"].pk)}
    assert alert_new_listing(listing.pk) == {
        "actors": 2,
        "people": 2,
        "immediate": 0,
        "daily": 0,
        "declined": 2,
    }
    assert set(keys(listing)) == alerted
    assert len([m for m in mail.outbox if "ressourcerie@example.org" in m.to]) == 1


def test_a_listing_that_left_the_catalogue_alerts_nobody(actor, neighbours):
    listing = need(actor, status="withdrawn")

    report = services.listing_alerts_send(listing_id=listing.pk)

    assert report.actors == 0 and not keys(listing)


def test_a_members_only_listing_alerts_only_its_network(
    actor, network, other_network, nantes, neighbours
):
    stranger = structure_member(other_network, nantes, "stranger", "Recyclerie voisine")
    both = structure_member(other_network, nantes, "both", "Autre recyclerie")
    # A draft anyone may start in the network opens nothing: only a published one does.
    drafter = structure_member(other_network, nantes, "drafter", "Recyclerie en projet")
    MembershipFactory(actor=ActorFactory(network=network, commune=nantes, draft=True), user=drafter)
    MembershipFactory(actor=ActorFactory(network=network, commune=nantes), user=both)
    listing = need(actor, visibility="network")

    services.listing_alerts_send(listing_id=listing.pk)

    assert owed_to(listing, stranger) is None
    assert owed_to(listing, drafter) is None
    assert owed_to(listing, both) is not None  # a member in the network too: sees it
    assert owed_to(listing, neighbours["ressourcerie"]) is not None
    public = need(actor, title="Un autre camion")
    services.listing_alerts_send(listing_id=public.pk)
    assert owed_to(public, stranger) is not None


def _crowd(network, commune, count: int, start: int) -> None:
    for i in range(start, start + count):
        user = structure_member(network, commune, f"crowd{i}", f"Recyclerie {i}")
        if i % 3 == 0:
            prefer(user, frequency="immediate", sectors=[sector("recyclerie")])


def test_the_fan_out_takes_the_same_queries_for_30_or_60_structures(
    actor, network, nantes, django_assert_max_num_queries
):
    actor.sectors.set([sector("recyclerie")])
    _crowd(network, nantes, 30, 0)
    first = need(actor)
    with CaptureQueriesContext(connection) as thirty:
        report = services.listing_alerts_send(listing_id=first.pk)
    assert report.immediate + report.daily == 30

    _crowd(network, nantes, 30, 30)
    second = need(actor, title="Un deuxième camion")
    with django_assert_max_num_queries(len(thirty.captured_queries)):
        report = services.listing_alerts_send(listing_id=second.pk)
    assert report.immediate + report.daily == 60


def test_expired_availability_and_far_structures_are_not_alerted(actor, other_network, neighbours):
    lyon = other_network.communes.get()
    far = structure_member(other_network, lyon, "lyon", "Recyclerie lyonnaise")
    listing = need(actor, available_until=timezone.localdate() + timedelta(days=3))

    services.listing_alerts_send(listing_id=listing.pk)

    assert owed_to(listing, far) is None
    assert owed_to(listing, neighbours["ressourcerie"]) is not None


# --- The preferences page ---------------------------------------------------------------------


def test_the_preferences_page_is_for_signed_in_people(client, settings):
    response = client.get(reverse("cooperation:alert_preferences"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse(settings.LOGIN_URL))


def test_a_member_sets_their_alerts(client, member):
    client.force_login(member)
    url = reverse("cooperation:alert_preferences")

    page = client.get(url)
    assert page.status_code == 200
    # Nothing set yet: the defaults.
    assert page.context["form"]["frequency"].value() == "daily"
    assert page.context["form"]["distance_km"].value() == 50

    response = client.post(
        url,
        {
            "frequency": "immediate",
            "kinds": "offer",
            "natures": ["equipment", "premises"],
            "sectors": [sector("recyclerie").pk],
            "distance_km": "15",
        },
    )

    assert response.status_code == 302
    preference = AlertPreference.objects.get(user=member)
    assert (preference.frequency, preference.kinds, preference.distance_km) == (
        "immediate",
        "offer",
        15,
    )
    assert preference.natures == ["equipment", "premises"]
    assert [s.slug for s in preference.sectors.all()] == ["recyclerie"]


def test_bad_preferences_are_refused_with_their_message(client, member):
    client.force_login(member)

    response = client.post(
        reverse("cooperation:alert_preferences"),
        {"frequency": "hourly", "kinds": "both", "distance_km": "5000"},
    )

    assert response.status_code == 200
    assert not AlertPreference.objects.filter(user=member).exists()
    form = response.context["form"]
    assert set(form.errors) == {"frequency", "distance_km"}


def test_nobody_sets_someone_elses_alerts(member, other_member):
    with pytest.raises(PermissionDenied):
        services.alert_preference_save(
            user=member, data={"frequency": "never"}, sectors=[], by=other_member
        )
