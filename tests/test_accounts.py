"""Accounts (django-allauth): what a person notices when signing up, in and out."""

import re
import time
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    SECRET_SESSION_KEY,
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import cache
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from directory.models import TwoFactorGrace
from tests.factories import UserFactory

PASSWORD = "motdepasse-solide-42"
# A link in an e-mail body, up to the first blank.
LINK = re.compile(r"https?://\S+")


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """allauth counts attempts (and used TOTP codes) in the cache: each test starts clean."""
    cache.clear()
    yield
    cache.clear()


def log_in(client, email: str, password: str = PASSWORD):
    """Sign in through the real form, as a browser does (allauth records how, for MFA)."""
    return client.post(reverse("account_login"), {"login": email, "password": password})


def is_signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def link_in(message) -> str:
    (link,) = LINK.findall(message.body)
    return link


def totp_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


@pytest.fixture
def totp_tolerance(settings):
    """A code computed just before a 30-second step ends is still accepted just after."""
    settings.MFA_TOTP_TOLERANCE = 1


# --- Pages: French, accessible, under the site's Content-Security-Policy ---------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url_name", "french_text", "field_ids"),
    [
        ("account_login", "Mot de passe", ["id_login", "id_password"]),
        ("account_signup", "Mot de passe", ["id_email", "id_password1", "id_password2"]),
        ("account_reset_password", "Mot de passe oublié", ["id_email"]),
    ],
)
def test_entrance_pages_are_in_french_with_labelled_fields(
    client, url_name, french_text, field_ids
):
    response = client.get(reverse(url_name))

    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="fr">' in html
    assert french_text in html
    assert html.count("<h1>") == 1
    for field_id in field_ids:
        assert f'<label for="{field_id}">' in html
    # The site's own layout and styles, not allauth's bare pages.
    assert 'class="container account-box"' in html
    assert "css/site.css" in html


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", ["account_login", "account_signup", "account_reset_password"])
def test_entrance_pages_run_under_a_strict_content_security_policy(client, url_name):
    response = client.get(reverse(url_name))

    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    html = response.content.decode()
    assert " style=" not in html
    assert "<style" not in html
    # Only external scripts or JSON data blocks, which browsers never execute.
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert "src=" in tag or 'type="application/json"' in tag


@pytest.mark.django_db
def test_form_errors_are_announced_and_linked_to_their_field(client):
    response = client.post(
        reverse("account_signup"),
        {"email": "pas-une-adresse", "password1": PASSWORD, "password2": "autre-chose-99"},
    )

    assert response.status_code == 200
    html = response.content.decode()
    email_input = re.search(r"<input[^>]*id=\"id_email\"[^>]*>", html).group(0)
    assert 'aria-invalid="true"' in email_input
    assert "id_email_error" in email_input
    assert '<ul class="errorlist" id="id_email_error" role="alert">' in html
    assert "Saisissez une adresse e-mail valide." in html


# --- Sign-up and e-mail verification ------------------------------------------------------


