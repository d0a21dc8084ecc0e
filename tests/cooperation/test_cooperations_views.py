"""The evidence of cooperation's pages: fulfilling a listing with a partner from its page, the
partner's confirmation page, the structure's cooperations, the actor page, and the
animators' impact dashboard with its CSV (each to whom it belongs, a 404 or 403 to others)."""

import pytest
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cooperation.models import Conversation, Cooperation, Evaluation, Listing
from cooperation.services import cooperations as services
from cooperation.services.listings import listing_create, listing_fulfil
from directory.models import Actor, Membership
from tests.factories import ActorFactory, MembershipFactory

pytestmark = pytest.mark.django_db

NEED = {
    "kind": "need",
    "nature": "equipment",
    "mode": "loan",
    "title": "Une remorque pour un déménagement",
    "description": "Une remorque de 750 kg pour le week-end du 12.",
}


@pytest.fixture
def partner(other_member) -> Actor:
    return Membership.objects.get(user=other_member).actor


@pytest.fixture
def listing(actor, member) -> Listing:
    return listing_create(actor=actor, by=member, data=NEED, publish=True)


@pytest.fixture
def cooperation(listing, member, partner) -> Cooperation:
    listing_fulfil(listing=listing, by=member, partners=[partner])
    return Cooperation.objects.get(listing=listing)


@pytest.fixture
def confirmed(cooperation, other_member) -> Cooperation:
    return services.cooperation_confirm(cooperation=cooperation, by=other_member)


def listing_url(listing: Listing) -> str:
    return reverse("cooperation:listing_detail", args=[listing.pk])


def fulfil_url(listing: Listing) -> str:
    return reverse("cooperation:listing_fulfil", args=[listing.pk])


def detail_url(cooperation: Cooperation) -> str:
    return reverse("cooperation:cooperation_detail", args=[cooperation.pk])


# --- Fulfilling from the listing's page ------------------------------------------------------


def test_the_owner_fulfils_with_a_structure_that_wrote_about_the_listing(
    client, listing, member, partner
):
    Conversation.objects.create(
        initiator=partner,
        recipient=listing.actor,
        listing=listing,
        subject="Votre remorque",
        last_message_at=timezone.now(),
    )
    client.force_login(member)

    page = client.get(listing_url(listing)).content.decode()
    assert "Marquer satisfaite" in page and partner.name in page

    response = client.post(fulfil_url(listing), {"partners": [partner.pk]}, follow=True)

    listing.refresh_from_db()
    assert listing.status == "fulfilled"
    assert list(listing.partners.all()) == [partner]
    assert Cooperation.objects.get(listing=listing).status == "proposed"
    page = response.content.decode()
    assert "Satisfaite avec" in page and "À confirmer par le partenaire" in page


def test_the_owner_finds_a_partner_by_its_name(client, listing, member, partner):
    client.force_login(member)

    client.post(fulfil_url(listing), {"partner_name": "epicerie solidaire de REZE"})

    assert Cooperation.objects.get(listing=listing).partner == partner


def test_a_name_that_finds_no_or_several_structures_is_refused_in_french(
    client, listing, member, network, nantes
):
    ActorFactory(network=network, commune=nantes, name="Atelier Vélo Nord")
    ActorFactory(network=network, commune=nantes, name="Atelier Vélo Sud")
    client.force_login(member)

    page = client.post(fulfil_url(listing), {"partner_name": "Garage inconnu"}, follow=True)
    assert "Aucune structure publiée" in page.content.decode()
    page = client.post(fulfil_url(listing), {"partner_name": "atelier velo"}, follow=True)
    assert "Plusieurs structures correspondent" in page.content.decode()
    page = client.post(fulfil_url(listing), {}, follow=True)
    assert "au moins une structure partenaire" in page.content.decode()
    listing.refresh_from_db()
    assert listing.status == "open"
    assert not Cooperation.objects.exists()


def test_only_the_owner_sees_the_form_and_fulfils(client, listing, other_member, partner):
    client.force_login(other_member)
    assert "Marquer satisfaite" not in client.get(listing_url(listing)).content.decode()
    assert client.post(fulfil_url(listing), {"partners": [partner.pk]}).status_code == 403
    client.logout()
    assert client.post(fulfil_url(listing), {"partners": [partner.pk]}).status_code == 302
    assert Listing.objects.get(pk=listing.pk).status == "open"


def test_an_out_of_range_partner_is_a_french_error_not_a_crash(client, listing, member):
    client.force_login(member)

    response = client.post(fulfil_url(listing), {"partners": ["99999999999999999999"]})

    assert response.status_code in (200, 302)
    assert Listing.objects.get(pk=listing.pk).status == "open"


# --- The cooperation's page ------------------------------------------------------------------


def test_the_partner_confirms_from_the_page_and_a_second_click_changes_nothing(
    client, cooperation, other_member
):
    client.force_login(other_member)
    page = client.get(detail_url(cooperation)).content.decode()
    assert "Je confirme" in page

    confirm = reverse("cooperation:cooperation_confirm", args=[cooperation.pk])
    client.post(confirm)
    second = client.post(confirm, follow=True).content.decode()

    cooperation.refresh_from_db()
    assert cooperation.status == "confirmed"
    assert "déjà reçu une réponse" in second
    assert "Je confirme" not in second


def test_the_partner_may_contest_it(client, cooperation, other_member):
    client.force_login(other_member)

    client.post(
        reverse("cooperation:cooperation_decline", args=[cooperation.pk]),
        {"reason": "Nous n'avons pas prêté de remorque."},
    )

    assert Cooperation.objects.get(pk=cooperation.pk).status == "declined"


