"""A member confirms its profile from the link of the reminder e-mail.

See directory.services.freshness."""

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from dateutil.relativedelta import relativedelta
from django.core import mail
from django.utils import dateformat, timezone, translation
from playwright.sync_api import expect

from directory.models import ActorChange, Freshness
from directory.services import freshness
from tests.factories import ActorFactory, MembershipFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def reminder(network, nantes):
    """A profile confirmed 12 months and 3 days ago: today's pass reminds its member."""
    actor = ActorFactory(
        network=network,
        commune=nantes,
        name="Recyclerie du Port",
        last_confirmed_at=timezone.now() - relativedelta(months=12) - timedelta(days=3),
        freshness=Freshness.FRESH,
    )
    member = MembershipFactory(actor=actor).user
    freshness.run_freshness_pass()
    (message,) = [m for m in mail.outbox if member.email in m.to]
    return actor, message


def confirm_path(body: str) -> str:
    """The "still true" link of the e-mail, on the live server rather than SITE_URL."""
    url = re.search(r"https?://\S+/confirmer/\S+", body).group(0)
    return urlsplit(url).path


def test_member_confirms_from_the_reminder_and_the_page_shows_today(page, live_server, reminder):
    actor, message = reminder
    assert "toujours exacte" in message.subject

    page.goto(live_server.url + confirm_path(message.body))
    expect(page.get_by_role("heading", level=1)).to_contain_text("toujours exacte")
    actor.refresh_from_db()
    assert actor.freshness == Freshness.DUE  # opening the link confirms nothing

    page.get_by_role("button", name="Je confirme : c'est toujours exact").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Merci !")
    page.get_by_role("link", name="Voir la fiche publique").click()
    expect(page).to_have_url(f"{live_server.url}/acteurs/{actor.slug}/")
    with translation.override("fr"):
        today = dateformat.format(timezone.localtime(), "j F Y")
    expect(page.locator("main")).to_contain_text(f"Informations confirmées le {today}.")
    actor.refresh_from_db()
    assert actor.freshness == Freshness.FRESH
    assert actor.changes.filter(source=ActorChange.Source.CONFIRMATION).exists()

    # The same link, opened again, says so kindly and confirms nothing more.
    page.goto(live_server.url + confirm_path(message.body))
    expect(page.get_by_role("heading", level=1)).to_have_text("Cette fiche est déjà confirmée")


@pytest.mark.browser_context_args(bypass_csp=True)
def test_link_pages_have_no_serious_accessibility_violation(page, live_server, reminder, axe_check):
    _actor, message = reminder
    path = confirm_path(message.body)
    page.goto(live_server.url + path)
    axe_check(page)

    response = page.goto(live_server.url + path[:-6] + "forge/")
    assert response.status == 400
    expect(page.get_by_role("heading", level=1)).to_have_text("Ce lien n'est pas valable")
    axe_check(page)
