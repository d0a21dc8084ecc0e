"""The animator's dashboard: its numbers, lists and trend chart (directory.dashboard, .charts)."""

import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from directory import charts, dashboard
from directory.models import (
    Actor,
    ActorChange,
    CorrectionReport,
    Freshness,
    FreshnessNotice,
    FreshnessSnapshot,
    Status,
)
from directory.services import history
from directory.views import network as workspace_views
from tests.directory.helpers import LISTS, dashboard_url, make, names_in
from tests.directory.helpers import days_ago as ago
from tests.factories import (
    ActorFactory,
    CommuneFactory,
    CorrectionReportFactory,
    MembershipFactory,
)

pytestmark = pytest.mark.django_db

DAY = timedelta(days=1)


# --- Numbers at a glance --------------------------------------------------------------------


def test_numbers_count_statuses_freshness_and_recent_confirmations(
    client, network, animator, chase, elsewhere
):
    make(network, network.communes.first(), "En attente", status=Status.PENDING)
    figures = dashboard.network_figures(network)
    by_status = {f.value: f.count for f in figures.by_status}
    by_freshness = {f.value: f.count for f in figures.by_freshness}

    assert by_status == {
        Status.DRAFT: 1,
        Status.PENDING: 1,
        Status.PUBLISHED: 4,
        Status.SUSPENDED: 0,
        Status.ARCHIVED: 0,
    }
    assert by_freshness == {Freshness.FRESH: 1, Freshness.DUE: 0 + 1, Freshness.STALE: 2}
    # Published and confirmed in the last 12 months: only "Atelier frais" (10 days).
    assert figures.confirmed_last_year == 1 and figures.share_confirmed == 25

    client.force_login(animator)
    html = client.get(dashboard_url(network)).content.decode()
    assert 'data-figure="status-published">4<' in html
    assert 'data-figure="freshness-stale">2<' in html
    assert 'data-figure="share-confirmed">25 %<' in html


def test_numbers_of_an_empty_network(network):
    figures = dashboard.network_figures(network)
    assert figures.published == 0 and figures.share_confirmed is None


# --- The list to chase ----------------------------------------------------------------------


def test_chase_list_shows_due_and_stale_published_actors_of_the_network_only(
    client, network, animator, chase, elsewhere
):
    client.force_login(animator)
    response = client.get(dashboard_url(network))
    # Oldest confirmation first by default; drafts, fresh actors and Lyon stay out.
    assert names_in(response) == ["Dépôt ancien", "Cyclerie obsolète", "Bricothèque due"]


def test_chase_list_filters_by_freshness_commune_and_text(client, network, animator, chase, reze):
    client.force_login(animator)
    stale = client.get(dashboard_url(network, liste="relances", freshness="stale"))
    assert names_in(stale) == ["Dépôt ancien", "Cyclerie obsolète"]
    in_reze = client.get(dashboard_url(network, liste="relances", commune=reze.pk))
    assert names_in(in_reze) == ["Cyclerie obsolète"]
    # Accent- and case-insensitive.
    text = client.get(dashboard_url(network, liste="relances", q="BRICOTHEQUE"))
    assert names_in(text) == ["Bricothèque due"]
    # A tampered filter is ignored rather than failing.
    tampered = client.get(dashboard_url(network, freshness="rotten", commune="x", sort="pk"))
    assert tampered.status_code == 200 and len(names_in(tampered)) == 3


