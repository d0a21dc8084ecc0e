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


@pytest.fixture
def tiles_as_make_run(page, settings):
    """The map with a tile layer and its attribution, as `make run` serves it (the tests
    run without tiles: TILES_URL is empty in settings_test). The tiles themselves do not
    load, as on a machine without the internet: over tile images axe could not tell the
    colours apart and would leave the attribution unchecked."""
    settings.TILES_URL = "https://tiles.example.org/{z}/{x}/{y}.png"
    page.route("https://tiles.example.org/**", lambda route: route.abort())


@pytest.mark.usefixtures("tiles_as_make_run")
def test_home_page_with_map_tiles_has_no_serious_violation(page, territory, axe_check):
    page.goto("/")
    page.wait_for_selector("#map[data-loaded] .map-cluster")
    attribution = page.locator("#map .leaflet-control-attribution")
    expect(attribution).to_contain_text("OpenStreetMap")
    expect(attribution.get_by_role("link", name="Leaflet")).to_be_visible()
    axe_check(page)


@pytest.mark.usefixtures("tiles_as_make_run")
def test_actor_page_with_map_tiles_has_no_serious_violation(page, territory, axe_check):
    page.goto(f"/acteurs/{territory.recycleries[0].slug}/")
    expect(page.locator(".actor-map .leaflet-control-attribution")).to_contain_text("OpenStreetMap")
    axe_check(page)


def test_home_page_with_its_panels_open_has_no_serious_violation(page, territory, axe_check):
    page.goto("/")
    page.wait_for_selector("#map[data-loaded] .map-cluster")
    page.locator("#map .map-cluster").get_by_text("4", exact=True).click()
    page.locator("#map .map-marker").first.click()
    expect(page.locator("#map .leaflet-popup .map-popup h3")).to_be_visible()
    page.get_by_text("Légende des couleurs").click()
    expect(page.locator("#map-legend").get_by_text("Réemploi et recyclage")).to_be_visible()
    axe_check(page)
