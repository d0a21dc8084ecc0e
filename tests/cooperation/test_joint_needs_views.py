"""The joint need on the listing's page: what each person sees, and the forms posted from
there (owner, other structures, inhabitants, the network's animators)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from cooperation import matching
from cooperation.models import JointParticipation, Listing
from cooperation.services import joint_needs as services
from cooperation.services.listings import listing_create
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


def closes_on():
    return timezone.localdate() + timedelta(days=10)


@pytest.fixture
def need(actor, member):
    return listing_create(actor=actor, by=member, data=NEED, publish=True)


@pytest.fixture
def joint(need, member):
    return services.joint_need_open(listing=need, closes_on=closes_on(), by=member)


@pytest.fixture
def other_actor(other_member):
    return other_member.memberships.get().actor


def page(client, listing) -> str:
    response = client.get(reverse("cooperation:listing_detail", args=[listing.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_owner_sees_the_form_to_open_a_joint_need_and_uses_it(client, need, member):
    client.force_login(member)
    assert "Ouvrir en besoin groupé" in page(client, need)

    response = client.post(
        reverse("cooperation:joint_need_open", args=[need.pk]),
        {"closes_on": closes_on().isoformat()},
    )

    assert response.status_code == 302
    assert Listing.objects.get(pk=need.pk).is_joint


def test_others_see_no_opening_form_and_may_not_post_it(client, need, other_member):
    client.force_login(other_member)
    assert "Ouvrir en besoin groupé" not in page(client, need)

    response = client.post(
        reverse("cooperation:joint_need_open", args=[need.pk]),
        {"closes_on": closes_on().isoformat()},
    )
    assert response.status_code == 403


def test_a_structure_joins_from_the_page_and_is_named_to_the_owner_only(
    client, joint, other_member, other_actor, member
):
    client.force_login(other_member)
    assert "Rejoindre ce besoin groupé" in page(client, joint)

    response = client.post(
        reverse("cooperation:joint_need_join", args=[joint.pk]),
        {"actor": other_actor.pk, "quantity": "40"},
    )

    assert response.status_code == 302
    assert JointParticipation.objects.joint_total(joint) == Decimal("140")
    client.logout()
    html = page(client, joint)
    assert other_actor.name not in html and "1 structure" in html
    assert "140" in html
    client.force_login(member)
    html = page(client, joint)
    assert other_actor.name in html and other_actor.get_absolute_url() in html


def test_an_inhabitant_is_counted_never_named(client, joint, animator, user, other_member):
    services.joint_need_open_to_inhabitants(listing=joint, open=True, by=animator)
    client.force_login(user)
    assert "Moi-même" in page(client, joint)

    client.post(reverse("cooperation:joint_need_join", args=[joint.pk]), {"quantity": "3"})

    assert JointParticipation.objects.of_inhabitants().get().user == user
    client.force_login(other_member)
    html = page(client, joint)
    assert "1 habitant" in html and user.username not in html and user.email not in html


def test_a_refused_join_says_why(client, joint, user):
    client.force_login(user)  # not a member of any structure, not opened to inhabitants

    response = client.post(
        reverse("cooperation:joint_need_join", args=[joint.pk]), {"quantity": "3"}, follow=True
    )

    assert not JointParticipation.objects.exists()
    assert "Ce champ est obligatoire" in response.content.decode()


def test_only_the_networks_animators_see_and_use_the_inhabitants_switch(
    client, joint, member, animator, other_animator
):
    url = reverse("cooperation:joint_need_inhabitants", args=[joint.pk])
    client.force_login(member)
    assert "Ouvrir aux habitants" not in page(client, joint)
    assert client.post(url, {"open": "on"}).status_code == 403
    client.force_login(other_animator)
    assert client.post(url, {"open": "on"}).status_code == 403

    client.force_login(animator)
    assert "Ouvrir aux habitants" in page(client, joint)
    client.post(url, {"open": "on"})
    assert Listing.objects.get(pk=joint.pk).open_to_inhabitants
    client.post(url, {})
    assert not Listing.objects.get(pk=joint.pk).open_to_inhabitants


def test_a_members_only_joint_need_is_hidden_from_other_networks(
    client, actor, member, other_network
):
    listing = listing_create(
        actor=actor, by=member, data={**NEED, "visibility": "network"}, publish=True
    )
    services.joint_need_open(listing=listing, closes_on=closes_on(), by=member)
    lyon = other_network.communes.get()
    outsider = MembershipFactory(actor=ActorFactory(network=other_network, commune=lyon)).user
    client.force_login(outsider)

    assert client.get(reverse("cooperation:listing_detail", args=[listing.pk])).status_code == 404
    response = client.post(
        reverse("cooperation:joint_need_join", args=[listing.pk]),
        {"actor": outsider.memberships.get().actor_id, "quantity": "5"},
    )
    assert response.status_code == 404
    assert not JointParticipation.objects.exists()


def test_the_owner_sees_the_offers_that_could_serve_the_total(
    client, joint, member, other_member, other_actor, monkeypatch
):
    offer = listing_create(
        actor=other_actor,
        by=other_member,
        data={**NEED, "kind": "offer", "title": "Farine du moulin"},
        publish=True,
    )
    asked = {}

    def fake_matches(listing, *, viewer, limit, quantity):
        asked.update(quantity=quantity, limit=limit)
        return [matching.Match(score=0.9, reasons=["même filière", "à 4 km"], listing=offer)]

    monkeypatch.setattr(
        "cooperation.templatetags.cooperation_joint_needs.listing_matches", fake_matches
    )
    client.force_login(member)
    html = page(client, joint)

    assert "Les offres qui pourraient servir le total" in html
    assert "Farine du moulin" in html and "même filière · à 4 km" in html
    assert asked == {"quantity": Decimal("100"), "limit": 5}
    client.force_login(UserFactory())
    assert "Les offres qui pourraient servir le total" not in page(client, joint)


def test_a_participant_leaves_from_the_page(client, joint, other_member, other_actor):
    services.joint_need_join(
        listing=joint, by=other_member, actor=other_actor, quantity=Decimal("5")
    )
    client.force_login(other_member)
    assert "Quitter le groupement" in page(client, joint)

    client.post(reverse("cooperation:joint_need_leave", args=[joint.pk]), {"actor": other_actor.pk})

    assert not JointParticipation.objects.exists()


def test_the_owner_is_not_offered_to_join_its_own_need(client, joint, member, animator):
    services.joint_need_open_to_inhabitants(listing=joint, open=True, by=animator)
    client.force_login(member)

    html = page(client, joint)

    assert "Besoin groupé" in html and "Rejoindre ce besoin groupé" not in html
