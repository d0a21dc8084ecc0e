"""The catalogue in a browser (issue 11's "done when"): a member publishes a need; a member
of another structure, who asked for alerts at once, receives the alert, opens it, sees
why it matches and contacts the owner; the owner marks the need fulfilled with that
partner, the partner confirms, and the animators' dashboard counts one cooperation. An
anonymous visitor sees public listings only."""

import re

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from cooperation.services.listings import listing_create
from tests.factories import ActorFactory, MembershipFactory, UserFactory, sector

pytestmark = pytest.mark.django_db(transaction=True)


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Se déconnecter").click()
    expect(page.get_by_role("link", name="Se connecter").first).to_be_visible()


def path_of(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


def link_in(body: str, pattern: str) -> str:
    return path_of(re.search(rf"https?://\S+{pattern}\S*", body).group(0))


def test_a_need_alerts_a_partner_who_answers_and_the_cooperation_is_counted(
    page: Page, live_server, network, nantes, reze, animator, log_in
):
    recyclerie = sector("recyclerie")
    owner_actor = ActorFactory(
        network=network, commune=nantes, name="Recyclerie du Port", sectors=[recyclerie]
    )
    partner_actor = ActorFactory(
        network=network, commune=reze, name="Ressourcerie de Rezé", sectors=[recyclerie]
    )
    owner = MembershipFactory(actor=owner_actor, user=UserFactory(username="owner")).user
    partner = MembershipFactory(actor=partner_actor, user=UserFactory(username="partner")).user

    # The partner's member wants to hear of matching listings at once.
    log_in(page, partner, next_path="/espace/alertes/")
    page.get_by_label("Tout de suite").check()
    page.get_by_role("button", name="Enregistrer mes alertes").click()
    expect(page.get_by_role("status")).to_contain_text("enregistr")
    sign_out(page)

    # The owner publishes a need.
    mail.outbox.clear()
    log_in(page, owner, next_path=f"/espace/structures/{owner_actor.slug}/annonces/nouvelle/")
    page.get_by_label("Besoin", exact=True).check()
    page.get_by_label("Nature").select_option(label="Matériel (prêt ou location)")
    page.get_by_label("Mode d'échange").select_option(label="Prêt")
    page.get_by_label("Titre").fill("Un camion pour une collecte de meubles")
    page.get_by_label("Description").fill(
        "Une collecte de meubles un samedi par mois : un camion de 12 m³ et son hayon."
    )
    page.get_by_role("button", name="Publier pour trois mois").click()
    expect(page.get_by_role("status")).to_contain_text("publiée")
    sign_out(page)

    # The partner's member receives the alert, with why it matches.
    (alert,) = [m for m in mail.outbox if partner.email in m.to]
    assert "Un camion pour une collecte de meubles" in alert.body
    assert "même secteur : Recyclerie et ressourcerie" in alert.body
    listing_path = link_in(alert.body, r"/catalogue/\d+/")

    # They open it: the page says why their structure could answer, and they write.
    log_in(page, partner, next_path=listing_path)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Un camion pour une collecte de meubles"
    )
    matches = page.locator("section", has_text="Ces structures pourraient répondre")
    expect(matches).to_contain_text("Ressourcerie de Rezé")
    expect(matches).to_contain_text("même secteur")
    page.get_by_role("link", name="Contacter").click()
    page.get_by_label("Message").fill("Bonjour, notre camion est libre le samedi 14.")
    page.get_by_role("button", name="Envoyer").click()
    expect(page.get_by_role("status")).to_contain_text("Message envoyé")
    sign_out(page)

    # The owner reads it from the header and marks the need fulfilled with the partner.
    mail.outbox.clear()
    log_in(page, owner, next_path="/")
    page.get_by_role("link", name=re.compile(r"^Messages \(1\)")).click()
    page.get_by_role("link", name=re.compile("Un camion pour une collecte")).first.click()
    expect(page.get_by_text("notre camion est libre le samedi 14")).to_be_visible()
    page.get_by_role("button", name="Marquer satisfaite avec « Ressourcerie de Rezé »").click()
    expect(page.get_by_role("status")).to_be_visible()
    sign_out(page)

    # The partner confirms the cooperation from the e-mail's link.
    (proposed,) = [m for m in mail.outbox if partner.email in m.to]
    log_in(page, partner, next_path=link_in(proposed.body, r"/espace/cooperations/\d+/"))
    page.get_by_role("button", name="Je confirme").click()
    expect(page.get_by_role("status")).to_be_visible()
    sign_out(page)

    # The animators' dashboard counts one confirmed cooperation.
    log_in(page, animator, next_path=f"/espace/reseaux/{network.slug}/cooperations/")
    expect(page.locator("[data-figure=cooperations-total]")).to_have_text("1")
    expect(page.locator("[data-figure=nature-equipment]")).to_have_text("1")


def test_an_anonymous_visitor_sees_public_listings_only(
    page: Page, live_server, network, nantes, animator
):
    actor = ActorFactory(network=network, commune=nantes, name="Atelier Bois Solidaire")
    member = MembershipFactory(actor=actor, user=UserFactory(username="bois")).user
    base = {"kind": "offer", "nature": "equipment", "mode": "loan"}
    listing_create(
        actor=actor,
        by=member,
        data={**base, "title": "Scie à ruban prêtée", "description": "Pour vos chantiers."},
        publish=True,
    )
    listing_create(
        actor=actor,
        by=member,
        data={
            **base,
            "title": "Établi réservé au réseau",
            "description": "Seulement entre membres.",
            "visibility": "network",
        },
        publish=True,
    )

    page.goto(f"{live_server.url}/catalogue/")

    results = page.locator("main")
    expect(results).to_contain_text("Scie à ruban prêtée")
    expect(results).not_to_contain_text("Établi réservé au réseau")
    page.goto(f"{live_server.url}/acteurs/{actor.slug}/")
    expect(page.locator("main")).to_contain_text("Scie à ruban prêtée")
    expect(page.locator("main")).not_to_contain_text("Établi réservé au réseau")
