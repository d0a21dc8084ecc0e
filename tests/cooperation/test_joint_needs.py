"""Joint needs (group purchasing): opening a need to other structures until a date, joining
with a quantity, the total, inhabitants where the animators allow them, and the day after
the closing date."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone

from cooperation.models import JointParticipation, Listing
from cooperation.services import joint_needs as services
from cooperation.services.listings import listing_create
from ess_platform.lib.outbox.models import OutboxMessage
from ess_platform.lib.outbox.sending import send_pending
from tests.factories import ActorFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

NEED = {
    "kind": "need",
    "nature": "supply",
    "mode": "sale",
    "title": "Farine bio pour l'hiver",
    "description": "Achat groupé de farine T80 auprès d'un meunier du département.",
    "quantity": Decimal("100"),
    "unit": "kg",
}


def today():
    return timezone.localdate()


def publish(actor, by, **data) -> Listing:
    return listing_create(actor=actor, by=by, data={**NEED, **data}, publish=True)


@pytest.fixture
def need(actor, member):
    return publish(actor, member)


@pytest.fixture
def joint(need, member):
    return services.joint_need_open(listing=need, closes_on=today() + timedelta(days=10), by=member)


@pytest.fixture
def other_actor(other_member):
    return other_member.memberships.get().actor


def test_the_owner_opens_a_need_as_a_joint_need(need, member):
    listing = services.joint_need_open(
        listing=need, closes_on=today() + timedelta(days=10), by=member
    )

    assert listing.is_joint and listing.joint_closes_on == today() + timedelta(days=10)
    assert listing.changes.filter(event="joint_opened").exists()


def test_only_the_owner_opens_it(need, other_member):
    with pytest.raises(PermissionDenied):
        services.joint_need_open(
            listing=need, closes_on=today() + timedelta(days=5), by=other_member
        )


def test_an_offer_is_never_joint(actor, member):
    offer = publish(actor, member, kind="offer")

    with pytest.raises(ValidationError, match="une offre ne se rejoint pas"):
        services.joint_need_open(listing=offer, closes_on=today() + timedelta(days=5), by=member)
    assert not Listing.objects.get(pk=offer.pk).is_joint


def test_the_closing_date_is_to_come_and_within_the_listings_life(need, member):
    with pytest.raises(ValidationError, match="à venir"):
        services.joint_need_open(listing=need, closes_on=today(), by=member)
    with pytest.raises(ValidationError, match="quitte le catalogue"):
        services.joint_need_open(listing=need, closes_on=today() + timedelta(days=200), by=member)


def test_a_closed_or_withdrawn_need_is_not_opened(need, member):
    need.status = "withdrawn"
    need.save()
    with pytest.raises(ValidationError, match="brouillon ou ouvert"):
        services.joint_need_open(listing=need, closes_on=today() + timedelta(days=5), by=member)


def test_another_structure_joins_and_the_total_adds_up(joint, other_member, other_actor):
    services.joint_need_join(
        listing=joint, by=other_member, actor=other_actor, quantity=Decimal("40")
    )

    assert JointParticipation.objects.joint_total(joint) == Decimal("140")
    # Joining again changes the quantity, it does not add a second participation.
    services.joint_need_join(
        listing=joint, by=other_member, actor=other_actor, quantity=Decimal("25"), note="T65"
    )
    (participation,) = JointParticipation.objects.of_listing(joint)
    assert (participation.quantity, participation.note) == (Decimal("25"), "T65")
    assert JointParticipation.objects.joint_total(joint) == Decimal("125")


def test_the_owners_members_hear_of_each_join_in_their_daily_digest(
    joint, member, other_member, other_actor
):
    send_pending()
    mail.outbox.clear()
    services.joint_need_join(
        listing=joint, by=other_member, actor=other_actor, quantity=Decimal("40")
    )

    (line,) = OutboxMessage.objects.filter(key__startswith="cooperation.joint_need.joined")
    assert line.recipients == [member.email] and line.digest_day == today()
    assert other_actor.name in line.body and "140" in line.body
    assert not mail.outbox  # a line of the digest, not an e-mail of its own


def test_the_owner_does_not_join_its_own_need(joint, member, actor):
    with pytest.raises(ValidationError, match="celui de votre structure"):
        services.joint_need_join(listing=joint, by=member, actor=actor, quantity=Decimal("5"))


def test_one_joins_only_for_a_structure_one_acts_for(joint, other_member, network, reze):
    stranger = ActorFactory(network=network, commune=reze)

    with pytest.raises(PermissionDenied):
        services.joint_need_join(
            listing=joint, by=other_member, actor=stranger, quantity=Decimal("5")
        )


def test_joins_are_refused_after_the_closing_date(joint, other_member, other_actor):
    services.joint_need_join(
        listing=joint, by=other_member, actor=other_actor, quantity=Decimal("5")
    )
    Listing.objects.filter(pk=joint.pk).update(joint_closes_on=today() - timedelta(days=1))
    joint.refresh_from_db()

    with pytest.raises(ValidationError, match="clos"):
        services.joint_need_join(
            listing=joint, by=other_member, actor=other_actor, quantity=Decimal("50")
        )
    with pytest.raises(ValidationError, match="clos"):
        services.joint_need_leave(listing=joint, by=other_member, actor=other_actor)
    assert JointParticipation.objects.get().quantity == Decimal("5")


def test_the_closing_day_itself_still_accepts_joins(joint, other_member, other_actor):
    Listing.objects.filter(pk=joint.pk).update(joint_closes_on=today())
    joint.refresh_from_db()

    services.joint_need_join(
        listing=joint, by=other_member, actor=other_actor, quantity=Decimal("5")
    )
    assert JointParticipation.objects.of_listing(joint).count() == 1


def test_a_need_that_is_not_joint_is_not_joined(need, other_member, other_actor):
    with pytest.raises(ValidationError, match="pas un besoin groupé"):
        services.joint_need_join(
            listing=need, by=other_member, actor=other_actor, quantity=Decimal("5")
        )


def test_a_participant_leaves_before_the_close(joint, other_member, other_actor):
    services.joint_need_join(
        listing=joint, by=other_member, actor=other_actor, quantity=Decimal("5")
    )
    services.joint_need_leave(listing=joint, by=other_member, actor=other_actor)

    assert not JointParticipation.objects.exists()
    with pytest.raises(ValidationError, match="ne participez pas"):
        services.joint_need_leave(listing=joint, by=other_member, actor=other_actor)


def test_inhabitants_join_only_once_an_animator_opened_it_to_them(joint, user, member, animator):
    with pytest.raises(ValidationError, match="réservé aux structures"):
        services.joint_need_join(listing=joint, by=user, quantity=Decimal("2"))
    # Its owner may not open it to inhabitants: that is the network's call.
    with pytest.raises(PermissionDenied):
        services.joint_need_open_to_inhabitants(listing=joint, open=True, by=member)

    services.joint_need_open_to_inhabitants(listing=joint, open=True, by=animator)
    services.joint_need_join(listing=joint, by=user, quantity=Decimal("2"))
    services.joint_need_join(listing=joint, by=user, quantity=Decimal("3"))

    assert JointParticipation.objects.of_inhabitants().get().quantity == Decimal("3")
    assert JointParticipation.objects.joint_total(joint) == Decimal("103")


def test_another_networks_animator_does_not_open_it_to_inhabitants(joint, other_animator):
    with pytest.raises(PermissionDenied):
        services.joint_need_open_to_inhabitants(listing=joint, open=True, by=other_animator)


def test_a_members_only_joint_need_is_not_joined_from_another_network(
    actor, member, other_network, animator
):
    listing = publish(actor, member, visibility="network")
    services.joint_need_open(listing=listing, closes_on=today() + timedelta(days=5), by=member)
    services.joint_need_open_to_inhabitants(listing=listing, open=True, by=animator)
    lyon = other_network.communes.get()
    outsider = MembershipFactory(actor=ActorFactory(network=other_network, commune=lyon)).user

    with pytest.raises(PermissionDenied):
        services.joint_need_join(
            listing=listing,
            by=outsider,
            actor=outsider.memberships.get().actor,
            quantity=Decimal("5"),
        )
    with pytest.raises(PermissionDenied):
        services.joint_need_join(listing=listing, by=UserFactory(), quantity=Decimal("5"))


def test_the_day_after_the_close_the_owner_gets_the_final_total_once(
    joint, member, other_member, other_actor, animator, user
):
    services.joint_need_open_to_inhabitants(listing=joint, open=True, by=animator)
    services.joint_need_join(
        listing=joint, by=other_member, actor=other_actor, quantity=Decimal("40")
    )
    services.joint_need_join(listing=joint, by=user, quantity=Decimal("2"))
    send_pending()
    mail.outbox.clear()

    # On the closing day itself, nothing yet.
    assert services.joint_needs_close_pass(today=joint.joint_closes_on).owners == 0
    report = services.joint_needs_close_pass(today=joint.joint_closes_on + timedelta(days=1))
    send_pending()

    assert (report.owners, report.participants) == (1, 2)
    owner_mail = next(m for m in mail.outbox if m.to == [member.email])
    assert "142" in owner_mail.body and other_actor.name in owner_mail.body
    assert user.email in owner_mail.body  # the owner organises the purchase
    assert {m.to[0] for m in mail.outbox} == {member.email, other_member.email, user.email}
    # A rerun owes nothing more.
    again = services.joint_needs_close_pass(today=joint.joint_closes_on + timedelta(days=1))
    assert (again.owners, again.participants) == (0, 0)


def test_the_command_runs_the_pass(joint, capsys):
    Listing.objects.filter(pk=joint.pk).update(joint_closes_on=today() - timedelta(days=1))

    call_command("close_joint_needs")

    assert "Totaux finals envoyés : 1" in capsys.readouterr().out


def test_the_owners_members_do_not_join_as_inhabitants(joint, member, animator):
    services.joint_need_open_to_inhabitants(listing=joint, open=True, by=animator)

    with pytest.raises(ValidationError, match="celui de votre structure"):
        services.joint_need_join(listing=joint, by=member, quantity=Decimal("2"))
    assert not JointParticipation.objects.exists()
