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
    # The only recyclerie of the group: its marker is named by its filière.
    marker = page.locator(
        '#map .leaflet-marker-icon[title="Acteur, filière Réemploi et recyclage"]'
    )
    marker.click()
    popup = page.locator("#map .leaflet-popup .map-popup")
    expect(popup).to_be_visible()
    expect(popup.get_by_role("heading")).to_have_text(actor.name)
    expect(popup).to_contain_text("Recyclerie")  # the sector
    link = popup.get_by_role("link", name="Voir la fiche")
    expect(link).to_have_attribute("href", f"/acteurs/{actor.slug}/")
    # Known now, the name is what the marker says.
    expect(marker.or_(page.locator(f'#map [title="{actor.name}"]'))).to_have_attribute(
        "title", actor.name
    )

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
    # From the right half: the legend covers the bottom left corner.
    x, y = area["x"] + area["width"] * 0.75, area["y"] + area["height"] - 40
    loaded = map_state(page)["loaded"]
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x, y - lift, steps=8)
    page.mouse.up()
    loaded = wait_for_map_load(page, after=loaded)["loaded"]

    top.click()
    popup = page.locator("#map .leaflet-popup .map-popup")
    heading = popup.get_by_role("heading")
    expect(heading).to_have_text(re.compile(r"^Structure "))
    name = heading.inner_text()
    # The map pans to show the whole popup, then loads that area: the popup must survive.
    wait_for_map_load(page, after=loaded)
    # A closed popup fades out for 200 ms before it leaves the page: Leaflet turns its
    # opacity to 0 at once, so read that rather than the text, which is still there.
    shown = page.locator("#map .leaflet-popup").evaluate("popup => popup.style.opacity")
    assert shown == "1", "the popup closed when the map reloaded"
    expect(popup).to_contain_text(name)


def test_points_are_light_and_a_popup_asks_for_its_details_when_it_opens(page, territory):
    point_requests = []
    page.on(
        "request",
        lambda request: (
            point_requests.append(request.url)
            if re.search(r"/api/v1/map/actors/\d+/$", request.url)
            else None
        ),
    )
    page.goto("/")
    wait_for_map_load(page)
    with page.expect_response(re.compile(r"/api/v1/map/actors/\?")) as answer:
        page.locator("#map .map-cluster").get_by_text("4", exact=True).click()
    points = answer.value.json()
    assert points["clustered"] is False
    assert {tuple(f["properties"]) for f in points["features"]} == {("cluster", "id", "colour")}
    expect(page.locator("#map .map-marker")).to_have_count(4)
    assert point_requests == [], "no details before a popup opens"

    actor = territory.recycleries[2]
    assert actor in territory.groups["sud-est"]
    page.locator('#map [title="Acteur, filière Réemploi et recyclage"]').click()
    popup = page.locator("#map .leaflet-popup .map-popup")
    expect(popup.get_by_role("heading")).to_have_text(actor.name)
    expect(popup).to_contain_text("Nantes · Recyclerie et ressourcerie")
    assert point_requests == [f"{page.url.rstrip('/')}/api/v1/map/actors/{actor.pk}/"]

    # Opened again, the popup reuses what it fetched.
    page.locator("#map .leaflet-popup-close-button").click()
    expect(popup).to_have_count(0)
    page.locator(f'#map [title="{actor.name}"]').click()
    expect(popup.get_by_role("heading")).to_have_text(actor.name)
    assert len(point_requests) == 1


def test_the_legend_of_filiere_colours_is_reached_from_the_map(page, territory):
    page.goto("/")
    wait_for_map_load(page)
    legend = page.locator("#map-legend")
    expect(legend.get_by_text("Légende des couleurs")).to_be_visible()
    # It sits on the map, and the keyboard meets it before the markers.
    box, area = legend.bounding_box(), page.locator("#map").bounding_box()
    assert area["x"] <= box["x"] and box["y"] + box["height"] <= area["y"] + area["height"]
    assert page.evaluate(
        """() => Boolean(document.getElementById('map-legend').compareDocumentPosition(
                 document.getElementById('map')) & Node.DOCUMENT_POSITION_FOLLOWING)"""
    )

    legend.get_by_text("Légende des couleurs").click()
    item = legend.get_by_role("listitem").filter(has_text="Réemploi et recyclage")
    expect(item).to_be_visible()
    expect(legend.get_by_role("listitem")).to_have_count(15)  # every filière
    swatch = item.locator(".map-legend__swatch")
    colour = swatch.evaluate("el => getComputedStyle(el).backgroundColor")
    # The swatch has the colour of that filière's markers.
    legend.get_by_text("Légende des couleurs").click()  # closed, it uncovers the map
    page.locator("#map .map-cluster").get_by_text("4", exact=True).click()
    marker = page.locator('#map [title="Acteur, filière Réemploi et recyclage"] .map-marker')
    expect(marker).to_be_visible()
    assert marker.evaluate("el => getComputedStyle(el).backgroundColor") == colour


