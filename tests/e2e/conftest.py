"""Browser tests: Playwright drives /usr/bin/chromium against Django's live server.

Every test of this folder is marked `e2e` (skipped without Chromium, failed in CI with
REQUIRE_SERVICES=1, see tests/conftest.py). Pages keep their Content-Security-Policy, as
for a visitor; the accessibility checks lift it to inject axe-core, and the offline check
to see every request the markup would make.
"""

import os
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from directory.models import Actor
from directory.models.map import cell_of, cell_size
from tests.factories import ActorFactory, MembershipFactory, UserFactory, sector

# Playwright's sync API runs an event loop in the test thread (see CI.md).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

HERE = Path(__file__).parent
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")  # as tests/conftest.py
AXE_JS = HERE / "vendor" / "axe.min.js"
PASSWORD = "motdepasse-solide-42"  # UserFactory's
# The home map opens on this point at this zoom (templates/directory/actors/home.html).
HOME_CENTER = (47.218, -1.554)
HOME_ZOOM = 11

# Fail fast: a broken page should not hang the suite for Playwright's 30 s default.
expect.set_options(timeout=7_000)


def pytest_collection_modifyitems(config, items):
    for item in items:
        if HERE in Path(item.path).parents:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "headless": True,
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


@pytest.fixture(scope="session")
def base_url(live_server) -> str:
    # Relative URLs in page.goto() go to the live server. This also replaces
    # pytest-playwright's fallback `base_url`, an instance-method session fixture that
    # pytest 9 deprecates (an error under filterwarnings = error).
    return live_server.url


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # A desktop window: the map sits beside the list, as most visitors see it. The CSP is
    # *not* bypassed here, so a script the policy blocks breaks these tests as it would
    # break the site; tests that inject axe-core opt in with
    # @pytest.mark.browser_context_args(bypass_csp=True).
    return {
        **browser_context_args,
        "locale": "fr-FR",
        "viewport": {"width": 1280, "height": 800},
    }


@pytest.fixture
def page(page: Page) -> Page:
    page.set_default_timeout(10_000)
    return page


@dataclass
class Territory:
    """~40 published actors in four tight groups around Nantes.

    Each group fills one map cell at the home zoom, two cells away from the others: the
    home map shows exactly one cluster per group (counts 16, 12, 8 and 4), and zooming
    on one cluster shows its actors as separate points.
    """

    groups: dict[str, list[Actor]]
    recycleries: list[Actor]

    @property
    def actors(self) -> list[Actor]:
        return [actor for group in self.groups.values() for actor in group]


# name of the group, cell offset from the home centre (x, y), size
GROUPS = [("nord-ouest", (-1, 1), 16), ("nord-est", (1, 1), 12), ("sud-ouest", (-1, -1), 8)]
GROUPS += [("sud-est", (1, -1), 4)]
RECYCLERIES = {
    ("nord-ouest", 0): "Recyclerie des Olivettes",
    ("nord-est", 3): "Recyclerie de Chantenay",
    ("sud-est", 1): "Recyclerie Saint-Félix",
}
OTHER_SECTORS = ["epicerie-solidaire", "velo", "tiers-lieux", "petite-enfance"]


@pytest.fixture
def territory(network, nantes) -> Territory:
    size = cell_size(HOME_ZOOM)
    home_x, home_y = cell_of(*HOME_CENTER, HOME_ZOOM)
    groups, recycleries = {}, []
    for group, (dx, dy), count in GROUPS:
        # Centre of the cell; points on a 5-column grid, 0.008° x 0.006° apart (about
        # 45 px at zoom 13, more than the browser's own 30 px clustering radius).
        centre_lon = (home_x + dx + 0.5) * size - 180.0
        centre_lat = (home_y + dy + 0.5) * size - 90.0
        groups[group] = []
        for i in range(count):
            row, col = divmod(i, 5)
            name = RECYCLERIES.get((group, i))
            actor = ActorFactory(
                network=network,
                commune=nantes,
                name=name or f"Structure {group} {i + 1}",
                lat=round(centre_lat + (row - 1.5) * 0.006, 6),
                lon=round(centre_lon + (col - 2) * 0.008, 6),
                sectors=[sector("recyclerie" if name else OTHER_SECTORS[i % 4])],
            )
            groups[group].append(actor)
            if name:
                recycleries.append(actor)
    return Territory(groups=groups, recycleries=recycleries)


@pytest.fixture
def owner(territory):
    """A member who owns one actor of the territory (`owner.actor`)."""
    actor = territory.groups["nord-est"][0]
    user = UserFactory(username="proprietaire")
    MembershipFactory(user=user, actor=actor)
    user.actor = actor
    return user


@pytest.fixture
def other_owner(territory):
    actor = territory.groups["sud-ouest"][0]
    user = UserFactory(username="autre-proprietaire")
    MembershipFactory(user=user, actor=actor)
    user.actor = actor
    return user


@pytest.fixture
def log_in(live_server):
    """Log in through the real allauth form, as a member would."""

    def log_in(page: Page, user, *, next_path: str = "") -> None:
        if next_path:
            page.goto(f"{live_server.url}/comptes/login/?next={next_path}")
        elif "/comptes/login/" not in page.url:
            page.goto(f"{live_server.url}/comptes/login/")
        form = page.locator("main form").filter(has=page.locator("input[name=password]"))
        form.locator("input[name=login]").fill(user.email)
        form.locator("input[name=password]").fill(PASSWORD)
        form.locator("button[type=submit]").click()
        expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()
        # The button shows as soon as the page is parsed; htmx binds its triggers on
        # DOMContentLoaded. Waiting for "load" keeps a test from typing into a field whose
        # live validation is not listening yet (flaky on a busy machine).
        page.wait_for_load_state("load")

    return log_in


IMPACTS_THAT_FAIL = {"serious", "critical"}


def _describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"[{violation['impact']}] {violation['id']}: {violation['help']}")
        lines.append(f"    {violation['helpUrl']}")
        for node in violation["nodes"][:5]:
            lines.append(f"    - {' '.join(map(str, node['target']))}")
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            lines.append(f"      {summary[:300]}")
        if len(violation["nodes"]) > 5:
            lines.append(f"    … and {len(violation['nodes']) - 5} more elements")
    return "\n".join(lines)


@pytest.fixture
def axe_check():
    """`axe_check(page)`: fail on any serious or critical WCAG 2.1 A/AA violation.

    axe-core is injected as an inline script, which the site's CSP forbids: use it in tests
    marked @pytest.mark.browser_context_args(bypass_csp=True).
    """

    def axe_check(page: Page) -> None:
        page.add_script_tag(path=AXE_JS)
        results = page.evaluate(
            """() => axe.run(document, {
                runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
            })"""
        )
        failing = [v for v in results["violations"] if v["impact"] in IMPACTS_THAT_FAIL]
        assert not failing, f"axe on {page.url}:\n{_describe(failing)}"

    return axe_check
