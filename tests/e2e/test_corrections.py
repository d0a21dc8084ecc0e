"""A citizen reports an error on a public page; a member of the structure accepts it."""

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from directory.models import CorrectionReport
from tests.factories import ActorFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

OLD_PHONE = "02 40 00 00 00"
NEW_PHONE = "02 51 11 22 33"


@pytest.fixture(autouse=True)
def _empty_rate_limits():
    """The live server shares the test process's cache, where the rate limit is counted."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def epicerie(network, nantes):
    return ActorFactory(network=network, commune=nantes, name="Épicerie du Marché", phone=OLD_PHONE)


@pytest.fixture
def gerante(epicerie):
    return MembershipFactory(actor=epicerie, user=UserFactory(username="gerante")).user


def report_wrong_phone(page, epicerie) -> None:
    page.goto(f"/acteurs/{epicerie.slug}/")
    page.get_by_role("link", name="Signaler une erreur").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Signaler une erreur")
    page.get_by_label("Information erronée").select_option(label="Téléphone")
    page.get_by_label("Valeur correcte").fill(NEW_PHONE)
    page.get_by_label("Commentaire").fill("L'ancien numéro n'est plus attribué.")


def test_a_citizen_reports_a_wrong_phone_and_the_member_accepts_it(
    page, live_server, epicerie, gerante, log_in
):
    report_wrong_phone(page, epicerie)
    page.get_by_role("button", name="Envoyer le signalement").click()

    expect(page.get_by_role("status")).to_contain_text("Merci ! Votre signalement est transmis")
    expect(page.get_by_role("heading", level=1)).to_have_text(epicerie.name)
    expect(page.locator("main .facts")).to_contain_text(OLD_PHONE)  # not applied yet

    log_in(page, gerante)
    page.get_by_role("navigation").get_by_role("link", name="Mes structures").click()
    row = page.get_by_role("row").filter(has_text=epicerie.name)
    expect(row).to_contain_text("1 à traiter")
    row.get_by_role("link", name="Signalements").click()

    report = page.locator(".correction-report")
    expect(report).to_have_count(1)
    expect(report.get_by_role("heading")).to_have_text("Téléphone")
    expect(report).to_contain_text(OLD_PHONE)
    expect(report).to_contain_text(NEW_PHONE)
    expect(report).to_contain_text("L'ancien numéro n'est plus attribué.")
    report.get_by_role("button", name="Accepter et appliquer").click()

    expect(page.get_by_role("status")).to_contain_text("La correction est appliquée à la fiche.")
    expect(page.get_by_text("Aucun signalement en attente.")).to_be_visible()
    page.get_by_role("link", name=epicerie.name).click()
    expect(page).to_have_url(f"{live_server.url}/acteurs/{epicerie.slug}/")
    expect(page.locator("main .facts")).to_contain_text(NEW_PHONE)
    expect(page.locator("main .facts")).not_to_contain_text(OLD_PHONE)
    assert CorrectionReport.objects.get().state == CorrectionReport.State.ACCEPTED


def test_the_honeypot_is_out_of_sight_and_out_of_the_tab_order(page, epicerie):
    report_wrong_phone(page, epicerie)

    honeypot = page.get_by_label("Laissez ce champ vide")
    expect(honeypot).to_have_attribute("tabindex", "-1")
    assert honeypot.bounding_box()["x"] < 0  # moved off-screen by the stylesheet
    # Tabbing from the e-mail goes on to the submit button, past the honeypot.
    page.get_by_label("Votre adresse e-mail").focus()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Envoyer le signalement")).to_be_focused()


@pytest.mark.browser_context_args(bypass_csp=True)
def test_the_report_form_is_accessible(page, epicerie, axe_check):
    report_wrong_phone(page, epicerie)
    axe_check(page)
    # With its error messages shown too.
    page.get_by_label("Valeur correcte").fill("")
    page.get_by_label("Votre adresse e-mail").fill("pas-une-adresse")
    page.get_by_role("button", name="Envoyer le signalement").click()
    expect(page.get_by_role("alert").first).to_be_visible()
    axe_check(page)
