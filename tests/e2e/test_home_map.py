"""The home page: map clusters, points and popups, and filters shared by the list and map."""

import json
import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.django_db(transaction=True)


def map_state(page: Page) -> dict:
    """What the home map last drew: map.js writes it on #map after each load."""
    return page.eval_on_selector(
        "#map",
        """el => ({loaded: Number(el.dataset.loaded || 0), total: Number(el.dataset.total),
                   features: Number(el.dataset.features), error: el.dataset.error || null})""",
    )


def wait_for_map_load(page: Page, *, after: int = 0) -> dict:
    """Wait until the home map has drawn more than `after` times; return what it drew."""
    page.wait_for_function(
        "after => Number(document.getElementById('map').dataset.loaded || 0) > after",
        arg=after,
    )
    state = map_state(page)
    assert state["error"] is None, json.dumps(state)
    return state


def test_map_shows_clusters_then_points_with_a_popup_to_the_actor(page, live_server, territory):
    page.goto("/")
    state = wait_for_map_load(page)

    clusters = page.locator("#map .map-cluster")
    expect(clusters.first).to_be_visible()
    counts = sorted(int(text) for text in clusters.all_inner_texts())
    assert counts == [4, 8, 12, 16], "one cluster per group of actors"
    assert sum(counts) == state["total"] == len(territory.actors)
    expect(page.locator("[data-results-count]")).to_have_attribute(
        "data-results-count", str(len(territory.actors))
    )

    # A click on a cluster zooms in on it, until its actors show as separate points.
    clusters.get_by_text("12", exact=True).click()
    markers = page.locator("#map .map-marker")
    expect(markers).to_have_count(12)
    expect(clusters).to_have_count(0)
    state = map_state(page)
    assert state["loaded"] >= 2
    assert state["total"] == state["features"] == 12

    actor = territory.recycleries[1]
    assert actor in territory.groups["nord-est"]
    page.locator(f'#map .leaflet-marker-icon[title="{actor.name}"]').click()
    popup = page.locator("#map .leaflet-popup .map-popup")
    expect(popup).to_be_visible()
    expect(popup.get_by_role("heading")).to_have_text(actor.name)
    expect(popup).to_contain_text("Recyclerie")  # the sector
    link = popup.get_by_role("link", name="Voir la fiche")
    expect(link).to_have_attribute("href", f"/acteurs/{actor.slug}/")

    link.click()
    expect(page).to_have_url(f"{live_server.url}/acteurs/{actor.slug}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(actor.name)


def test_filters_narrow_the_list_and_the_map_together(page, live_server, territory):
    page.goto("/")
    state = wait_for_map_load(page)
    assert state["total"] == len(territory.actors)
    count = page.locator("#results [data-results-count]")
    names = page.locator("#results .actor-card h3")
    the_map = page.locator("#map")

    page.get_by_label("Secteur").select_option("recyclerie")
    expect(count).to_have_text("3 acteurs trouvés")
    assert sorted(names.all_inner_texts()) == sorted(a.name for a in territory.recycleries)
    # Every actor is in view, so the map counts exactly what the list shows.
    expect(the_map).to_have_attribute("data-total", "3")
    state = wait_for_map_load(page, after=1)
    clusters = page.locator("#map .map-cluster")
    assert sum(int(text) for text in clusters.all_inner_texts()) == 3

    page.get_by_label("Rechercher").press_sequentially("Chantenay")
    expect(count).to_have_text("1 acteur trouvé")
    expect(names).to_have_text(["Recyclerie de Chantenay"])
    expect(the_map).to_have_attribute("data-total", "1")
    expect(clusters).to_have_text(["1"])

    # The address bar keeps the filters: reloading (or sharing the link) shows the same.
    expect(page).to_have_url(re.compile(r"[?&]q=Chantenay\b"))
    page.reload()
    expect(page.get_by_label("Rechercher")).to_have_value("Chantenay")
    expect(count).to_have_text("1 acteur trouvé")
    wait_for_map_load(page)
    expect(the_map).to_have_attribute("data-total", "1")


def test_popup_near_the_edge_of_the_map_stays_open(page, territory):
    page.goto("/")
    wait_for_map_load(page)
    page.locator("#map .map-cluster").get_by_text("12", exact=True).click()
    markers = page.locator("#map .leaflet-marker-icon")
    expect(page.locator("#map .map-marker")).to_have_count(12)

    # Drag the map up until the top row of points is just under the map's upper edge.
    area = page.locator("#map").bounding_box()
    top = min(markers.all(), key=lambda marker: marker.bounding_box()["y"])
    lift = top.bounding_box()["y"] - area["y"] - 25
    x, y = area["x"] + area["width"] / 2, area["y"] + area["height"] - 40
    loaded = map_state(page)["loaded"]
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x, y - lift, steps=8)
    page.mouse.up()
    loaded = wait_for_map_load(page, after=loaded)["loaded"]

    name = top.get_attribute("title")
    page.locator(f'#map .leaflet-marker-icon[title="{name}"]').click()
    popup = page.locator("#map .leaflet-popup .map-popup")
    expect(popup).to_contain_text(name)
    # The map pans to show the whole popup, then loads that area: the popup must survive.
    wait_for_map_load(page, after=loaded)
    # A closed popup fades out for 200 ms before it leaves the page: Leaflet turns its
    # opacity to 0 at once, so read that rather than the text, which is still there.
    shown = page.locator("#map .leaflet-popup").evaluate("popup => popup.style.opacity")
    assert shown == "1", "the popup closed when the map reloaded"
    expect(popup).to_contain_text(name)
