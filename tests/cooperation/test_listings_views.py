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


def _form(**overrides):
    data = {
        **OFFER,
        "audience": "structures",
        "area_km": "15",
        "price_kind": "to_discuss",
        "visibility": "public",
    }
    data.update(overrides)
    return data


def test_a_member_publishes_a_listing_from_the_form(client, actor, member):
    client.force_login(member)
    url = reverse("cooperation:listing_create", args=[actor.slug])
    assert "Publier pour trois mois" in client.get(url).content.decode()

    refused = client.post(url, _form(price_kind="amount", publish="1"))
    assert refused.status_code == 200
    assert "Indiquez le prix" in refused.content.decode()

    response = client.post(url, _form(price_kind="amount", price="12.50", publish="1"))

    listing = actor.listings.get()
    # Published: its page, where what could answer it comes first; renewed from there.
    assert response["Location"] == reverse("cooperation:listing_detail", args=[listing.pk])
    assert listing.status == "open" and str(listing.price) == "12.50"
    page = client.get(response["Location"]).content.decode()
    assert OFFER["title"] in page and "Renouveler pour trois mois" in page
    mine = client.get(reverse("cooperation:actor_listings", args=[actor.slug])).content.decode()
    assert OFFER["title"] in mine and "Renouveler" in mine


def test_the_owner_edits_and_moves_a_listing_a_stranger_cannot(client, actor, member, other_member):
    listing = listing_create(actor=actor, by=member, data=OFFER)
    client.force_login(other_member)
    edit = reverse("cooperation:listing_edit", args=[listing.pk])
    publish = reverse("cooperation:listing_move", args=[listing.pk, "publier"])
    assert client.get(edit).status_code == 403
    assert client.post(publish).status_code == 403

    client.force_login(member)
    client.post(edit, _form(title="Salle de réunion et cuisine à partager"))
    client.post(publish)
    client.post(reverse("cooperation:listing_move", args=[listing.pk, "discussion"]))

    listing.refresh_from_db()
    assert (listing.title, listing.status) == (
        "Salle de réunion et cuisine à partager",
        "in_discussion",
    )
    assert (
        client.post(reverse("cooperation:listing_move", args=[listing.pk, "nope"])).status_code
        == 404
    )