def test_the_page_is_a_404_to_anyone_outside_both_sides_and_their_animators(
    client, cooperation, member, animator, other_animator, user, network, nantes
):
    stranger = MembershipFactory(actor=ActorFactory(network=network, commune=nantes)).user
    for outsider in (user, other_animator, stranger):
        client.force_login(outsider)
        assert client.get(detail_url(cooperation)).status_code == 404
        confirm = reverse("cooperation:cooperation_confirm", args=[cooperation.pk])
        assert client.post(confirm).status_code == 404
    for insider in (member, animator):
        client.force_login(insider)
        page = client.get(detail_url(cooperation))
        assert page.status_code == 200
        assert "Je confirme" not in page.content.decode()
        # Neither the owner nor an animator answers for the partner.
        client.post(reverse("cooperation:cooperation_confirm", args=[cooperation.pk]))
    assert Cooperation.objects.get(pk=cooperation.pk).status == "proposed"


def test_each_side_evaluates_on_the_page_once_confirmed(
    client, cooperation, actor, partner, member, other_member
):
    client.force_login(member)
    assert "Enregistrer l'évaluation" not in client.get(detail_url(cooperation)).content.decode()
    services.cooperation_confirm(cooperation=cooperation, by=other_member)

    prefix = f"side{actor.pk}"
    response = client.post(
        detail_url(cooperation),
        {
            "actor": actor.pk,
            f"{prefix}-brought": "Un déménagement sans louer de camion.",
            f"{prefix}-would_do_again": "True",
            f"{prefix}-hours": "4",
        },
    )
    assert response.status_code == 302
    evaluation = Evaluation.objects.get(cooperation=cooperation, actor=actor)
    assert evaluation.would_do_again is True and evaluation.by == member
    # A member of one side cannot write the other side's evaluation.
    response = client.post(detail_url(cooperation), {"actor": partner.pk})
    assert response.status_code == 403
    client.force_login(other_member)
    page = client.get(detail_url(cooperation)).content.decode()
    assert "Un déménagement sans louer de camion." in page


def test_the_actor_page_shows_confirmed_cooperations_both_sides_agree_to_show(
    client, confirmed, actor, partner, member, other_member
):
    assert partner.get_absolute_url() not in client.get(actor.get_absolute_url()).content.decode()
    Cooperation.objects.filter(pk=confirmed.pk).update(shown_by_owner=True, shown_by_partner=True)
    page = client.get(actor.get_absolute_url()).content.decode()
    assert "Coopérations" in page and partner.get_absolute_url() in page

    client.force_login(other_member)
    client.post(
        reverse("cooperation:cooperation_visibility", args=[confirmed.pk]),
        {"actor": partner.pk, "shown": "0"},
    )
    client.logout()

    assert Cooperation.objects.get(pk=confirmed.pk).shown_by_partner is False
    assert partner.get_absolute_url() not in client.get(actor.get_absolute_url()).content.decode()


def test_a_proposed_cooperation_is_not_on_the_actor_page(client, cooperation, actor, partner):
    assert partner.get_absolute_url() not in client.get(actor.get_absolute_url()).content.decode()


# --- A structure's cooperations, the network's dashboard --------------------------------------


def test_a_structures_cooperations_are_for_its_members_and_animators(
    client, cooperation, actor, member, animator, other_member, other_animator
):
    url = reverse("cooperation:actor_cooperations", args=[actor.slug])
    assert client.get(url).status_code == 302
    for allowed in (member, animator):
        client.force_login(allowed)
        page = client.get(url)
        assert page.status_code == 200 and cooperation.partner.name in page.content.decode()
    for refused in (other_member, other_animator):
        client.force_login(refused)
        assert client.get(url).status_code == 403


def test_the_impact_dashboard_and_its_csv_are_for_the_networks_animators(
    client, confirmed, network, animator, other_animator, member
):
    page_url = reverse("cooperation:network_cooperations", args=[network.slug])
    csv_url = reverse("cooperation:network_cooperations_csv", args=[network.slug])
    assert client.get(page_url).status_code == 302

    client.force_login(animator)
    page = client.get(page_url).content.decode()
    assert 'data-figure="cooperations-total">1<' in page
    assert "<svg" in page and 'data-figure="nature-equipment">1<' in page
    export = client.get(csv_url)
    assert export["Content-Type"].startswith("text/csv")
    assert "attachment" in export["Content-Disposition"]
    body = b"".join(export.streaming_content).decode()
    assert confirmed.partner.name in body

    for refused in (other_animator, member):
        client.force_login(refused)
        assert client.get(page_url).status_code == 404
        assert client.get(csv_url).status_code == 404


def test_the_link_for_the_animators_dashboard_carries_the_count(confirmed, network, animator):
    request = RequestFactory().get("/")
    request.user = animator
    template = Template(
        "{% load cooperation_cooperations %}{% network_cooperations_link network %}"
    )

    html = template.render(Context({"request": request, "network": network}))

    assert reverse("cooperation:network_cooperations", args=[network.slug]) in html
    assert "1 coopération confirmée" in html


def test_the_structures_list_and_the_dashboard_read_a_fixed_number_of_queries(
    client, confirmed, actor, member, animator, network, nantes
):
    list_url = reverse("cooperation:actor_cooperations", args=[actor.slug])
    dashboard_url = reverse("cooperation:network_cooperations", args=[network.slug])

    def queries(user, url) -> int:
        client.force_login(user)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    before = (queries(member, list_url), queries(animator, dashboard_url))
    for _ in range(3):
        other = ActorFactory(network=network, commune=nantes)
        listing = listing_create(actor=actor, by=member, data=NEED, publish=True)
        listing_fulfil(listing=listing, by=member, partners=[other])
        Cooperation.objects.filter(listing=listing).update(status="confirmed")

    assert (queries(member, list_url), queries(animator, dashboard_url)) == before
