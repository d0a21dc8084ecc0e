"""A ranked search's pages: the total with the page, the ranked order, no overlap."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from directory.models import Actor
from ess_platform.lib.pagination import RankedSearchPaginator
from tests.factories import ActorFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.fixture
def recycleries(network, nantes):
    # Same name, same text: equal ranks, so only the tie-break orders them.
    twins = [ActorFactory(network=network, commune=nantes, name="Recyclerie") for _ in range(5)]
    best = ActorFactory(
        network=network, commune=nantes, name="Recyclerie", keywords="recyclerie recyclerie"
    )
    return best, twins


def test_pages_follow_the_rank_then_never_overlap(recycleries):
    best, twins = recycleries
    ranked = Actor.objects.published().for_listing().search("recyclerie")
    paginator = RankedSearchPaginator(ranked, 4)

    with CaptureQueriesContext(connection) as queries:
        first = paginator.page(1)
    second = paginator.page(2)

    assert paginator.count == 6
    assert first.object_list[0] == best
    ids = [a.pk for a in first.object_list] + [a.pk for a in second.object_list]
    assert sorted(ids) == sorted(a.pk for a in [best, *twins])
    # Equal ranks and names: the id decides, so two requests never disagree.
    assert ids[1:] == sorted(a.pk for a in twins)
    # No COUNT(*) of its own: the total came with the page's ids.
    assert not any("COUNT(*) AS" in q["sql"] for q in queries.captured_queries)


def test_past_the_end_is_django_s_empty_page(recycleries):
    from django.core.paginator import EmptyPage

    paginator = RankedSearchPaginator(Actor.objects.published().search("recyclerie"), 4)
    with pytest.raises(EmptyPage):
        paginator.page(3)
    assert paginator.get_page(3).number == 2


def test_get_page_counts_with_the_page_and_keeps_the_tie_break(recycleries):
    """As the list view asks: get_page, page after page, never a COUNT of its own."""
    best, twins = recycleries
    ranked = Actor.objects.published().for_listing().search("recyclerie")
    paginator = RankedSearchPaginator(ranked, 2)

    with CaptureQueriesContext(connection) as queries:
        pages = [paginator.get_page(n) for n in (1, 2, 3)]

    ids = [a.pk for page in pages for a in page.object_list]
    assert ids == [best.pk, *sorted(a.pk for a in twins)]
    assert not any("COUNT(*) AS" in q["sql"] for q in queries.captured_queries)
    assert paginator.get_page("x").number == 1
    assert paginator.get_page(99).number == 3
