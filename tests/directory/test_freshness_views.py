"""The one-click links of the freshness reminders: confirm, or update, a profile from the e-mail."""

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail, signing
from django.urls import resolve, reverse

from directory.models import ActorChange, Freshness
from directory.services import freshness
from tests.directory.helpers import make_actor
from tests.directory.helpers import months_ago as ago

pytestmark = pytest.mark.django_db


def link_path(body, name):
    """The path of the one-click link named `name` (a URL name) in an e-mail body."""
    for url in re.findall(r"https?://\S+", body):
        path = urlsplit(url).path
        if resolve(path).view_name == name:
            return path
    raise AssertionError(f"no {name} link in:\n{body}")


@pytest.fixture
def reminded(network, as_of):
    """A due actor whose member just received the reminder."""
    actor = make_actor(network, ago(as_of, months=12, days=3))
    freshness.run_freshness_pass(as_of)
    (message,) = mail.outbox
    return actor, message


def test_the_still_true_link_shows_a_button_and_only_the_post_confirms(client, reminded):
    actor, message = reminded
    path = link_path(message.body, "directory:freshness_confirm")
    before = actor.last_confirmed_at

    page = client.get(path)
    assert page.status_code == 200
    assert "Je confirme : c'est toujours exact" in page.text
    actor.refresh_from_db()
    assert actor.last_confirmed_at == before  # a GET (a mail scanner) confirms nothing

    done = client.post(path)

    assert done.status_code == 200
    assert "Merci !" in done.text
    actor.refresh_from_db()
    assert actor.freshness == Freshness.FRESH
    assert actor.last_confirmed_at > before
    change = actor.changes.get(source=ActorChange.Source.CONFIRMATION)
    assert change.note == "lien du rappel" and change.by is None


def test_a_used_link_says_kindly_that_the_profile_is_already_confirmed(client, reminded):
    actor, message = reminded
    path = link_path(message.body, "directory:freshness_confirm")
    client.post(path)
    actor.refresh_from_db()
    confirmed_at = actor.last_confirmed_at

    again = client.post(path)

    assert again.status_code == 200
    assert "déjà été confirmées" in again.text
    actor.refresh_from_db()
    assert actor.last_confirmed_at == confirmed_at
    assert actor.changes.filter(source=ActorChange.Source.CONFIRMATION).count() == 1


def test_a_forged_link_is_refused_and_confirms_nothing(client, reminded):
    actor, message = reminded
    path = link_path(message.body, "directory:freshness_confirm")
    token = path.rstrip("/").rsplit("/", 1)[1]
    forged = path.replace(token, token[:-3] + ("abc" if token[-3:] != "abc" else "xyz"))
    unsigned = path.replace(token, signing.dumps({"a": actor.pk, "c": "never", "x": "confirm"}))

    for bad in (forged, unsigned):
        response = client.post(bad)
        assert response.status_code == 400
        assert "ne correspond pas à cette fiche" in response.text
    actor.refresh_from_db()
    assert actor.freshness == Freshness.DUE


def test_a_link_for_another_actor_is_refused(client, reminded, network):
    actor, message = reminded
    other = make_actor(network, actor.last_confirmed_at)
    path = link_path(message.body, "directory:freshness_confirm")
    misdirected = path.replace(f"/{actor.slug}/", f"/{other.slug}/")

    response = client.post(misdirected)

    assert response.status_code == 400
    other.refresh_from_db()
    assert other.changes.filter(source=ActorChange.Source.CONFIRMATION).count() == 0


def test_the_update_token_cannot_confirm(client, reminded):
    actor, message = reminded
    update = link_path(message.body, "directory:freshness_update")
    token = update.rstrip("/").rsplit("/", 1)[1]
    path = reverse("directory:freshness_confirm", kwargs={"slug": actor.slug, "token": token})

    assert client.post(path).status_code == 400


def test_an_expired_link_is_refused(client, reminded, settings, monkeypatch):
    actor, message = reminded
    path = link_path(message.body, "directory:freshness_confirm")
    later = signing.time.time() + (settings.FRESHNESS_LINK_MAX_AGE_DAYS + 1) * 86400
    monkeypatch.setattr(signing.time, "time", lambda: later)

    response = client.post(path)

    assert response.status_code == 400
    assert "Ce lien a expiré" in response.text
    actor.refresh_from_db()
    assert actor.freshness == Freshness.DUE


def test_the_update_link_goes_through_sign_in_to_the_profile_form(client, reminded):
    actor, message = reminded
    path = link_path(message.body, "directory:freshness_update")
    edit_url = reverse("directory:actor_edit", kwargs={"slug": actor.slug})

    anonymous = client.get(path)
    assert anonymous.status_code == 302
    assert urlsplit(anonymous.url).path == reverse("account_login")
    assert f"next={edit_url}" in anonymous.url.replace("%2F", "/")

    client.force_login(actor.memberships.get().user)
    signed_in = client.get(path)
    assert signed_in.status_code == 302 and signed_in.url == edit_url


def test_a_garbled_token_is_a_400_page_not_a_500(client, actor):
    path = reverse("directory:freshness_confirm", kwargs={"slug": actor.slug, "token": "x:y:z"})
    assert client.get(path).status_code == 400
    missing = reverse("directory:freshness_confirm", kwargs={"slug": "inconnue", "token": "x"})
    assert client.get(missing).status_code == 404
