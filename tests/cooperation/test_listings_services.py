"""The catalogue's listings: drafting, publishing for three months, renewing, the states,
who sees what, and the daily expiry pass."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from cooperation.models import Listing, ListingStatus
from cooperation.services import listings as services
from directory.models import Actor, Status
from ess_platform.lib.outbox.sending import send_pending
from tests.factories import ActorFactory, CommuneFactory, MembershipFactory, UserFactory, sector

pytestmark = pytest.mark.django_db

L = ListingStatus
NEED = {
    "kind": "need",
    "nature": "equipment",
    "mode": "loan",
    "title": "Un camion pour une collecte",
    "description": "Une collecte de meubles le samedi 14, un camion de 12 m³ et son chauffeur.",
}


def publish(actor: Actor, by, **data) -> Listing:
    return services.listing_create(actor=actor, by=by, data={**NEED, **data}, publish=True)


def test_a_listing_takes_the_structures_place_and_sectors_and_lives_three_months(actor, member):
    actor.sectors.set([sector("recyclerie")])

    listing = publish(actor, member)

    assert listing.status == L.OPEN
    assert (listing.commune_id, listing.lat, listing.lon) == (
        actor.commune_id,
        actor.lat,
        actor.lon,
    )
    assert [s.slug for s in listing.sectors.all()] == ["recyclerie"]
    lifetime = listing.expires_at - listing.published_at
    assert timedelta(days=90) <= lifetime <= timedelta(days=92)
    assert list(listing.changes.values_list("event", flat=True)) == ["published", "created"]


def test_another_commune_places_the_listing_there(actor, member, reze):
    listing = publish(actor, member, commune=reze, area_km=5)

    assert (listing.lat, listing.lon) == (reze.lat, reze.lon)


def test_only_the_structures_members_and_animators_write(actor, member, other_member, animator):
    with pytest.raises(PermissionDenied):
        publish(actor, other_member)
    listing = publish(actor, animator)
    with pytest.raises(PermissionDenied):
        services.listing_withdraw(listing=listing, by=other_member)
    with pytest.raises(PermissionDenied):
        services.listing_renew(listing=listing, by=UserFactory())


def test_a_draft_structure_waits_for_its_admission(network, nantes, member):
    draft = ActorFactory(network=network, commune=nantes, draft=True)
    MembershipFactory(actor=draft, user=member)

    listing = services.listing_create(actor=draft, by=member, data=NEED)
    with pytest.raises(ValidationError, match="pas encore publiée"):
        services.listing_publish(listing=listing, by=member)
    assert Listing.objects.get(pk=listing.pk).status == L.DRAFT


def test_a_price_is_given_or_the_listing_is_free_or_to_discuss(actor, member):
    with pytest.raises(ValidationError) as error:
        publish(actor, member, price_kind="amount")
    assert "price" in error.value.message_dict

    priced = publish(actor, member, price_kind="amount", price=Decimal("35"))
    free = publish(actor, member, price_kind="free", price=Decimal("35"))

    assert priced.price == Decimal("35") and free.price is None


def test_availability_ends_after_it_starts(actor, member):
    with pytest.raises(ValidationError) as error:
        publish(actor, member, available_from=date(2027, 3, 10), available_until=date(2027, 3, 1))
    assert "available_until" in error.value.message_dict


@pytest.mark.parametrize(
    "move",
    [
        lambda listing, by: services.listing_discuss(listing=listing, by=by),
        lambda listing, by: services.listing_fulfil(listing=listing, by=by),
        lambda listing, by: services.listing_renew(listing=listing, by=by),
        lambda listing, by: services.listing_withdraw(listing=listing, by=by),
    ],
)
def test_a_closed_listing_moves_no_more(actor, member, move):
    listing = publish(actor, member)
    services.listing_withdraw(listing=listing, by=member)

    with pytest.raises(ValidationError):
        move(listing, member)


def test_a_listing_is_discussed_then_fulfilled_with_its_partners(actor, member, other_member):
    partner = other_member.memberships.get().actor
    listing = publish(actor, member)

    listing = services.listing_discuss(listing=listing, by=member)
    assert listing.status == L.IN_DISCUSSION
    with pytest.raises(ValidationError):
        services.listing_fulfil(
            listing=listing, by=member, partners=[ActorFactory(network=actor.network, draft=True)]
        )
    listing = services.listing_fulfil(listing=listing, by=member, partners=[partner, actor])

    assert listing.status == L.FULFILLED
    assert list(listing.partners.all()) == [partner]  # never the owner itself
    assert listing.changes.filter(event="fulfilled", note=partner.name).exists()


def test_two_owners_closing_at_once_record_one_move(actor, member):
    listing = publish(actor, member)
    stale_copy = Listing.objects.get(pk=listing.pk)
    services.listing_withdraw(listing=listing, by=member)

    with pytest.raises(ValidationError):
        services.listing_fulfil(listing=stale_copy, by=member)
    assert listing.changes.filter(event__in=["withdrawn", "fulfilled"]).count() == 1


# --- Who sees what ------------------------------------------------------------------------


def test_members_only_listings_stay_in_their_network(actor, member, other_member, other_animator):
    network_only = publish(actor, member, visibility="network", title="Réservée au réseau")
    public = publish(actor, member, title="Publique")
    lyon = ActorFactory(network=other_animator.animated_networks.get(), commune=CommuneFactory())
    stranger = MembershipFactory(actor=lyon, user=UserFactory()).user

    def seen_by(user):
        return set(Listing.objects.live().visible_to(user).values_list("title", flat=True))

    from django.contrib.auth.models import AnonymousUser

    assert seen_by(AnonymousUser()) == {public.title}
    assert seen_by(stranger) == {public.title}
    assert seen_by(other_animator) == {public.title}
    assert seen_by(other_member) == {public.title, network_only.title}  # same network
    assert seen_by(member) == {public.title, network_only.title}


def test_the_catalogue_leaves_out_expired_dates_and_unpublished_structures(actor, member, animator):
    listing = publish(actor, member)
    assert Listing.objects.live().filter(pk=listing.pk).exists()

    later = listing.expires_at + timedelta(seconds=1)
    assert not Listing.objects.live(as_of=later).filter(pk=listing.pk).exists()

    from directory.services.actors import actor_set_status

    actor_set_status(actor=actor, by=animator, status=Status.SUSPENDED)
    assert not Listing.objects.live().filter(pk=listing.pk).exists()


# --- Expiry ---------------------------------------------------------------------------------


def test_owners_are_reminded_once_a_week_before_then_the_listing_expires(actor, member):
    listing = publish(actor, member)
    week_before = listing.expires_at - timedelta(days=6)

    first = services.listings_expiry_pass(as_of=week_before)
    again = services.listings_expiry_pass(as_of=week_before + timedelta(days=1))
    send_pending()

    assert (first.reminded, again.reminded) == (1, 0)
    (reminder,) = [m for m in mail.outbox if member.email in m.to]
    assert listing.title in reminder.subject
    assert f"/catalogue/{listing.pk}/" in reminder.body

    report = services.listings_expiry_pass(as_of=listing.expires_at + timedelta(minutes=1))
    listing.refresh_from_db()
    assert report.expired == 1 and listing.status == L.EXPIRED
    assert services.listings_expiry_pass(as_of=listing.expires_at + timedelta(days=1)).expired == 0


def test_renewing_brings_an_expired_listing_back_and_starts_a_new_reminder_cycle(actor, member):
    listing = publish(actor, member)
    services.listings_expiry_pass(as_of=listing.expires_at - timedelta(days=3))
    services.listings_expiry_pass(as_of=listing.expires_at + timedelta(minutes=1))

    listing = services.listing_renew(listing=Listing.objects.get(pk=listing.pk), by=member)

    assert listing.status == L.OPEN
    assert listing.expires_at > timezone.now() + timedelta(days=89)
    report = services.listings_expiry_pass(as_of=listing.expires_at - timedelta(days=3))
    assert report.reminded == 1  # a new expiry date, a new reminder


def test_the_command_and_the_task_run_the_pass(actor, member):
    from io import StringIO

    from django.core.management import call_command

    from cooperation.tasks.listings import run_listings_expiry_pass

    publish(actor, member)
    out = StringIO()
    call_command("expire_listings", stdout=out)

    assert "Annonces expirées : 0" in out.getvalue()
    assert run_listings_expiry_pass.delay().get() == {"reminded": 0, "expired": 0}


def test_a_draft_structure_opens_no_members_only_listing(actor, member, network, nantes):
    secret = publish(actor, member, visibility="network")
    drafter = UserFactory(username="drafter")
    # Anyone may start a draft structure in the network's territory: it opens nothing.
    MembershipFactory(actor=ActorFactory(network=network, commune=nantes, draft=True), user=drafter)

    assert not Listing.objects.live().visible_to(drafter).filter(pk=secret.pk).exists()
    MembershipFactory(actor=ActorFactory(network=network, commune=nantes), user=drafter)
    assert Listing.objects.live().visible_to(drafter).filter(pk=secret.pk).exists()
