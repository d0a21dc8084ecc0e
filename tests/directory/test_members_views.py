"""The members' pages: join requests, their decision, and invitations (directory.views.members)."""

import pytest
from django.urls import reverse

from directory.models import JoinRequest, Membership
from directory.services import members as member_services
from tests.factories import InvitationFactory, JoinRequestFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_join_request_flow_owner_accepts(
    client, actor, member, user, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("directory:join_request_create", args=[actor.slug]),
            {"message": "Je suis trésorière."},
        )
    join_request = JoinRequest.objects.get(actor=actor, user=user)
    assert any(member.email in m.to for m in mailoutbox)
    client.force_login(member)
    assert "Je suis trésorière." in client.get(reverse("directory:my_actors")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("directory:join_request_decide", args=[join_request.pk]), {"decision": "accept"}
        )
    assert Membership.objects.filter(actor=actor, user=user).exists()
    assert user.email in mailoutbox[-1].to


def test_invitation_by_email_is_accepted_by_the_invited_address_only(
    client, actor, member, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(member)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("directory:actor_members", args=[actor.slug]), {"email": "nouvelle@example.org"}
        )
    body = mailoutbox[-1].body
    path = body[body.index("/espace/invitations/") :].split()[0]
    intruder = UserFactory(username="intrus")
    client.force_login(intruder)
    client.post(path)
    assert not Membership.objects.filter(actor=actor, user=intruder).exists()
    invited = UserFactory(username="nouvelle")
    client.force_login(invited)
    assert client.get(path).status_code == 200  # GET only shows the confirmation
    assert not Membership.objects.filter(actor=actor, user=invited).exists()
    client.post(path)
    assert Membership.objects.filter(actor=actor, user=invited).exists()
    assert client.get("/espace/invitations/forged-token/").status_code == 404


def test_animator_sees_and_decides_join_requests_of_its_network(client, actor, animator, user):
    join_request = JoinRequestFactory(actor=actor, user=user, message="Bonjour")
    client.force_login(animator)
    assert "Bonjour" in client.get(reverse("directory:review_list")).content.decode()
    client.post(
        reverse("directory:join_request_decide", args=[join_request.pk]), {"decision": "accept"}
    )
    assert Membership.objects.filter(actor=actor, user=user).exists()


def test_decided_join_requests_leave_the_queues_and_cannot_be_decided_again(
    client, actor, member, animator
):
    pending = JoinRequestFactory(actor=actor, message="En attente de réponse")
    accepted = JoinRequestFactory(actor=actor, message="Déjà acceptée", accepted=True)
    refused = JoinRequestFactory(actor=actor, message="Déjà refusée", refused=True)

    client.force_login(animator)
    review = client.get(reverse("directory:review_list")).content.decode()
    assert "En attente de réponse" in review
    assert "Déjà acceptée" not in review and "Déjà refusée" not in review
    client.force_login(member)
    members = client.get(reverse("directory:actor_members", args=[actor.slug])).content.decode()
    assert reverse("directory:join_request_decide", args=[pending.pk]) in members
    assert reverse("directory:join_request_decide", args=[refused.pk]) not in members

    response = client.post(
        reverse("directory:join_request_decide", args=[refused.pk]),
        {"decision": "accept"},
        follow=True,
    )
    assert "Cette demande a déjà été traitée." in response.content.decode()
    refused.refresh_from_db()
    assert refused.state == JoinRequest.State.REFUSED
    assert not Membership.objects.filter(actor=actor, user=refused.user).exists()
    assert Membership.objects.get(actor=actor, user=accepted.user).role == "editor"


def test_a_used_invitation_link_says_so_and_adds_nobody(client, actor):
    invitation = InvitationFactory(actor=actor, accepted=True)
    path = reverse(
        "directory:invitation_accept",
        kwargs={"token": member_services.invitation_token(invitation)},
    )
    client.force_login(invitation.accepted_by)

    page = client.get(path)
    assert page.status_code == 200
    assert "Cette invitation a déjà été utilisée." in page.content.decode()
    response = client.post(path, follow=True)
    assert "Cette invitation a déjà été utilisée." in response.content.decode()
    assert actor.memberships.filter(user=invitation.accepted_by).count() == 1


def test_join_request_decision_never_redirects_off_site(client, actor, member, user):
    join_request = JoinRequestFactory(actor=actor, user=user)
    client.force_login(member)
    response = client.post(
        reverse("directory:join_request_decide", args=[join_request.pk]),
        {"decision": "refuse", "next": "https://evil.example/phish"},
    )
    assert response["Location"] == reverse("directory:my_actors")
