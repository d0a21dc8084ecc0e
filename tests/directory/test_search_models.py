"""Search forgives plurals and one typo, on SQLite as on PostgreSQL (the same tests run on
both databases in CI)."""

import pytest

from directory.models import Actor
from directory.models.search import one_edit_apart, stem
from tests.factories import ActorFactory


@pytest.fixture
def ressourcerie(network, nantes):
    return ActorFactory(
        network=network, commune=nantes, name="Ressourcerie du Port", keywords="réemploi"
    )


@pytest.fixture
def recyclerie(network, nantes):
    return ActorFactory(network=network, commune=nantes, name="La Recyclerie solidaire")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    ["recyclerie", "recycleries", "recylerie", "RECYCLERIES", "recyclerie solidaires"],
)
def test_plurals_and_one_typo_find_the_recyclerie(recyclerie, ressourcerie, query):
    assert list(Actor.objects.search(query)) == [recyclerie]


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["ressourcerie", "resourcerie", "ressourceries"])
def test_a_missing_letter_finds_the_ressourcerie(recyclerie, ressourcerie, query):
    assert list(Actor.objects.search(query)) == [ressourcerie]


@pytest.mark.django_db
def test_every_word_must_still_match(recyclerie, ressourcerie):
    assert not Actor.objects.search("recyclerie boulangerie").exists()
    assert not Actor.objects.search("xyzxyz").exists()


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("recylerie", "recyclerie", True),  # a letter dropped
        ("recycclerie", "recyclerie", True),  # a letter added
        ("recyclarie", "recyclerie", True),  # a letter replaced
        ("recylcerie", "recyclerie", True),  # two letters swapped
        ("recyclerie", "recyclerie", False),  # the same word is not a typo
        ("recylarie", "recyclerie", False),  # two typos
        ("port", "porte", True),
        ("port", "sport", True),
        ("abcd", "badc", False),
    ],
)
def test_one_edit_apart(a, b, expected):
    assert one_edit_apart(a, b) is expected
    assert one_edit_apart(b, a) is expected


def test_french_stems_join_singular_and_plural():
    assert stem("recycleries") == stem("recyclerie")
    assert stem("epiceries") == stem("epicerie")
    assert stem("solidaires") == stem("solidaire")
