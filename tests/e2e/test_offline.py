"""The site works without the internet: no CDN, font, tile or analytics request."""

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

pytestmark = [
    pytest.mark.django_db(transaction=True),
    # Without the CSP, a reference to another host is attempted (and recorded below)
    # rather than silently refused by the browser.
    pytest.mark.browser_context_args(bypass_csp=True),
]

LOCAL_HOSTS = {"localhost", "127.0.0.1", "[::1]"}


def test_pages_make_no_request_outside_the_site(page, owner, log_in):
    external, errors = [], []

    def only_local(route):
        if urlsplit(route.request.url).hostname in LOCAL_HOSTS:
            route.continue_()
        else:
            external.append(route.request.url)
            route.abort("internetdisconnected")

    page.context.route("**/*", only_local)
    page.on("pageerror", lambda error: errors.append(f"{page.url}: {error}"))

    page.goto("/")
    expect(page.locator("#map .map-cluster").first).to_be_visible()
    page.goto(f"/acteurs/{owner.actor.slug}/")
    expect(page.locator(".actor-map .map-marker")).to_be_visible()
    log_in(page, owner, next_path=f"/espace/structures/{owner.actor.slug}/modifier/")
    expect(page.locator("[data-pin-map] .map-marker")).to_be_visible()

    assert external == [], "requests to other hosts"
    assert errors == [], "script errors"