def test_the_list_can_follow_the_map_and_keeps_the_area_in_the_url(page, live_server, territory):
    page.goto("/")
    wait_for_map_load(page)
    count = page.locator("#results [data-results-count]")
    expect(count).to_have_attribute("data-results-count", str(len(territory.actors)))

    follow = page.get_by_label("Limiter la liste à la zone visible de la carte")
    follow.check()
    expect(page).to_have_url(re.compile(r"[?&]bbox=-?[\d.]+%2C"))
    # Everything is in view still.
    expect(count).to_have_attribute("data-results-count", str(len(territory.actors)))

    # Zoom on one group: the list keeps to it.
    page.locator("#map .map-cluster").get_by_text("8", exact=True).click()
    expect(count).to_have_attribute("data-results-count", "8")
    names = sorted(page.locator("#results .actor-card h3").all_inner_texts())
    assert names == sorted(a.name for a in territory.groups["sud-ouest"])

    # The area is in the URL: a reload (or a shared link) shows that list and that area.
    page.reload()
    expect(page.get_by_label("Limiter la liste à la zone visible de la carte")).to_be_checked()
    expect(count).to_have_attribute("data-results-count", "8")
    state = wait_for_map_load(page)
    assert state["total"] == 8

    page.get_by_label("Limiter la liste à la zone visible de la carte").uncheck()
    expect(count).to_have_attribute("data-results-count", str(len(territory.actors)))
    assert "bbox" not in page.url


def near_me(page):
    page.get_by_role("button", name="Me localiser").click()


def test_near_me_shows_where_me_is_and_the_radius(page, territory):
    group = territory.groups["nord-est"]
    # The middle of the group: every one of its actors is within 2 km, the others 6 km away.
    lat = sum(actor.lat for actor in group) / len(group)
    lon = sum(actor.lon for actor in group) / len(group)
    page.context.grant_permissions(["geolocation"])
    page.context.set_geolocation({"latitude": lat, "longitude": lon})
    page.goto("/")
    wait_for_map_load(page)

    page.get_by_label("Autour de moi").select_option("2")
    near_me(page)
    expect(page.get_by_text("Résultats autour de votre position.")).to_be_visible()
    me = page.locator("#map .map-me")
    expect(me).to_be_visible()
    expect(page.locator("#map path.map-radius")).to_have_count(1)
    expect(page).to_have_url(re.compile(r"[?&]near=47\.\d+%2C-1\.\d+"))
    expect(page).to_have_url(re.compile(r"[?&]radius_km=2\b"))
    # The list keeps to the radius: the group around "me", not the others.
    count = page.locator("#results [data-results-count]")
    expect(count).to_have_attribute("data-results-count", str(len(territory.groups["nord-est"])))

    # "Me" is at the centre of the radius (once the markers' zoom animation is over).
    page.wait_for_function(
        """() => {
            const [me, radius] = [".map-me", "path.map-radius"]
                .map(s => document.querySelector("#map " + s).getBoundingClientRect());
            return Math.abs(me.x + me.width / 2 - (radius.x + radius.width / 2)) < 2
                && Math.abs(me.y + me.height / 2 - (radius.y + radius.height / 2)) < 2;
        }"""
    )

    page.get_by_role("button", name="Ne plus filtrer autour de moi").click()
    expect(me).to_have_count(0)
    expect(count).to_have_attribute("data-results-count", str(len(territory.actors)))


def test_when_the_position_is_refused_a_commune_can_be_typed(page, territory):
    # No permission granted: the browser refuses the position.
    page.goto("/")
    wait_for_map_load(page)
    near_me(page)
    place = page.get_by_label("Adresse ou commune")
    expect(place).to_be_visible()
    expect(place).to_be_focused()
    expect(page.locator("[data-near-status]")).to_contain_text(
        "saisissez une adresse ou une commune"
    )

    place.fill("Nant")
    place.press("Enter")
    expect(page.locator("[data-near-status]")).to_have_text("Résultats autour de Nantes (44).")
    expect(page.locator("#map .map-me")).to_be_visible()
    expect(page.locator("#map path.map-radius")).to_have_count(1)
    expect(page).to_have_url(re.compile(r"[?&]near=47\.2184\d*%2C-1\.5536"))

    place.fill("Zzzville")
    page.get_by_role("button", name="Chercher autour").click()
    expect(page.locator("[data-near-status]")).to_have_text(
        "Aucun lieu trouvé pour «\u202fZzzville\u202f»."
    )
