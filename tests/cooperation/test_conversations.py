"""Conversations between structures: starting one (from a listing or a structure), who reads
it, blocks, rate limits, the batched e-mails, reports, and the listing fulfilled with the
partner from its conversation."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from cooperation.models import Conversation, ConversationReport, ListingStatus
from cooperation.services import conversations as services
from cooperation.services.listings import listing_create
from directory.models import Membership
from ess_platform.lib.outbox.sending import send_pending
from tests.factories import ActorFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

NEED = {
    "kind": "need",
    "nature": "equipment",
    "mode": "loan",
    "title": "Un camion pour une collecte",
    "description": "Une collecte de meubles le samedi 14, un camion de 12 m³ et son chauffeur.",
}


@pytest.fixture
def partner(other_member):
    """The structure of `other_member` (same network as `actor`)."""
    return other_member.memberships.get().actor


@pytest.fixture
def need(actor, member):
    return listing_create(actor=actor, by=member, data=NEED, publish=True)


def start(from_actor, to_actor, by, body="Bonjour, nous pouvons vous aider.", **kwargs):
    return services.conversation_start(
        from_actor=from_actor,
        to_actor=to_actor,
        subject=kwargs.pop("subject", "Votre collecte"),
        body=body,
        by=by,
        **kwargs,
    )


def sent_to(address: str) -> list:
    send_pending()
    return [m for m in mail.outbox if address in m.to]


def test_a_member_writes_to_another_structure_whose_members_are_emailed(
    actor, member, partner, other_member
):
    colleague = MembershipFactory(actor=actor, user=UserFactory(username="collegue")).user

    conversation = start(partner, actor, other_member)

    assert (conversation.initiator, conversation.recipient) == (partner, actor)
    assert [m.body for m in conversation.messages.all()] == ["Bonjour, nous pouvons vous aider."]
    assert len(sent_to(member.email)) == 1 and len(sent_to(colleague.email)) == 1
    assert sent_to(other_member.email) == []  # never the author
    assert "Votre collecte" in sent_to(member.email)[0].subject


def test_contacting_about_the_same_listing_again_adds_to_the_conversation(
    need, actor, partner, other_member
):
    first = start(partner, None, other_member, listing=need, subject="")
    again = start(partner, None, other_member, listing=need, body="Toujours disponible ?")

    assert first.pk == again.pk
    assert first.recipient == actor and first.subject == NEED["title"]
    assert Conversation.objects.count() == 1
    assert first.messages.count() == 2


def test_a_listing_contact_needs_a_live_listing_the_writer_sees(
    actor, member, partner, other_member, other_network
):
    draft = listing_create(actor=actor, by=member, data=NEED)
    members_only = listing_create(
        actor=actor, by=member, data={**NEED, "visibility": "network"}, publish=True
    )
    elsewhere = ActorFactory(network=other_network, commune=other_network.communes.first())
    stranger = MembershipFactory(actor=elsewhere).user

    with pytest.raises(PermissionDenied):
        start(partner, None, other_member, listing=draft)
    with pytest.raises(PermissionDenied):
        start(elsewhere, None, stranger, listing=members_only)
    assert start(partner, None, other_member, listing=members_only).recipient == actor


def test_only_a_member_writes_for_a_structure_and_not_to_itself(actor, member, partner, user):
    with pytest.raises(PermissionDenied):
        start(partner, actor, user)
    with pytest.raises(PermissionDenied):
        start(partner, actor, member)  # a member of the other side
    with pytest.raises(ValidationError, match="elle-même"):
        start(actor, actor, member)


def test_only_a_structures_members_write_for_it_not_its_animators(actor, partner, animator):
    # A conversation is read by the members of its sides only: an animator who wrote for
    # a structure could not read the answer, nor anyone who left the structure since.
    with pytest.raises(PermissionDenied):
        start(partner, actor, animator)


def test_whoever_leaves_a_structure_leaves_its_conversations(actor, partner, other_member):
    conversation = start(partner, actor, other_member)
    Membership.objects.filter(user=other_member, actor=partner).delete()

    assert not Conversation.objects.readable_by(other_member).filter(pk=conversation.pk).exists()
    assert services.sides_of(other_member, conversation) == []


def test_members_of_both_sides_read_it_others_and_animators_do_not(
    actor, member, partner, other_member, animator, user
):
    colleague = MembershipFactory(actor=partner, user=UserFactory(username="collegue")).user
    conversation = start(partner, actor, other_member)
    readable = lambda person: Conversation.objects.readable_by(person).filter(  # noqa: E731
        pk=conversation.pk
    )

    assert readable(member).exists() and readable(colleague).exists()
    assert not readable(user).exists()
    assert not readable(animator).exists()  # private until reported

    services.conversation_report(conversation=conversation, reason="Démarchage", by=member)

    assert readable(animator).exists()
    assert services.sides_of(animator, conversation) == []


def test_a_blocked_structure_cannot_write_again(actor, member, partner, other_member):
    conversation = start(partner, actor, other_member)
    services.actor_block(blocker=actor, blocked=partner, by=member)

    with pytest.raises(ValidationError, match="ne reçoit plus de messages"):
        services.message_send(
            conversation=conversation, sender_actor=partner, body="Et alors ?", by=other_member
        )
    with pytest.raises(ValidationError, match="ne reçoit plus de messages"):
        start(partner, actor, other_member, subject="Autre chose")
    with pytest.raises(ValidationError, match="débloquez-la"):
        services.message_send(
            conversation=conversation, sender_actor=actor, body="Au revoir", by=member
        )
    with pytest.raises(PermissionDenied):
        services.actor_unblock(blocker=actor, blocked=partner, by=other_member)

    services.actor_unblock(blocker=actor, blocked=partner, by=member)
    assert services.message_send(
        conversation=conversation, sender_actor=partner, body="Merci.", by=other_member
    )


def test_too_many_new_conversations_or_messages_in_an_hour_are_refused(
    monkeypatch, actor, member, partner, other_member, network, nantes
):
    monkeypatch.setattr(services, "CONVERSATIONS_PER_HOUR", 2)
    monkeypatch.setattr(services, "MESSAGES_PER_HOUR", 4)
    third = ActorFactory(network=network, commune=nantes)
    start(partner, actor, other_member)
    conversation = start(partner, third, other_member)

    with pytest.raises(ValidationError, match="trop de conversations en une heure"):
        start(partner, ActorFactory(network=network, commune=nantes), other_member)
    send = lambda: services.message_send(  # noqa: E731
        conversation=conversation, sender_actor=partner, body="Relance", by=other_member
    )
    send()
    send()
    with pytest.raises(ValidationError, match="trop de messages en une heure"):
        send()
    # Someone else of the same structure is counted apart.
    assert services.message_send(
        conversation=conversation,
        sender_actor=partner,
        body="Bonjour",
        by=MembershipFactory(actor=partner).user,
    )


def test_a_burst_of_messages_owes_one_email_per_recipient_until_they_read(
    actor, member, partner, other_member
):
    colleague = MembershipFactory(actor=actor, user=UserFactory(username="collegue")).user
    conversation = start(partner, actor, other_member, body="Premier")
    for body in ("Deuxième", "Troisième"):
        services.message_send(
            conversation=conversation, sender_actor=partner, body=body, by=other_member
        )

    assert len(sent_to(member.email)) == 1
    assert len(sent_to(colleague.email)) == 1
    assert sent_to(other_member.email) == []

    services.conversation_mark_read(conversation=conversation, user=member)
    services.message_send(
        conversation=conversation, sender_actor=partner, body="Quatrième", by=other_member
    )

    assert len(sent_to(member.email)) == 2  # read since: told again
    assert len(sent_to(colleague.email)) == 1  # still unread: no second e-mail


def test_a_reply_notifies_the_other_side_only(actor, member, partner, other_member):
    conversation = start(partner, actor, other_member)
    send_pending()
    mail.outbox.clear()

    services.message_send(conversation=conversation, sender_actor=actor, body="Oui !", by=member)

    assert len(sent_to(other_member.email)) == 1
    assert sent_to(member.email) == []


def test_unread_counts_follow_each_persons_reading(actor, member, partner, other_member):
    colleague = MembershipFactory(actor=actor, user=UserFactory(username="collegue")).user
    conversation = start(partner, actor, other_member)

    assert list(Conversation.objects.unread_by(member)) == [conversation]
    assert list(Conversation.objects.unread_by(other_member)) == []  # wrote it

    services.conversation_mark_read(conversation=conversation, user=member)

    assert list(Conversation.objects.unread_by(member)) == []
    assert list(Conversation.objects.unread_by(colleague)) == [conversation]
    services.message_send(
        conversation=conversation, sender_actor=partner, body="Et", by=other_member
    )
    assert list(Conversation.objects.unread_by(member)) == [conversation]


def test_a_report_emails_the_animators_of_both_networks(
    actor, member, other_network, animator, other_animator
):
    elsewhere = ActorFactory(network=other_network, commune=other_network.communes.first())
    stranger = MembershipFactory(actor=elsewhere).user
    conversation = start(elsewhere, actor, stranger)

    with pytest.raises(PermissionDenied):
        services.conversation_report(conversation=conversation, reason="x", by=animator)
    with pytest.raises(ValidationError):
        services.conversation_report(conversation=conversation, reason="  ", by=member)
    services.conversation_report(conversation=conversation, reason="Propos insultants", by=member)

    assert ConversationReport.objects.get().by == member
    for address in (animator.email, other_animator.email):
        [email] = sent_to(address)
        assert "Propos insultants" in email.body
        assert f"/espace/messages/{conversation.pk}/" in email.body


def test_the_owner_marks_the_listing_fulfilled_with_the_partner_from_the_conversation(
    need, actor, member, partner, other_member
):
    conversation = start(partner, None, other_member, listing=need)

    with pytest.raises(PermissionDenied):
        services.conversation_listing_fulfil(conversation=conversation, by=other_member)
    services.conversation_listing_discuss(conversation=conversation, by=member)
    need.refresh_from_db()
    assert need.status == ListingStatus.IN_DISCUSSION

    services.conversation_listing_fulfil(conversation=conversation, by=member)

    need.refresh_from_db()
    assert need.status == ListingStatus.FULFILLED
    assert list(need.partners.all()) == [partner]


def test_a_double_click_from_a_structures_page_starts_one_conversation(
    actor, partner, other_member
):
    first = services.conversation_start(
        from_actor=partner,
        to_actor=actor,
        subject="Bonjour",
        body="Un partenariat ?",
        by=other_member,
    )
    again = services.conversation_start(
        from_actor=partner,
        to_actor=actor,
        subject="Bonjour",
        body="Un partenariat ?",
        by=other_member,
    )

    assert again.pk == first.pk and first.messages.count() == 1
    other = services.conversation_start(
        from_actor=partner, to_actor=actor, subject="Autre", body="Autre chose", by=other_member
    )
    assert other.pk != first.pk
