"""The whole admission path in a browser: a new structure applies and answers the charter,
three reviewers of two colleges give their opinions (one pair reports its visit), the
animator sees the quorum met and admits it, and it appears on the public map."""

import re

import pytest
from playwright.sync_api import Page, expect

from cooperation.models import College, Reviewer, Stakeholder
from cooperation.services.setup import admission_setup
from directory.models import Actor, Status
from tests.factories import ActorFactory, MembershipFactory, UserFactory, sector

pytestmark = pytest.mark.django_db(transaction=True)


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Se déconnecter").click()
    expect(page.get_by_role("link", name="Se connecter").first).to_be_visible()


def test_a_structure_is_admitted_by_its_peers_and_appears_on_the_map(
    page: Page, live_server, network, nantes, animator, log_in
):
    applicant = UserFactory(username="candidate")
    actor = ActorFactory(
        network=network,
        commune=nantes,
        name="Atelier Couture Solidaire",
        sectors=[sector("textile")],
        draft=True,
    )
    MembershipFactory(user=applicant, actor=actor)
    admission_setup(network=network)
    peers = College.objects.get(network=network, stakeholder=Stakeholder.INDUSTRY)
    users = College.objects.get(network=network, stakeholder=Stakeholder.CONSUMERS)
    reviewers = [
        Reviewer.objects.create(user=UserFactory(username=name), network=network, college=college)
        for name, college in [("pair-1", peers), ("pair-2", peers), ("usager-1", users)]
    ]

    # The structure applies from its draft and answers every criterion of the charter.
    log_in(page, applicant, next_path=f"/espace/structures/{actor.slug}/modifier/")
    page.get_by_role("button", name="Candidater au réseau").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Rejoindre")
    for criterion in page.locator("fieldset[id^=critere-]").all():
        excluded = "exclusion" in criterion.locator("legend").first.inner_text()
        criterion.get_by_label("Non" if excluded else "Oui", exact=True).check()
    page.get_by_label("J'ai lu la charte").check()
    page.get_by_role("button", name="Déposer la candidature").click()
    expect(page.get_by_role("status")).to_contain_text("Candidature déposée")
    application_url = page.url
    assert re.search(r"/espace/candidatures/\d+/$", application_url)
    sign_out(page)

    # Three reviewers of two colleges take it and give a favourable opinion.
    for reviewer in reviewers:
        log_in(page, reviewer.user, next_path=application_url)
        page.get_by_role("button", name="Évaluer cette candidature").click()
        expect(page.get_by_role("status")).to_contain_text("Vous évaluez cette candidature")
        page.get_by_role("link", name="Donner mon avis").click()
        page.get_by_role("group", name="Avis général").first.get_by_label(
            "Favorable", exact=True
        ).check()
        page.get_by_role("button", name="Enregistrer mon avis").click()
        expect(page.get_by_role("status")).to_contain_text("Avis enregistré")
        if reviewer.college == users:
            # The pair of two colleges reports its visit.
            page.get_by_role("link", name="Rapporter la visite").click()
            page.get_by_label("Date de la visite").fill("2026-11-20")
            page.get_by_label(str(reviewers[0])).check()
            page.get_by_label(str(reviewer)).check()
            page.get_by_label("Personnes rencontrées").fill("La présidente et deux salariées")
            page.get_by_label("Ce que le binôme a vu").fill(
                "Un atelier ouvert trois jours par semaine, des bénévoles formés."
            )
            page.get_by_role("button", name="Enregistrer le rapport").click()
            expect(page.get_by_role("status")).to_contain_text("Rapport de visite enregistré")
        sign_out(page)

    # The animator sees the quorum met and admits the structure.
    log_in(page, animator, next_path=application_url)
    expect(page.get_by_text("Quorum atteint : la décision est possible.")).to_be_visible()
    page.get_by_label("Admettre", exact=True).check()
    page.get_by_role("button", name="Enregistrer la décision").click()
    expect(page.get_by_role("status")).to_contain_text("Décision enregistrée")
    expect(page.locator("dl.facts").first).to_contain_text("Admise")

    actor.refresh_from_db()
    assert actor.status == Status.PUBLISHED
    bbox = f"{actor.lon - 0.01},{actor.lat - 0.01},{actor.lon + 0.01},{actor.lat + 0.01}"
    shown = page.request.get(f"{live_server.url}/api/v1/map/actors/?bbox={bbox}&zoom=18").json()
    assert actor.pk in [f["properties"].get("id") for f in shown["features"]]
    page.goto(f"/acteurs/{actor.slug}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(actor.name)
    assert Actor.objects.published().filter(pk=actor.pk).exists()