@pytest.mark.django_db
def test_sign_up_sends_a_verification_email_and_login_waits_for_it(client):
    email = "nouvelle.adherente@example.org"

    response = client.post(
        reverse("account_signup"), {"email": email, "password1": PASSWORD, "password2": PASSWORD}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert not is_signed_in(client)
    (message,) = mail.outbox
    assert message.to == [email]
    assert message.subject.startswith("[ESS] ")
    confirmation_link = link_in(message)

    # Before confirming, signing in leads back to "check your e-mail".
    response = log_in(client, email)
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert not is_signed_in(client)
    page = client.get(response["Location"])
    assert "Vérifiez votre adresse e-mail" in page.content.decode()

    # The link shows a confirmation page; confirming verifies the address.
    page = client.get(confirmation_link)
    assert page.status_code == 200
    assert "Confirmer" in page.content.decode()
    client.post(confirmation_link)
    assert EmailAddress.objects.get(email=email).verified

    response = log_in(client, email)
    assert response.status_code == 302
    assert response["Location"] == resolve_url(settings.LOGIN_REDIRECT_URL)
    assert is_signed_in(client)


# --- Sign-in ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_wrong_password_shows_an_error_and_does_not_sign_in(client):
    user = UserFactory()

    response = log_in(client, user.email, "pas-le-bon-mot-de-passe")

    assert response.status_code == 200
    assert not is_signed_in(client)
    html = response.content.decode()
    assert 'class="notice notice--error" role="alert"' in html
    assert "sont incorrects" in html


@pytest.mark.django_db
def test_repeated_login_failures_lock_the_account_for_a_while(client):
    """settings.ACCOUNT_RATE_LIMITS["login_failed"] = "10/m/ip,5/5m/key", the key being
    the account and the client's address (ess_platform.lib.security.AccountAdapter).

    allauth answers a locked login with the form and an error (200), not a 429: the 429
    comes from the per-IP "login" limit on every attempt.
    """
    user = UserFactory()
    for _attempt in range(5):
        assert log_in(client, user.email, "devine-encore").status_code == 200

    # Even the right password is refused until the limit expires.
    response = log_in(client, user.email)

    assert response.status_code == 200
    assert not is_signed_in(client)
    assert "Trop de tentatives de connexion échouées" in response.content.decode()


@pytest.mark.django_db
def test_wrong_passwords_from_one_address_do_not_lock_the_member_out_elsewhere():
    """Anyone who knows a member's address could otherwise keep them out for good."""
    user = UserFactory()
    attacker = Client(REMOTE_ADDR="203.0.113.9")
    for _attempt in range(5):
        assert log_in(attacker, user.email, "devine-encore").status_code == 200

    refused = log_in(attacker, user.email)
    member = Client(REMOTE_ADDR="198.51.100.20")
    response = log_in(member, user.email)

    assert "Trop de tentatives de connexion échouées" in refused.content.decode()
    assert not is_signed_in(attacker)
    assert response.status_code == 302
    assert is_signed_in(member)


@pytest.mark.django_db
def test_one_address_trying_many_accounts_is_stopped():
    users = UserFactory.create_batch(3)
    attacker = Client(REMOTE_ADDR="203.0.113.9")
    for attempt in range(10):
        log_in(attacker, users[attempt % 3].email, "devine-encore")

    response = log_in(attacker, users[0].email)

    assert not is_signed_in(attacker)
    assert "Trop de tentatives de connexion échouées" in response.content.decode()


# --- Passwords ----------------------------------------------------------------------------


def sign_up(client, password: str, email: str = "nouvelle.adherente@example.org"):
    return client.post(
        reverse("account_signup"), {"email": email, "password1": password, "password2": password}
    )


@pytest.mark.django_db
def test_a_password_needs_twelve_characters(client):
    refused = sign_up(client, "Vert-ocean7")  # 11

    assert refused.status_code == 200
    assert "Il doit contenir au minimum 12 caractères." in refused.content.decode()
    assert not get_user_model().objects.exists()
    assert sign_up(client, "Vert-ocean-7").status_code == 302  # 12
    assert get_user_model().objects.filter(email="nouvelle.adherente@example.org").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("4815162342108", "Ce mot de passe est entièrement numérique."),
        ("nouvelle.adherente", "Le mot de passe est trop semblable au champ"),
        ("password1234", "Ce mot de passe est trop courant."),
    ],
)
def test_long_passwords_are_still_refused_when_easy_to_guess(client, password, message):
    response = sign_up(client, password)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not get_user_model().objects.exists()


# --- Password reset -----------------------------------------------------------------------


@pytest.mark.django_db
def test_password_reset_answers_the_same_for_known_and_unknown_addresses(client):
    user = UserFactory()

    known = client.post(reverse("account_reset_password"), {"email": user.email})
    unknown = client.post(reverse("account_reset_password"), {"email": "personne@example.org"})

    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == reverse("account_reset_password_done")
    reset_mails = [m for m in mail.outbox if "/password/reset/key/" in m.body]
    assert [m.to for m in reset_mails] == [[user.email]]
    # allauth tells an unknown address that it has no account (ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS),
    # never how to reset a password.
    assert all("/password/reset/key/" not in m.body for m in mail.outbox if m.to != [user.email])


