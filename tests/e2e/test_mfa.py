"""An animator past the two-factor grace period sets up an authenticator app in a browser."""

import re
import time
from datetime import timedelta

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import Page, expect

from directory.models import TwoFactorGrace
from tests.e2e.conftest import PASSWORD


def totp_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


@pytest.fixture
def animator_past_grace(animator):
    TwoFactorGrace.objects.create(
        user=animator,
        privileged_since=timezone.now() - timedelta(days=settings.MFA_GRACE_DAYS + 1),
    )
    return animator


def test_an_animator_past_the_grace_period_sets_up_an_authenticator_app_then_works(
    page: Page, live_server, log_in, animator_past_grace, settings
):
    # A code typed just as its 30-second step ends is still accepted.
    settings.MFA_TOTP_TOLERANCE = 1

    log_in(page, animator_past_grace)

    # Sent from the member space to confirm the password first, and told why.
    expect(page).to_have_url(re.compile(r"/comptes/reauthenticate/"))
    expect(page.get_by_text("la double authentification est obligatoire")).to_be_visible()
    page.locator("main input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name="Confirmer").click()

    expect(page).to_have_url(re.compile(r"/comptes/2fa/totp/activate/"))
    expect(page.get_by_text("la double authentification est obligatoire")).to_be_visible()
    expect(page.get_by_text("application d'authentification sur votre téléphone")).to_be_visible()
    expect(page.get_by_role("img", name="Code QR à scanner")).to_be_visible()
    # The secret, as a person would type it into their app instead of scanning the code.
    secret = page.locator("#authenticator_secret").input_value()
    page.locator("main input[name=code]").fill(totp_code(secret))
    page.get_by_role("button", name="Activer", exact=True).click()

    expect(page.get_by_role("heading", name="Codes de récupération")).to_be_visible()
    page.goto(f"{live_server.url}/espace/")
    expect(page).to_have_url(f"{live_server.url}/espace/")
    expect(page.get_by_role("heading", level=1)).not_to_have_text(re.compile("authentification"))


@pytest.mark.browser_context_args(bypass_csp=True)
def test_the_pages_that_explain_and_set_up_two_factor_are_accessible(
    page: Page, log_in, animator_past_grace, axe_check
):
    log_in(page, animator_past_grace)
    expect(page).to_have_url(re.compile(r"/comptes/reauthenticate/"))
    axe_check(page)

    page.locator("main input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name="Confirmer").click()

    expect(page).to_have_url(re.compile(r"/comptes/2fa/totp/activate/"))
    axe_check(page)