def test_chase_list_shows_and_sorts_by_last_reminder_date(client, network, animator, chase):
    sent = timezone.now() - timedelta(days=3)
    FreshnessNotice.objects.create(
        actor=chase["due"], kind=FreshnessNotice.Kind.REMINDER, period="a", sent_at=sent - DAY
    )
    FreshnessNotice.objects.create(
        actor=chase["due"], kind=FreshnessNotice.Kind.MANUAL_REMINDER, period="b", sent_at=sent
    )
    # A digest line is not a reminder to the members, nor is an unsent notice.
    FreshnessNotice.objects.create(
        actor=chase["stale"], kind=FreshnessNotice.Kind.STALE, period="c", sent_at=timezone.now()
    )
    FreshnessNotice.objects.create(
        actor=chase["stale_old"], kind=FreshnessNotice.Kind.REMINDER, period="d", sent_at=None
    )
    FreshnessNotice.objects.create(
        actor=chase["stale_old"],
        kind=FreshnessNotice.Kind.SECOND_REMINDER,
        period="e",
        sent_at=sent - 5 * DAY,
    )
    client.force_login(animator)

    response = client.get(dashboard_url(network, sort="-relance"))
    assert names_in(response) == ["Bricothèque due", "Dépôt ancien", "Cyclerie obsolète"]
    html = response.content.decode()
    local = timezone.localtime(sent)
    row = html.split('data-actor="' + chase["due"].slug, 1)[1].split("</tr>", 1)[0]
    assert f"{local.day} " in row.split("data-last-reminder>", 1)[1]
    stale_row = html.split('data-actor="' + chase["stale"].slug, 1)[1].split("</tr>", 1)[0]
    assert "jamais relancée" in stale_row

    never_first = client.get(dashboard_url(network, sort="relance"))
    assert names_in(never_first) == ["Cyclerie obsolète", "Dépôt ancien", "Bricothèque due"]
    by_name = client.get(dashboard_url(network, sort="-nom"))
    assert names_in(by_name) == ["Dépôt ancien", "Cyclerie obsolète", "Bricothèque due"]
    recent = client.get(dashboard_url(network, sort="-confirmation"))
    assert names_in(recent) == ["Bricothèque due", "Cyclerie obsolète", "Dépôt ancien"]


def test_chase_list_paginates_keeping_filters(
    client, network, animator, nantes, monkeypatch, django_assert_max_num_queries
):
    monkeypatch.setattr(workspace_views, "PAGE_SIZE", 2)
    for i in range(5):
        make(network, nantes, f"Obsolète {i}", days=500 + i, freshness=Freshness.STALE)
    client.force_login(animator)

    first = client.get(dashboard_url(network, freshness="stale", sort="nom"))
    assert names_in(first) == ["Obsolète 0", "Obsolète 1"]
    assert "freshness=stale&amp;sort=nom&amp;page=2" in first.content.decode()
    third = client.get(dashboard_url(network, freshness="stale", sort="nom", page=3))
    assert names_in(third) == ["Obsolète 4"]
    # The page costs the same whatever the number of rows.
    with django_assert_max_num_queries(20):
        counted = client.get(dashboard_url(network, freshness="stale", sort="nom", page=3))
    assert counted.status_code == 200
    assert names_in(counted) == ["Obsolète 4"]


def test_dashboard_query_count_does_not_grow_with_the_lists(client, network, animator, nantes):
    """Every list filled, once with one row and once past a page: the same query count."""
    client.force_login(animator)
    stale_names: set[str] = set()
    pending_names: set[str] = set()
    # Each list shows the stale actors (reminded, reported, edited), or the pending ones.
    expected = {
        "relances": stale_names,
        "signalements": stale_names,
        "attente": pending_names,
        "historique": stale_names,
    }

    def fill(count: int, start: int) -> None:
        for i in range(start, start + count):
            stale = make(network, nantes, f"Obsolète {i}", days=500, freshness=Freshness.STALE)
            FreshnessNotice.objects.create(
                actor=stale, kind="reminder", period="p", sent_at=timezone.now()
            )
            MembershipFactory(actor=stale)
            CorrectionReportFactory(actor=stale, proposed_value="02 40 00 00 00")
            pending = ActorFactory(
                network=network, commune=nantes, name=f"En attente {i}", pending=True
            )
            MembershipFactory(actor=pending)
            history.record(stale, by=animator, source=ActorChange.Source.EDIT, changes={})
            stale_names.add(stale.name)
            pending_names.add(pending.name)

    def queries(liste: str) -> int:
        with CaptureQueriesContext(connection) as context:
            response = client.get(dashboard_url(network, liste=liste))
            assert response.status_code == 200
        # The rows counted are the ones shown: all of them, or a full first page.
        shown = names_in(response)
        assert len(shown) == min(len(expected[liste]), workspace_views.PAGE_SIZE), liste
        assert set(shown) <= expected[liste], liste
        return len(context)

    fill(1, 0)
    baseline = {liste: queries(liste) for liste in LISTS}
    fill(30, 1)
    assert {liste: queries(liste) for liste in LISTS} == baseline


# --- The other lists ------------------------------------------------------------------------