@pytest.mark.django_db
def test_password_reset_link_sets_a_new_password(client):
    user = UserFactory()
    client.post(reverse("account_reset_password"), {"email": user.email})
    done = client.get(reverse("account_reset_password_done"))
    assert "Nous vous avons envoyé un e-mail" in done.content.decode()
    (message,) = mail.outbox

    # The key moves from the URL to the session, then the form asks for a new password.
    response = client.get(link_in(message))
    assert response.status_code == 302
    form_url = response["Location"]
    page = client.get(form_url)
    assert page.status_code == 200
    assert '<label for="id_password1">' in page.content.decode()
    new_password = "un-nouveau-mot-de-passe-77"
    response = client.post(form_url, {"password1": new_password, "password2": new_password})

    assert response.status_code == 302
    assert response["Location"] == reverse("account_reset_password_from_key_done")
    assert log_in(client, user.email, new_password).status_code == 302
    assert is_signed_in(client)


# --- Sign-out -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_logout_asks_for_confirmation_and_needs_a_post(client):
    user = UserFactory()
    log_in(client, user.email)

    page = client.get(reverse("account_logout"))

    assert page.status_code == 200
    assert is_signed_in(client)
    html = page.content.decode()
    assert "Êtes-vous sûr(e) de vouloir vous déconnecter ?" in html
    logout_form = (
        rf'<form method="post"\s+class="account-form"\s+action="{reverse("account_logout")}"'
    )
    assert re.search(logout_form, html)

    response = client.post(reverse("account_logout"))

    assert response.status_code == 302
    assert not is_signed_in(client)


# --- Two-factor authentication ------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.usefixtures("totp_tolerance")
def test_a_user_with_an_authenticator_app_is_asked_for_a_code_at_login(client):
    user = UserFactory()
    secret = generate_totp_secret()
    TOTP.activate(user, secret)

    response = log_in(client, user.email)

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert not is_signed_in(client)
    page = client.get(reverse("mfa_authenticate"))
    html = page.content.decode()
    assert "Authentification à deux facteurs" in html
    assert '<label for="id_code">' in html

    wrong = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert wrong.status_code == 200
    assert not is_signed_in(client)
    assert 'role="alert"' in wrong.content.decode()

    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})

    assert response.status_code == 302
    assert response["Location"] == resolve_url(settings.LOGIN_REDIRECT_URL)
    assert is_signed_in(client)


@pytest.mark.django_db
@pytest.mark.usefixtures("totp_tolerance")
def test_an_animator_is_offered_two_factor_authentication_and_can_set_it_up(client, animator):
    log_in(client, animator.email)

    emails = client.get(reverse("account_email"))
    assert emails.status_code == 200
    assert "protégez-le par une double authentification" in emails.content.decode()

    index = client.get(reverse("mfa_index"))
    assert index.status_code == 200
    assert f'href="{reverse("mfa_activate_totp")}"' in index.content.decode()

    # A sensitive change: allauth asks for the password again first.
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    page = client.get(response["Location"])
    assert '<label for="id_password">' in page.content.decode()
    response = client.post(response["Location"], {"password": PASSWORD})
    assert response["Location"] == reverse("mfa_activate_totp")

    activate = client.get(reverse("mfa_activate_totp"))
    assert activate.status_code == 200
    assert 'src="data:image/svg+xml;base64,' in activate.content.decode()
    secret = client.session[SECRET_SESSION_KEY]
    response = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})

    # Activation also creates recovery codes, shown straight away.
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_view_recovery_codes")
    assert client.get(response["Location"]).status_code == 200
    assert Authenticator.objects.filter(user=animator, type=Authenticator.Type.TOTP).exists()
    assert "protégez-le" not in client.get(reverse("account_email")).content.decode()
    assert client.get(reverse("mfa_deactivate_totp")).status_code == 200


@pytest.mark.django_db
def test_a_member_without_special_rights_is_not_pressed_to_use_two_factor(client, member):
    log_in(client, member.email)

    page = client.get(reverse("account_email"))

    assert page.status_code == 200
    assert "protégez-le par une double authentification" not in page.content.decode()
    assert get_user_model().objects.get(pk=member.pk).email in page.content.decode()


# --- Two-factor authentication required of staff and animators -----------------------------

BANNER = 'id="two-factor-banner"'


def past_grace(user) -> TwoFactorGrace:
    return TwoFactorGrace.objects.create(
        user=user,
        privileged_since=timezone.now() - timedelta(days=settings.MFA_GRACE_DAYS, minutes=1),
    )


