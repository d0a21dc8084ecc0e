"""The catalogue demo of `seed_demo` (cooperation.seed.catalogue_demo and its life) and the
bulk listings of `seed_demo --listings N` (cooperation.seed.bench)."""

import io

import pytest
from django.core.management import call_command

from cooperation.models import (
    Conversation,
    Cooperation,
    CooperationStatus,
    Evaluation,
    JointParticipation,
    Listing,
    ListingStatus,
    Nature,
    TerritoryNeed,
)
from cooperation.seed.bench import BENCH_TITLE_SUFFIX
from directory.seed.demo import DEMO_NETWORK_SLUG
from ess_platform.lib.outbox.models import OutboxMessage

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo():
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_the_demo_catalogue_has_every_nature_and_state_and_the_life_around_it(demo):
    listings = Listing.objects.filter(actor__network__slug=DEMO_NETWORK_SLUG)

    assert "Catalogue demo created" in demo
    assert 200 <= listings.count() <= 400
    assert set(listings.values_list("nature", flat=True)) == set(Nature.values)
    assert set(listings.values_list("status", flat=True)) == set(ListingStatus.values)
    assert listings.filter(visibility="network").exists()
    assert listings.live().filter(visibility="public").count() > 100
    assert Conversation.objects.filter(listing__in=listings).count() > 20
    assert Cooperation.objects.filter(status=CooperationStatus.CONFIRMED).count() > 5
    assert Evaluation.objects.exists()
    assert listings.filter(is_joint=True).count() >= 3
    assert JointParticipation.objects.count() >= 6
    needs = TerritoryNeed.objects.most_supported()
    assert needs.count() >= 5 and needs.first().support_count >= 1
    # Every e-mail owed to the demo's fictional people is closed unsent.
    assert not OutboxMessage.objects.unsent().exists()


def test_a_second_run_changes_nothing(demo):
    before = Listing.objects.count(), Conversation.objects.count()

    call_command("seed_demo", stdout=io.StringIO())

    assert (Listing.objects.count(), Conversation.objects.count()) == before


def test_bulk_listings_are_spread_live_and_searchable(demo):
    out = io.StringIO()
    call_command("seed_demo", listings=300, stdout=out)

    bulk = Listing.objects.filter(title__endswith=BENCH_TITLE_SUFFIX)
    assert bulk.count() == 300
    assert "300 bulk listings added" in out.getvalue()
    assert bulk.values("actor").distinct().count() > 50
    assert bulk.live().count() > 200
    assert bulk.filter(search_text__contains="camion").exists()
    assert bulk.filter(sectors__isnull=False).count() == 300
    # A typo finds them, as it finds the listings written through the services.
    assert Listing.objects.live().search("camoin").filter(pk__in=bulk).exists() or (
        Listing.objects.live().search("recylerie").filter(pk__in=bulk).exists()
    )

    call_command("seed_demo", listings=300, stdout=io.StringIO())
    assert bulk.count() == 300
