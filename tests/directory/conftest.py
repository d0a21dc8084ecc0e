"""Fixtures shared by several test modules of tests/directory (project-wide: tests/conftest.py)."""

import pytest
from django.core.cache import cache
from django.utils import timezone

from directory.models import Freshness, LegalForm, Status
from tests.directory.helpers import make
from tests.factories import ActorFactory, CommuneFactory, sector


@pytest.fixture
def lyon(db):
    return CommuneFactory(insee="69123", name="Lyon", department="69", lat=45.7677, lon=4.8354)


@pytest.fixture
def empty_cache():
    """Rate limits and the export throttle count in the cache, which outlives a test's
    transaction. Used by the modules that need it (`pytest.mark.usefixtures`)."""
    cache.clear()
    yield
    cache.clear()


# --- Correction reports ---------------------------------------------------------------------


@pytest.fixture
def phoned(actor):
    actor.phone = "02 40 00 00 00"
    actor.save(update_fields=["phone"])
    return actor


# --- Downloads ------------------------------------------------------------------------------


@pytest.fixture
def recyclerie(network, nantes):
    """A profile with every public field filled (test_admin.py has its own, lighter one)."""
    return ActorFactory(
        network=network,
        commune=nantes,
        name="Recyclerie du Port",
        slug="recyclerie-du-port",
        legal_form=LegalForm.SCIC,
        siret="73282932000074",
        address="3 quai de la Fosse",
        postcode="44000",
        website="https://recyclerie.example.org",
        email="contact@recyclerie.example.org",
        phone="02 40 00 00 00",
        short_description="Collecte, tri et revente d'objets.",
        sectors=[sector("recyclerie"), sector("reparation")],
    )


# --- The freshness pass ---------------------------------------------------------------------


@pytest.fixture
def as_of():
    """Time is frozen by passing `as_of` to the pass: every date of a freshness test is
    relative to it, so the thresholds (12 months due, 1 month grace, second reminder 7 days
    before stale, archive at 24 months: the default policy) are exact. Tests run later
    passes "the same day" a few hours on: in the evening, `as_of` moves back to the
    afternoon so that those stay before local midnight."""
    now = timezone.now()
    if timezone.localtime(now).hour >= 18:
        return now - timezone.timedelta(hours=8)
    return now


# --- The animator's workspace ---------------------------------------------------------------


@pytest.fixture
def chase(network, nantes, reze):
    """Published actors of the network in every freshness state, plus noise elsewhere."""
    return {
        "fresh": make(network, nantes, "Atelier frais", days=10, freshness=Freshness.FRESH),
        "due": make(network, nantes, "Bricothèque due", days=380, freshness=Freshness.DUE),
        "stale": make(network, reze, "Cyclerie obsolète", days=420, freshness=Freshness.STALE),
        "stale_old": make(network, nantes, "Dépôt ancien", days=700, freshness=Freshness.STALE),
        "draft_stale": make(
            network, nantes, "Ébauche", days=700, freshness=Freshness.STALE, status=Status.DRAFT
        ),
    }


@pytest.fixture
def elsewhere(other_network):
    lyon = other_network.communes.get()
    return make(other_network, lyon, "Lyon obsolète", days=700, freshness=Freshness.STALE)


# --- Imports --------------------------------------------------------------------------------


@pytest.fixture
def capture(django_capture_on_commit_callbacks):
    return django_capture_on_commit_callbacks