@pytest.mark.django_db
def test_the_grace_period_starts_at_the_first_sign_in_with_the_role_and_never_moves(
    client, animator
):
    log_in(client, animator.email)
    first = TwoFactorGrace.objects.get(user=animator).privileged_since
    assert timezone.now() - first < timedelta(minutes=1)

    client.post(reverse("account_logout"))
    TwoFactorGrace.objects.filter(user=animator).update(privileged_since=first - timedelta(days=2))
    log_in(client, animator.email)

    assert TwoFactorGrace.objects.get(user=animator).privileged_since == first - timedelta(days=2)


@pytest.mark.django_db
def test_within_the_grace_period_every_page_says_how_many_days_are_left(client, animator):
    log_in(client, animator.email)
    TwoFactorGrace.objects.filter(user=animator).update(
        privileged_since=timezone.now() - timedelta(days=5, hours=1)
    )

    for url in (reverse("directory:home"), reverse("directory:my_actors")):
        page = client.get(url)
        assert page.status_code == 200
        html = page.content.decode()
        assert BANNER in html
        assert "la double authentification sera obligatoire dans 2 jours" in html
        assert f'href="{reverse("mfa_activate_totp")}"' in html


@pytest.mark.django_db
@pytest.mark.usefixtures("totp_tolerance")
def test_past_the_grace_period_an_animator_can_only_set_up_two_factor(client, animator, actor):
    past_grace(animator)
    log_in(client, animator.email)
    setup = reverse("mfa_activate_totp")

    for url in (
        reverse("directory:home"),
        reverse("directory:my_actors"),
        reverse("directory:review_list"),
        reverse("directory:actor_edit", args=[actor.slug]),
        reverse("account_email"),
        "/api/v1/actors/",
    ):
        response = client.get(url)
        assert (response.status_code, response.get("Location")) == (302, setup), url
    assert client.post(reverse("directory:actor_confirm", args=[actor.slug]))["Location"] == setup
    htmx = client.get(reverse("directory:home"), headers={"HX-Request": "true"})
    assert htmx["HX-Redirect"] == setup

    # The way to set it up, and the ways out, stay open. allauth asks for the password
    # again first; both pages say why.
    response = client.get(setup)
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    confirm = client.get(response["Location"]).content.decode()
    assert "la double authentification est obligatoire" in confirm
    assert client.post(response["Location"], {"password": PASSWORD})["Location"] == setup
    page = client.get(setup)
    assert page.status_code == 200
    html = page.content.decode()
    assert "la double authentification est obligatoire" in html
    assert "application d'authentification" in html
    for url in (reverse("mfa_index"), reverse("account_logout"), reverse("account_reauthenticate")):
        assert client.get(url).status_code == 200, url
    stylesheet = client.get("/static/css/site.css")
    # Read to the end, which closes the file (closing the response would close the
    # database connection of the test's transaction).
    assert b"".join(stylesheet.streaming_content)
    assert stylesheet.status_code == 200
    assert client.post(reverse("set_language"), {"language": "fr", "next": "/"}).status_code == 302

    secret = client.session[SECRET_SESSION_KEY]
    client.post(setup, {"code": totp_code(secret)})

    home = client.get(reverse("directory:home"))
    assert home.status_code == 200
    assert BANNER not in home.content.decode()


@pytest.mark.django_db
def test_past_the_grace_period_staff_are_kept_out_of_the_admin(client):
    staff = UserFactory(is_staff=True, is_superuser=True)
    past_grace(staff)
    client.force_login(staff)

    response = client.get(reverse("admin:index"))

    assert (response.status_code, response["Location"]) == (302, reverse("mfa_activate_totp"))


@pytest.mark.django_db
def test_with_an_authenticator_app_nothing_is_asked(client, animator):
    past_grace(animator)
    TOTP.activate(animator, generate_totp_secret())
    client.force_login(animator)

    page = client.get(reverse("directory:my_actors"))

    assert page.status_code == 200
    assert BANNER not in page.content.decode()


@pytest.mark.django_db
def test_a_member_is_never_asked_for_a_second_factor(client, member):
    log_in(client, member.email)

    page = client.get(reverse("directory:my_actors"))

    assert page.status_code == 200
    assert BANNER not in page.content.decode()
    assert not TwoFactorGrace.objects.exists()
