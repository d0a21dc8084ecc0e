"""The conversations' pages: the inbox, a conversation (404 to outsiders), the first message
from a listing or a structure's page, the actions, the header's unread count."""

import pytest
from django.test import Client
from django.urls import reverse

from cooperation.models import Block, Conversation, ConversationReport, ListingStatus
from cooperation.services import conversations as services
from cooperation.services.listings import listing_create
from tests.factories import ActorFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

OFFER = {
    "kind": "offer",
    "nature": "premises",
    "mode": "rental",
    "title": "Salle de réunion à partager",
    "description": "Trente places, vidéoprojecteur, accessible, le soir et le week-end.",
}


@pytest.fixture
def partner(other_member):
    return other_member.memberships.get().actor


@pytest.fixture
def offer(actor, member):
    return listing_create(actor=actor, by=member, data=OFFER, publish=True)


@pytest.fixture
def conversation(actor, partner, other_member):
    return services.conversation_start(
        from_actor=partner,
        to_actor=actor,
        subject="Une question",
        body="Bonjour, êtes-vous ouverts le samedi ?",
        by=other_member,
    )


def detail_url(conversation) -> str:
    return reverse("cooperation:conversation_detail", args=[conversation.pk])


def action_url(conversation, action: str) -> str:
    return reverse("cooperation:conversation_action", args=[conversation.pk, action])


def test_the_inbox_lists_the_structures_conversations_unread_marked(
    client, member, conversation, django_assert_max_num_queries
):
    client.force_login(member)

    with django_assert_max_num_queries(12):
        page = client.get(reverse("cooperation:conversation_list"))

    html = page.content.decode()
    assert "Une question" in html and "Épicerie solidaire de Rezé" in html
    assert "Non lu" in html
    assert "Messages (1)" in html


def test_the_inbox_has_an_empty_state_and_needs_signing_in(client, user):
    assert client.get(reverse("cooperation:conversation_list")).status_code == 302
    client.force_login(user)

    page = client.get(reverse("cooperation:conversation_list"))

    assert "Aucune conversation pour l'instant" in page.content.decode()


def test_opening_a_conversation_marks_it_read_and_clears_the_header_count(
    client, member, conversation
):
    client.force_login(member)

    page = client.get(detail_url(conversation))

    assert "êtes-vous ouverts le samedi" in page.content.decode()
    assert not Conversation.objects.unread_by(member).exists()
    header = client.get(reverse("cooperation:conversation_list")).content.decode()
    assert "Messages (1)" not in header and ">Messages</a>" in header


def test_outsiders_and_animators_get_a_404_until_it_is_reported(
    client, conversation, user, animator, member
):
    for person in (user, animator):
        client.force_login(person)
        assert client.get(detail_url(conversation)).status_code == 404
        assert client.post(action_url(conversation, "bloquer")).status_code == 404

    services.conversation_report(conversation=conversation, reason="Démarchage", by=member)
    client.force_login(animator)
    page = client.get(detail_url(conversation))

    assert page.status_code == 200 and "Démarchage" in page.content.decode()
    assert "Répondre" not in page.content.decode()  # reads, does not write
    assert client.post(detail_url(conversation), {"body": "Bonjour"}).status_code == 403


def test_a_member_replies_from_the_page(client, member, conversation, actor):
    client.force_login(member)

    response = client.post(detail_url(conversation), {"body": "Oui, de 9 h à 12 h."})

    assert response.status_code == 302
    assert conversation.messages.last().sender == actor
    assert conversation.messages.last().body == "Oui, de 9 h à 12 h."


def test_a_refused_reply_keeps_the_text_and_shows_why(client, member, conversation, actor, partner):
    Block.objects.create(blocker=partner, blocked=actor)
    client.force_login(member)

    page = client.post(detail_url(conversation), {"body": "Mon texte gardé"})

    html = page.content.decode()
    assert page.status_code == 200
    assert "ne reçoit plus de messages" in html and "Mon texte gardé" in html


def test_contacting_from_a_listing_starts_or_reuses_the_conversation(
    client, offer, other_member, partner, actor
):
    url = reverse("cooperation:listing_contact", args=[offer.pk])
    client.force_login(other_member)

    assert "Salle de réunion à partager" in client.get(url).content.decode()
    first = client.post(url, {"from_actor": partner.pk, "body": "Libre jeudi soir ?"})
    client.post(url, {"from_actor": partner.pk, "body": "Ou vendredi ?"})

    conversation = Conversation.objects.get()
    assert first["Location"] == detail_url(conversation)
    assert (conversation.listing, conversation.recipient) == (offer, actor)
    assert conversation.messages.count() == 2


