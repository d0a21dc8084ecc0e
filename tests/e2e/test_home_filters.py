"""The home page's filters, list and map follow one URL: one request per change of any kind,
Back and Forward restore all three, and an empty result does not move the page."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_home_map import map_state, wait_for_map_load

pytestmark = pytest.mark.django_db(transaction=True)

# Longer than the pause after the last change, so every request it would cause has started.
SETTLE_MS = 900


class Requests:
    """The list's and the map's requests, as the browser sends them."""

    def __init__(self, page: Page):
        self.list, self.map = [], []
        page.on("request", self._seen)

    def _seen(self, request):
        if request.resource_type != "fetch":
            return
        path = request.url.split("/", 3)[3]
        if path.startswith("api/v1/map/actors/?"):
            self.map.append(path)
        elif path == "" or path.startswith("?"):
            self.list.append(path)

    def clear(self):
        self.list.clear()
        self.map.clear()


@pytest.fixture
def home(page, territory):
    page.goto("/")
    wait_for_map_load(page)
    return page


def count(page: Page):
    return page.locator("#results [data-results-count]")


def test_a_typed_word_makes_one_list_and_one_map_request(home, territory):
    requests = Requests(home)
    search = home.get_by_label("Rechercher")

    search.press_sequentially("Chantenay", delay=60)
    expect(count(home)).to_have_text("1 acteur trouvé")
    # Enter, then leaving the box, change nothing more.
    search.press("Enter")
    search.press("Tab")
    home.wait_for_timeout(SETTLE_MS)

    assert requests.list == ["?q=Chantenay"]
    assert len(requests.map) == 1 and "q=Chantenay" in requests.map[0]


def test_pasting_or_clearing_the_box_refreshes_the_list(home, territory):
    requests = Requests(home)
    search = home.get_by_label("Rechercher")

    # A paste (or an autofill) types no key.
    search.focus()
    home.keyboard.insert_text("Olivettes")
    expect(count(home)).to_have_text("1 acteur trouvé")
    expect(home.locator("#results .actor-card h3")).to_have_text(["Recyclerie des Olivettes"])
    home.wait_for_timeout(SETTLE_MS)
    assert requests.list == ["?q=Olivettes"]
    assert len(requests.map) == 1

    # The box's ✕, at its right end.
    requests.clear()
    box = search.bounding_box()
    home.mouse.click(box["x"] + box["width"] - 16, box["y"] + box["height"] / 2)
    expect(search).to_have_value("")
    expect(count(home)).to_have_attribute("data-results-count", str(len(territory.actors)))
    home.wait_for_timeout(SETTLE_MS)
    assert requests.list == [""]
    assert len(requests.map) == 1


def test_a_select_makes_one_request(home, territory):
    requests = Requests(home)

    home.get_by_label("Secteur").select_option("recyclerie")
    expect(count(home)).to_have_text("3 acteurs trouvés")
    home.wait_for_timeout(SETTLE_MS)

    assert requests.list == ["?sector=recyclerie"]
    assert len(requests.map) == 1


def test_back_and_forward_restore_the_filters_the_list_and_the_map(home, live_server, territory):
    sector = home.get_by_label("Secteur")
    search = home.get_by_label("Rechercher")
    the_map = home.locator("#map")
    clusters = home.locator("#map .map-cluster")

    sector.select_option("recyclerie")
    expect(count(home)).to_have_text("3 acteurs trouvés")
    expect(the_map).to_have_attribute("data-total", "3")
    search.press_sequentially("Chantenay")
    expect(count(home)).to_have_text("1 acteur trouvé")
    expect(the_map).to_have_attribute("data-total", "1")
    expect(home).to_have_url(f"{live_server.url}/?q=Chantenay&sector=recyclerie")

    home.go_back()
    expect(home).to_have_url(f"{live_server.url}/?sector=recyclerie")
    expect(search).to_have_value("")
    expect(sector).to_have_value("recyclerie")
    expect(count(home)).to_have_text("3 acteurs trouvés")
    expect(the_map).to_have_attribute("data-total", "3")

    home.go_back()
    expect(home).to_have_url(f"{live_server.url}/")
    expect(sector).to_have_value("")
    expect(home.locator("#id_sector option:checked")).to_have_text("Tous les secteurs")
    expect(count(home)).to_have_attribute("data-results-count", str(len(territory.actors)))
    expect(the_map).to_have_attribute("data-total", str(len(territory.actors)))
    # The clusters of this map only: none left over from the filtered ones.
    expect(clusters).to_have_count(4)
    assert sorted(int(text) for text in clusters.all_inner_texts()) == [4, 8, 12, 16]

    home.go_forward()
    expect(sector).to_have_value("recyclerie")
    expect(count(home)).to_have_text("3 acteurs trouvés")
    expect(the_map).to_have_attribute("data-total", "3")
    home.go_forward()
    expect(search).to_have_value("Chantenay")
    expect(count(home)).to_have_text("1 acteur trouvé")
    expect(the_map).to_have_attribute("data-total", "1")


def test_pages_of_the_list_are_in_the_history(home, live_server, territory):
    first = home.locator("#results .actor-card h3").first.inner_text()
    loaded = map_state(home)["loaded"]

    home.get_by_role("link", name="Page suivante").click()
    expect(home).to_have_url(f"{live_server.url}/?page=2")
    expect(home.get_by_text("Page 2 sur 2")).to_be_visible()
    expect(count(home)).to_be_focused()
    assert home.locator("#results .actor-card h3").first.inner_text() != first

    home.go_back()
    expect(home.get_by_text("Page 1 sur 2")).to_be_visible()
    expect(home.locator("#results .actor-card h3").first).to_have_text(first)
    # Turning pages changes no filter: the map has nothing to reload.
    home.wait_for_timeout(SETTLE_MS)
    assert map_state(home)["loaded"] == loaded


def test_a_search_that_finds_nothing_says_so_and_moves_nothing(home):
    home.evaluate(
        """() => {
            window.shifts = [];
            new PerformanceObserver(list => {
                for (const entry of list.getEntries()) window.shifts.push(entry.value);
            }).observe({type: "layout-shift"});
        }"""
    )

    home.get_by_label("Rechercher").press_sequentially("introuvable")
    expect(count(home)).to_have_text("Aucun acteur trouvé")
    expect(home.get_by_text("Aucun acteur ne correspond à ces critères.")).to_be_visible()
    home.wait_for_timeout(SETTLE_MS)

    assert home.evaluate("window.shifts") == []
    expect(home).to_have_url(re.compile(r"\?q=introuvable$"))