def test_open_reports_list_filters_sorts_and_links_to_the_reports(
    client, network, animator, chase, elsewhere, monkeypatch
):
    first = CorrectionReportFactory(actor=chase["due"], proposed_value="02 40 11 11 11")
    second = CorrectionReportFactory(
        actor=chase["fresh"], field="website", proposed_value="https://atelier.example.org"
    )
    CorrectionReport.objects.filter(pk=first.pk).update(created_at=ago(3))
    # Decided reports and another network's are not in the list.
    CorrectionReportFactory(actor=chase["stale"], proposed_value="x", rejected=True)
    CorrectionReportFactory(actor=chase["stale_old"], accepted=True)
    CorrectionReportFactory(actor=elsewhere, proposed_value="y")
    client.force_login(animator)

    response = client.get(dashboard_url(network, liste="signalements"))
    assert names_in(response) == ["Bricothèque due", "Atelier frais"]
    html = response.content.decode()
    assert "Téléphone" in html and "02 40 11 11 11" in html
    try:
        reports_url = reverse("directory:correction_report_list", kwargs={"slug": first.actor.slug})
    except Exception:  # the corrections feature is not installed: the actor page instead
        reports_url = first.actor.get_absolute_url()
    assert f'href="{reports_url}"' in html

    newest = client.get(dashboard_url(network, liste="signalements", sort="-date"))
    assert names_in(newest) == ["Atelier frais", "Bricothèque due"]
    websites = client.get(dashboard_url(network, liste="signalements", field="website"))
    assert names_in(websites) == ["Atelier frais"]
    text = client.get(dashboard_url(network, liste="signalements", q="atelier"))
    assert names_in(text) == ["Atelier frais"]
    assert second.pk

    monkeypatch.setattr(workspace_views, "PAGE_SIZE", 1)
    page2 = client.get(dashboard_url(network, liste="signalements", page=2))
    assert names_in(page2) == ["Atelier frais"]


def test_pending_list_filters_sorts_and_offers_the_publish_action(
    client, network, animator, nantes, reze, elsewhere
):
    older = make(network, nantes, "Zéro déchet", status=Status.PENDING)
    newer = make(network, reze, "Amap de Rezé", status=Status.PENDING)
    Actor.objects.filter(pk=older.pk).update(updated_at=ago(5))
    make(network, nantes, "Publiée")
    client.force_login(animator)

    response = client.get(dashboard_url(network, liste="attente"))
    assert names_in(response) == ["Zéro déchet", "Amap de Rezé"]
    publish = reverse("directory:actor_set_status", args=[newer.slug])
    assert f'action="{publish}"' in response.content.decode()
    by_name = client.get(dashboard_url(network, liste="attente", sort="nom"))
    assert names_in(by_name) == ["Amap de Rezé", "Zéro déchet"]
    in_reze = client.get(dashboard_url(network, liste="attente", commune=reze.pk))
    assert names_in(in_reze) == ["Amap de Rezé"]

    client.post(publish, {"status": Status.PUBLISHED})
    newer.refresh_from_db()
    assert newer.status == Status.PUBLISHED
    assert names_in(client.get(dashboard_url(network, liste="attente"))) == ["Zéro déchet"]


def test_recent_changes_list_filters_by_source_and_sorts_by_date(
    client, network, animator, chase, elsewhere
):
    from directory.services import history

    history.record(chase["due"], by=animator, source="edit", changes={"phone": ["1", "2"]})
    history.record(chase["stale"], by=None, source="confirmation")
    ActorChange.objects.filter(actor=chase["stale"]).update(at=ago(2))
    history.record(elsewhere, by=None, source="edit", changes={"phone": ["3", "4"]})
    client.force_login(animator)

    response = client.get(dashboard_url(network, liste="historique"))
    assert names_in(response) == ["Bricothèque due", "Cyclerie obsolète"]
    html = response.content.decode()
    assert "Téléphone</strong> : 1 → 2" in html
    oldest = client.get(dashboard_url(network, liste="historique", sort="date"))
    assert names_in(oldest) == ["Cyclerie obsolète", "Bricothèque due"]
    confirmations = client.get(dashboard_url(network, liste="historique", source="confirmation"))
    assert names_in(confirmations) == ["Cyclerie obsolète"]


# --- Trend chart ----------------------------------------------------------------------------


def test_chart_shows_an_empty_state_without_snapshots(client, network, animator):
    client.force_login(animator)
    html = client.get(dashboard_url(network)).content.decode()
    assert "Pas encore de relevé" in html and "<svg" not in html


