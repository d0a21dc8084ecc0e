"""A listing's page: shown to whoever may see it, a 404 that says nothing to others."""

import pytest
from django.urls import reverse

from cooperation.services.listings import listing_create
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

OFFER = {
    "kind": "offer",
    "nature": "premises",
    "mode": "rental",
    "title": "Salle de réunion à partager",
    "description": "Trente places, vidéoprojecteur, accessible, le soir et le week-end.",
}


def test_a_public_listing_is_read_by_anyone(client, actor, member):
    listing = listing_create(actor=actor, by=member, data=OFFER, publish=True)

    page = client.get(reverse("cooperation:listing_detail", args=[listing.pk]))

    assert page.status_code == 200
    assert OFFER["title"] in page.content.decode() and actor.name in page.content.decode()


def test_a_members_only_listing_or_a_draft_is_a_404_to_others(client, actor, member, other_member):
    network_only = listing_create(
        actor=actor, by=member, data={**OFFER, "visibility": "network"}, publish=True
    )
    draft = listing_create(actor=actor, by=member, data=OFFER)
    url = reverse("cooperation:listing_detail", args=[network_only.pk])
    draft_url = reverse("cooperation:listing_detail", args=[draft.pk])

    assert client.get(url).status_code == 404
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    client.force_login(other_member)  # a structure of the same network
    assert client.get(url).status_code == 200
    assert client.get(draft_url).status_code == 404
    client.force_login(member)
    assert client.get(draft_url).status_code == 200