def test_a_person_of_several_structures_chooses_which_writes(
    client, actor, other_member, network, nantes
):
    second = ActorFactory(network=network, commune=nantes, name="Garage solidaire")
    MembershipFactory(actor=second, user=other_member)
    client.force_login(other_member)
    url = reverse("cooperation:actor_contact", args=[actor.slug])

    html = client.get(url).content.decode()
    assert "Vous écrivez pour" in html and "Garage solidaire" in html

    client.post(url, {"from_actor": second.pk, "subject": "Bonjour", "body": "Un message"})

    assert Conversation.objects.get().initiator == second


def test_someone_without_a_structure_is_told_only_members_write(client, user, actor):
    client.force_login(user)

    page = client.get(reverse("cooperation:actor_contact", args=[actor.slug]))

    assert "Seuls les membres d'une structure" in page.content.decode()
    assert (
        client.post(
            reverse("cooperation:actor_contact", args=[actor.slug]), {"body": "x"}
        ).status_code
        == 200
    )
    assert not Conversation.objects.exists()


def test_a_members_only_listing_cannot_be_contacted_from_another_network(
    client, actor, member, other_network
):
    hidden = listing_create(
        actor=actor, by=member, data={**OFFER, "visibility": "network"}, publish=True
    )
    elsewhere = ActorFactory(network=other_network, commune=other_network.communes.first())
    client.force_login(MembershipFactory(actor=elsewhere).user)

    assert client.get(reverse("cooperation:listing_contact", args=[hidden.pk])).status_code == 404


def test_the_contact_links_on_the_listing_and_actor_pages(
    client, offer, actor, member, other_member
):
    listing_url = reverse("cooperation:listing_detail", args=[offer.pk])
    contact = reverse("cooperation:listing_contact", args=[offer.pk])

    assert "Connectez-vous pour contacter" in client.get(listing_url).content.decode()
    client.force_login(member)  # its own structure
    assert contact not in client.get(listing_url).content.decode()
    client.force_login(other_member)
    assert contact in client.get(listing_url).content.decode()
    actor_page = client.get(actor.get_absolute_url()).content.decode()
    assert reverse("cooperation:actor_contact", args=[actor.slug]) in actor_page


def test_the_owner_marks_the_listing_fulfilled_with_the_partner_from_the_page(
    client, offer, member, other_member, partner
):
    conversation = services.conversation_start(
        from_actor=partner,
        to_actor=None,
        subject="",
        body="Intéressés",
        by=other_member,
        listing=offer,
    )
    client.force_login(other_member)
    assert "Marquer satisfaite" not in client.get(detail_url(conversation)).content.decode()
    assert client.post(action_url(conversation, "satisfaite")).status_code == 403  # not its owner
    offer.refresh_from_db()
    assert offer.status == ListingStatus.OPEN

    client.force_login(member)
    html = client.get(detail_url(conversation)).content.decode()
    assert "Marquer en discussion" in html and "Marquer satisfaite avec" in html
    client.post(action_url(conversation, "satisfaite"))

    offer.refresh_from_db()
    assert offer.status == ListingStatus.FULFILLED
    assert list(offer.partners.all()) == [partner]


def test_report_block_and_unblock_from_the_page(client, member, conversation, actor, partner):
    client.force_login(member)

    client.post(action_url(conversation, "signaler"), {"reason": "Insistant"})
    client.post(action_url(conversation, "bloquer"))
    assert ConversationReport.objects.get().reason == "Insistant"
    assert Block.objects.filter(blocker=actor, blocked=partner).exists()
    assert "Débloquer cette structure" in client.get(detail_url(conversation)).content.decode()

    client.post(action_url(conversation, "debloquer"))
    assert not Block.objects.exists()
    assert client.post(action_url(conversation, "inconnue")).status_code == 404


def test_the_forms_are_csrf_protected(member, conversation):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)

    assert client.post(detail_url(conversation), {"body": "Sans jeton"}).status_code == 403
    assert client.post(action_url(conversation, "bloquer")).status_code == 403
    assert conversation.messages.count() == 1
    assert "csrfmiddlewaretoken" in client.get(detail_url(conversation)).content.decode()


def test_the_header_shows_nothing_for_anonymous_visitors(client, conversation):
    html = client.get(reverse("cooperation:catalogue")).content.decode()

    assert reverse("cooperation:conversation_list") not in html


def test_a_stranger_cannot_post_as_a_side(client, conversation):
    client.force_login(UserFactory())

    assert client.post(detail_url(conversation), {"body": "Intrus"}).status_code == 404
    assert conversation.messages.count() == 1
