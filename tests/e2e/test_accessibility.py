"""WCAG 2.1 A/AA with axe-core on the main pages, and keyboard access to the content."""

import pytest
from playwright.sync_api import expect

pytestmark = [
    pytest.mark.django_db(transaction=True),
    # axe-core is injected as an inline script, which the site's CSP blocks.
    pytest.mark.browser_context_args(bypass_csp=True),
]


def test_home_page_has_no_serious_violation(page, territory, axe_check):
    page.goto("/")
    page.wait_for_selector("#map[data-loaded] .map-cluster")  # markers are in the tab order
    axe_check(page)


def test_actor_page_has_no_serious_violation(page, territory, axe_check):
    actor = territory.recycleries[0]
    page.goto(f"/acteurs/{actor.slug}/")
    expect(page.locator(".actor-map .map-marker")).to_be_visible()
    axe_check(page)


def test_login_page_has_no_serious_violation(page, axe_check):
    page.goto("/comptes/login/")
    axe_check(page)


def test_edit_form_has_no_serious_violation(page, owner, log_in, axe_check):
    log_in(page, owner, next_path=f"/espace/structures/{owner.actor.slug}/modifier/")
    expect(page.locator("[data-pin-map] .map-marker")).to_be_visible()
    axe_check(page)


def test_edit_form_showing_a_field_error_has_no_serious_violation(page, owner, log_in, axe_check):
    log_in(page, owner, next_path=f"/espace/structures/{owner.actor.slug}/modifier/")
    siret = page.get_by_label("SIRET")
    siret.fill("12345678901234")
    siret.press("Tab")
    expect(page.locator("#field-siret .errorlist")).to_be_visible()
    axe_check(page)


def test_skip_link_is_the_first_stop_and_moves_focus_to_the_content(page, territory):
    page.goto("/")
    page.keyboard.press("Tab")
    skip = page.locator("a.skip-link")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()  # shown when focused, not left off-screen
    page.keyboard.press("Enter")
    expect(page.locator("#contenu")).to_be_focused()
    # The next stop is in the content (the search field), past the header's links.
    page.keyboard.press("Tab")
    expect(page.get_by_label("Rechercher")).to_be_focused()
