"""WCAG 2.1 A/AA with axe-core, and a 390 px phone without sideways scrolling, on the
catalogue's pages: the catalogue, a listing with its matches and joint need, the alert
preferences, a conversation, a cooperation and the network's cooperations, the needs of
the territory."""

import pytest

from cooperation.models import Cooperation
from cooperation.services import conversations, joint_needs, territory_needs
from cooperation.services.listings import listing_create, listing_fulfil
from tests.factories import ActorFactory, MembershipFactory, UserFactory, sector

pytestmark = [
    pytest.mark.django_db(transaction=True),
    # axe-core is injected as an inline script, which the site's CSP blocks.
    pytest.mark.browser_context_args(bypass_csp=True),
]
PHONE = {"width": 390, "height": 844}


def overflows(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


@pytest.fixture
def scene(network, nantes, reze, animator):
    recyclerie = sector("recyclerie")
    owner_actor = ActorFactory(network=network, commune=nantes, sectors=[recyclerie])
    partner_actor = ActorFactory(network=network, commune=reze, sectors=[recyclerie])
    owner = MembershipFactory(actor=owner_actor, user=UserFactory(username="proprio")).user
    partner = MembershipFactory(actor=partner_actor, user=UserFactory(username="partner")).user
    base = {"nature": "equipment", "mode": "loan", "quantity": 2, "unit": "camions"}
    need = listing_create(
        actor=owner_actor,
        by=owner,
        data={**base, "kind": "need", "title": "Deux camions", "description": "Un samedi."},
        publish=True,
    )
    listing_create(
        actor=partner_actor,
        by=partner,
        data={**base, "kind": "offer", "title": "Camion prêté", "description": "Le samedi."},
        publish=True,
    )
    joint_needs.joint_need_open(listing=need, closes_on=need.expires_at.date(), by=owner)
    conversation = conversations.conversation_start(
        from_actor=partner_actor,
        to_actor=owner_actor,
        subject=need.title,
        body="Bonjour, notre camion est libre.",
        by=partner,
        listing=need,
    )
    done = listing_create(
        actor=owner_actor,
        by=owner,
        data={**base, "kind": "need", "title": "Un local", "description": "Pour stocker."},
        publish=True,
    )
    listing_fulfil(listing=done, by=owner, partners=[partner_actor])
    territory_needs.territory_need_post(
        data={"title": "Une recyclerie à Rezé", "description": "Au sud.", "commune": reze},
        by=UserFactory(username="habitante"),
    )
    return {
        "owner": owner,
        "need": need,
        "conversation": conversation,
        "cooperation": Cooperation.objects.get(listing=done),
    }


def test_the_catalogues_pages_have_no_serious_violation_and_fit_a_phone(
    page, live_server, scene, network, animator, log_in, axe_check
):
    owner = scene["owner"]
    log_in(page, owner, next_path="/catalogue/")
    paths = [
        "/catalogue/",
        f"/catalogue/{scene['need'].pk}/",
        "/espace/alertes/",
        "/espace/messages/",
        f"/espace/messages/{scene['conversation'].pk}/",
        f"/espace/cooperations/{scene['cooperation'].pk}/",
        "/besoins-du-territoire/",
    ]
    for path in paths:
        page.set_viewport_size({"width": 1280, "height": 900})
        page.goto(live_server.url + path)
        axe_check(page)
        page.set_viewport_size(PHONE)
        assert overflows(page) <= 0, f"{path} scrolls sideways by {overflows(page)} px"
    page.get_by_role("button", name="Se déconnecter").click()
    log_in(page, animator, next_path=f"/espace/reseaux/{network.slug}/cooperations/")
    axe_check(page)
    page.goto(f"{live_server.url}/espace/reseaux/{network.slug}/besoins-du-territoire/")
    axe_check(page)