def test_chart_uses_the_last_snapshot_of_each_of_the_last_12_months(client, network, animator):
    today = timezone.localdate()
    this_month = today.replace(day=1)

    def snap(day: date, fresh: int, due: int, stale: int):
        # On the 1st, the month's first and last snapshots are the same day's.
        FreshnessSnapshot.objects.update_or_create(
            network=network,
            day=day,
            defaults={"published": fresh + due + stale, "fresh": fresh, "due": due, "stale": stale},
        )

    snap(this_month, 1, 1, 1)
    snap(today, 30, 5, 2)  # the month's last one wins (may be the same day as the first)
    previous = this_month - DAY
    snap(previous.replace(day=1), 9, 9, 9)
    snap(previous, 20, 4, 6)
    snap(this_month.replace(year=this_month.year - 1), 99, 99, 99)  # 12 months ago: out

    months = dashboard.monthly_trend(network)
    assert len(months) == 12 and months[-1].month == this_month
    assert months[-1].snapshot.fresh == 30 and months[-2].snapshot.stale == 6
    assert all(m.snapshot is None for m in months[:-2])

    client.force_login(animator)
    html = client.get(dashboard_url(network)).content.decode()
    assert '<svg class="chart" viewBox="0 0 640 220"' in html and 'role="img"' in html
    assert '<title id="trend-svg-title">' in html and "<desc" in html
    # The figures, for screen readers, in a table.
    table = html.split('<table class="visually-hidden">', 1)[1].split("</table>", 1)[0]
    assert "<td>30</td><td>5</td><td>2</td>" in table.replace("\n", "").replace(" ", "")
    assert table.count("pas de relevé") == 10
    # Decimal points, not the French decimal comma, in SVG attributes.
    assert not re.search(r'(x|y|width|height)="\d+,\d', html)


def test_stacked_bars_geometry():
    class F:
        def __init__(self, fresh, due, stale):
            self.fresh, self.due, self.stale = fresh, due, stale

    chart = charts.stacked_bars(
        [(date(2025, 1, 1), F(30, 10, 0)), (date(2025, 2, 1), None)], charts.FRESHNESS_SERIES
    )
    full, empty = chart.bars
    assert empty.total is None and not empty.segments
    assert full.total == 40 and [s.key for s in full.segments] == ["fresh", "due"]
    fresh, due = full.segments
    # Stacked: the "due" segment sits on top of the "fresh" one, both within the plot.
    assert due.y + due.height == pytest.approx(fresh.y)
    assert fresh.y + fresh.height == pytest.approx(chart.bottom)
    assert chart.ticks[-1].value >= 40 and chart.ticks[0].value == 0
    assert (chart.width, chart.height) == (640, 220)
    assert charts.nice_step(7) == 10 and charts.nice_step(0.3) == 1 and charts.nice_step(12) == 20


def test_a_commune_outside_the_network_is_not_a_filter_choice(client, network, animator, chase):
    far = CommuneFactory(insee="13055", name="Marseille")
    client.force_login(animator)
    response = client.get(dashboard_url(network, commune=far.pk))
    assert len(names_in(response)) == 3  # ignored, as an invalid filter


def test_chart_months_read_unambiguously(client, network, animator):
    """June and July read "juin" and "juil.", never "Jui" and "Jul"."""
    today = timezone.localdate()
    FreshnessSnapshot.objects.create(network=network, day=today, published=1, fresh=1)
    client.force_login(animator)
    html = client.get(dashboard_url(network)).content.decode()
    labels = [part.split("</text>", 1)[0] for part in html.split('class="chart__label"')[1:]]
    labels = [label.rsplit(">", 1)[1] for label in labels]
    assert len(labels) == 12
    assert "juin" in labels and "juil." in labels
    assert not {"Jui", "Jul", "jui", "jul"} & set(labels)


def test_tabs_pages_and_decisions_bring_the_animator_back_to_the_lists(
    client, network, animator, nantes
):
    """Not to the top of the dashboard, 850 px above the list they changed."""
    pending = ActorFactory(network=network, commune=nantes, pending=True)
    client.force_login(animator)
    html = client.get(dashboard_url(network, liste="attente")).content.decode()

    assert 'id="listes"' in html
    assert all(f'href="?liste={name}#listes"' in html for name in LISTS)
    assert 'action="#listes"' in html  # the filters
    assert "?liste=attente#listes" in html  # where "Publier" comes back to
    response = client.post(
        reverse("directory:actor_set_status", args=[pending.slug]),
        {"status": "published", "next": dashboard_url(network, liste="attente") + "#listes"},
    )
    assert response["Location"].endswith("?liste=attente#listes")

    response = client.post(
        reverse("directory:workspace_policy", args=[network.slug]),
        {"due_after_months": 6, "grace_months": 1, "archive_after_months": ""},
    )
    assert response["Location"].endswith("#politique")
