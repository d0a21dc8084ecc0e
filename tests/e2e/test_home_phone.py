"""The home page on a phone: results on the first screen, the map one tap away."""

import pytest
from playwright.sync_api import expect

from tests.e2e.test_home_map import wait_for_map_load

PHONE = {"width": 390, "height": 844}

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.browser_context_args(viewport=PHONE, is_mobile=True, has_touch=True),
]


def test_the_first_screen_shows_results_and_the_map_is_one_tap_away(page, territory):
    page.goto("/")
    wait_for_map_load(page)
    cards = page.locator("#results .actor-card")
    expect(cards.first).to_be_in_viewport()
    the_map = page.locator("#map")
    expect(the_map).to_be_hidden()
    # The filters beyond the search box are folded, and say how many are in use.
    expect(page.get_by_label("Secteur")).to_be_hidden()

    to_map = page.get_by_role("button", name="Carte", exact=True)
    expect(to_map).to_have_attribute("aria-pressed", "false")
    # Down the list, the switch is still at hand.
    cards.last.scroll_into_view_if_needed()
    expect(to_map).to_be_in_viewport()

    to_map.tap()
    expect(to_map).to_have_attribute("aria-pressed", "true")
    expect(the_map).to_be_in_viewport(ratio=0.95)
    expect(to_map).to_be_in_viewport()
    expect(page.locator("#results")).to_be_hidden()
    expect(page.locator("#map .map-cluster").first).to_be_visible()
    box = the_map.bounding_box()
    assert box["width"] > 300 and box["height"] > 400

    page.get_by_role("button", name="Liste", exact=True).tap()
    expect(the_map).to_be_hidden()
    expect(cards.first).to_be_visible()


def test_the_filters_unfold_and_say_how_many_are_in_use(page, territory):
    page.goto("/?sector=recyclerie")
    toggle = page.get_by_role("button", name="Filtres (1)")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(page.locator("#results [data-results-count]")).to_have_text("3 acteurs trouvés")

    toggle.tap()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    sector = page.get_by_label("Secteur")
    expect(sector).to_be_visible()
    sector.select_option("")
    expect(page.get_by_role("button", name="Filtres", exact=True)).to_be_visible()


def test_the_map_view_is_kept_when_coming_back_from_an_actor(page, territory):
    page.goto("/")
    page.get_by_role("button", name="Carte", exact=True).tap()
    wait_for_map_load(page)
    page.locator("#map .map-cluster").get_by_text("4", exact=True).tap()
    actor = territory.groups["sud-est"][0]
    page.goto(f"/acteurs/{actor.slug}/")
    page.go_back()
    expect(page.locator("#map")).to_be_in_viewport()
    expect(page.get_by_role("button", name="Carte", exact=True)).to_have_attribute(
        "aria-pressed", "true"
    )
