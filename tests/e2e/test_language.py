"""The language switch of the page footer: Django's set_language, kept across pages, and
sector names in the chosen language."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.test_home_map import wait_for_map_load

pytestmark = pytest.mark.django_db(transaction=True)


def switch_to(page, language: str):
    footer = page.get_by_role("contentinfo")
    with page.expect_navigation():
        footer.get_by_role("button", name=language).click()


def test_the_chosen_language_is_kept_from_page_to_page(page, live_server, territory):
    page.goto("/")
    footer = page.get_by_role("contentinfo")
    expect(footer.get_by_role("button", name="Français")).to_have_attribute("aria-current", "true")
    # The filters chosen before switching stay.
    page.get_by_label("Secteur").select_option("recyclerie")
    expect(page.locator("#results [data-results-count]")).to_have_text("3 acteurs trouvés")

    switch_to(page, "English")

    expect(page).to_have_url(f"{live_server.url}/?sector=recyclerie")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("link", name="Map and directory")).to_be_visible()
    expect(page.get_by_label("Sector")).to_have_value("recyclerie")
    footer = page.get_by_role("contentinfo")
    expect(footer.get_by_role("button", name="English")).to_have_attribute("aria-current", "true")

    # Another page, reached by a link: still in English.
    page.locator(".actor-card h3 a").first.click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", name="Contact details")).to_be_visible()

    switch_to(page, "Français")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("heading", name="Coordonnées")).to_be_visible()


def test_sector_names_follow_the_language(page, territory):
    page.goto("/")
    switch_to(page, "English")
    wait_for_map_load(page)

    expect(page.get_by_label("Sector").locator("optgroup").first).to_have_attribute(
        "label", "Food and farming"
    )
    card = page.locator(".actor-card").filter(has_text="Recyclerie des Olivettes")
    expect(card.locator(".sector-chip")).to_have_text("Reuse and resource centres")
    page.get_by_text("Colour key").click()
    expect(page.locator("#map-legend")).to_contain_text("Reuse and recycling")
    page.get_by_text("Colour key").click()

    # A map point's popup too.
    page.locator("#map .map-cluster").get_by_text("4", exact=True).click()
    page.locator('#map [title="Organisation, sector family Reuse and recycling"]').click()
    popup = page.locator("#map .leaflet-popup .map-popup")
    expect(popup).to_contain_text(re.compile(r"Nantes · Reuse and resource centres"))
