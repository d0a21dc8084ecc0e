"""Actor model rules: a SIRET given is unique, and the possible-duplicate hints (models.actors)."""

import pytest
from django.core.exceptions import ValidationError

from directory.models import Actor
from tests.factories import ActorFactory

pytestmark = pytest.mark.django_db


def test_siret_is_unique_when_given(network, nantes):
    ActorFactory(network=network, commune=nantes, siret="73282932000074")
    ActorFactory(network=network, commune=nantes, siret="")
    ActorFactory(network=network, commune=nantes, siret="")  # blanks never collide
    duplicate = Actor(
        network=network,
        commune=nantes,
        name="Doublon",
        slug="doublon",
        legal_form="association",
        short_description="x",
        siret="73282932000074",
        lat=nantes.lat,
        lon=nantes.lon,
    )
    with pytest.raises(ValidationError):
        duplicate.full_clean(exclude=["sectors"])


def test_find_duplicates_by_siret_or_close_name_in_same_commune(network, nantes, reze):
    existing = ActorFactory(
        network=network, commune=nantes, name="Les Jardins de Cocagne", siret="73282932000074"
    )
    assert list(
        Actor.objects.possible_duplicates(name="Autre nom", commune=reze, siret="73282932000074")
    ) == [existing]
    assert list(Actor.objects.possible_duplicates(name="jardins cocagne", commune=nantes)) == [
        existing
    ]
    assert not Actor.objects.possible_duplicates(name="jardins cocagne", commune=reze)


def test_duplicates_never_reveal_unpublished_profiles(network, nantes):
    ActorFactory(network=network, commune=nantes, name="Jardin secret", draft=True)
    assert not Actor.objects.possible_duplicates(name="jardin secret", commune=nantes)


def test_a_duplicate_hint_matches_whole_words_only(network, nantes):
    """ "Île" is not the "ile" inside "automobile"."""
    ActorFactory(
        network=network, commune=nantes, name="Auto-école solidaire", keywords="automobile"
    )
    velo = ActorFactory(network=network, commune=nantes, name="Atelier vélo de l'Île")

    assert list(Actor.objects.possible_duplicates(name="L'Île", commune=nantes)) == [velo]
    assert not Actor.objects.possible_duplicates(name="Mobile", commune=nantes)
