"""French typography as a reader sees it: a non-breaking space before : ; ? ! and inside
« », so that none of these signs ever starts a line; and phone links a phone can dial."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.factories import ActorFactory, sector

pytestmark = pytest.mark.django_db(transaction=True)

# A breakable space (or a line break) before a sign that French spaces, or after «.
BREAKABLE = re.compile(r"[ \t\r\n](?=[:;!?»])|«(?=[ \t\r\n])")


def breakable_spaces(page: Page) -> list[str]:
    """Every place of the visible text where a line could start with : ; ? ! or »."""
    text = page.evaluate("document.body.innerText")
    return [text[max(0, m.start() - 40) : m.end() + 10] for m in BREAKABLE.finditer(text)]


@pytest.fixture
def typed_in_french(network, nantes):
    """A profile written as members write: with ordinary spaces before the signs."""
    return ActorFactory(
        network=network,
        commune=nantes,
        name="Recyclerie du Port",
        sectors=[sector("recyclerie")],
        short_description="Recyclerie : collecte, tri et revente ; ouvert à tous !",
        description="Pourquoi venir ? Pour « donner une seconde vie » aux objets.",
        offer="Meubles : tables, chaises.",
        opening_hours="Mardi : 10 h - 18 h",
        phone="02 40 12 34 56",
    )


def test_the_home_page_and_its_filters(page, typed_in_french):
    page.goto("/")
    card = page.locator(".actor-card p").filter(has_text="collecte")
    assert card.evaluate("p => p.textContent") == (
        "Recyclerie\u202f: collecte, tri et revente\u202f; ouvert à tous\u202f!"
    )
    assert breakable_spaces(page) == []
    # Every message of the list, the empty one included.
    page.get_by_label("Rechercher").fill("introuvable")
    expect(page.locator("#results [data-results-count]")).to_have_text("Aucun acteur trouvé")
    assert breakable_spaces(page) == []


def test_an_actor_page(page, typed_in_french):
    page.goto(f"/acteurs/{typed_in_french.slug}/")
    assert page.locator(".lead").evaluate("p => p.textContent") == (
        "Recyclerie\u202f: collecte, tri et revente\u202f; ouvert à tous\u202f!"
    )
    assert breakable_spaces(page) == []


def test_a_form(page, typed_in_french):
    page.goto(f"/acteurs/{typed_in_french.slug}/signaler/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Signaler une erreur")
    assert breakable_spaces(page) == []


def test_a_phone_link_dials_the_number_without_its_spaces(page, typed_in_french):
    page.goto(f"/acteurs/{typed_in_french.slug}/")
    link = page.get_by_role("link", name="02 40 12 34 56")
    expect(link).to_have_attribute("href", "tel:0240123456")
