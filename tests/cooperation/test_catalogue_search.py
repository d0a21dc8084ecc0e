"""The catalogue's search: the listing's search text kept by its services, one typo and
plurals forgiven, as in the directory. Run on SQLite and on PostgreSQL (DATABASE_URL)."""

import pytest

from cooperation.filters import ListingFilterSet
from cooperation.models import Listing
from cooperation.services import listings as services
from directory.models import SearchWord
from tests.factories import sector

pytestmark = pytest.mark.django_db

TRUCK = {
    "kind": "offer",
    "nature": "equipment",
    "mode": "loan",
    "title": "Camionnette frigorifique",
    "description": "Une camionnette réfrigérée de 12 m³, prêtée le week-end aux épiceries.",
}
PREMISES = {
    "kind": "need",
    "nature": "premises",
    "mode": "rental",
    "title": "Atelier de menuiserie",
    "description": "Nous cherchons un atelier pour nos chantiers d'insertion.",
}


def found(query: str) -> list[str]:
    return list(Listing.objects.live().search(query).values_list("title", flat=True))


@pytest.fixture
def listings(actor, member):
    return [
        services.listing_create(actor=actor, by=member, data=data, publish=True)
        for data in (TRUCK, PREMISES)
    ]


def test_the_search_text_holds_the_texts_labels_commune_and_sectors(actor, member):
    listing = services.listing_create(
        actor=actor, by=member, data=TRUCK, sectors=[sector("recyclerie")], publish=True
    )
    listing.refresh_from_db()

    text = listing.search_text
    assert "camionnette frigorifique" in text and "refrigeree" in text  # accents removed
    assert "materiel" in text and "pret" in text  # nature and mode labels, in French
    assert "nantes" in text and "recyclerie" in text
    assert {"camionnette", "frigorifique"} <= set(
        SearchWord.objects.filter(word__in=["camionnette", "frigorifique"]).values_list(
            "word", flat=True
        )
    )


def test_an_edit_keeps_the_search_text_current(listings, member):
    truck = listings[0]
    services.listing_update(listing=truck, by=member, data={"title": "Fourgon isotherme"})

    assert found("fourgon") == ["Fourgon isotherme"]
    assert found("camionnette") == ["Fourgon isotherme"]  # still in its description


@pytest.mark.parametrize(
    "query",
    [
        "camionnette",
        "Camionnettes",  # a plural
        "camionnete",  # a typo (a letter missing)
        "camoinnette",  # a typo (two letters swapped)
        "frigorifiques réfrigérée",  # every word, a plural among them
    ],
)
def test_a_typo_or_a_plural_still_finds_the_listing(listings, query):
    assert found(query) == ["Camionnette frigorifique"]


def test_every_word_must_match(listings):
    assert found("camionnette menuiserie") == []
    assert found("atelier insertion") == ["Atelier de menuiserie"]


def test_the_filterset_search_keeps_to_the_catalogue(listings, member, rf):
    services.listing_withdraw(listing=listings[1], by=member)
    request = rf.get("/catalogue/", {"q": "atelier"})
    request.user = member

    filterset = ListingFilterSet(request.GET, request=request)

    assert filterset.is_valid()
    assert list(filterset.qs) == []
