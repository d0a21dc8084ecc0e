"""The animator's workspace: scoping, numbers, lists, bulk actions, trend chart, policy."""

import re
from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.db.models import Sum
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
    MapCell,
    Network,
    Status,
)
from directory.services import history
from directory.services import network as workspace
from directory.views import network as workspace_views
from tests.factories import (
    ActorFactory,
    CommuneFactory,
    CorrectionReportFactory,
    MembershipFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

DAY = timedelta(days=1)


def dashboard_url(network, **query) -> str:
    url = reverse("directory:workspace_dashboard", kwargs={"network_slug": network.slug})
    if query:
        url += "?" + "&".join(f"{key}={value}" for key, value in query.items())
    return url


def bulk_url(network) -> str:
    return reverse("directory:workspace_bulk_action", kwargs={"network_slug": network.slug})


def policy_url(network) -> str:
    return reverse("directory:workspace_policy", kwargs={"network_slug": network.slug})


def ago(days: int):
    return timezone.now() - timedelta(days=days)


def make(network, commune, name, *, days=0, freshness=None, **kwargs):
    """An actor confirmed `days` ago, marked as the daily pass would."""
    actor = ActorFactory(
        network=network, commune=commune, name=name, last_confirmed_at=ago(days), **kwargs
    )
    if freshness is not None:
        Actor.objects.filter(pk=actor.pk).update(freshness=freshness)
        actor.freshness = freshness
    return actor


def names_in(response) -> list[str]:
    """The structures of the list shown, in order (rows carry data-actor or a name link)."""
    html = response.content.decode()
    table = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0] if "<tbody>" in html else ""
    return re.findall(r'<a href="/acteurs/[^"]+/">([^<]+)</a>', table)


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


# --- Scoping --------------------------------------------------------------------------------

LISTS = ["relances", "signalements", "attente", "historique"]


@pytest.mark.parametrize("liste", LISTS)
def test_other_networks_animator_and_members_get_404_on_every_list(
    client, network, animator, other_animator, member, liste
):
    url = dashboard_url(network, liste=liste)
    for intruder in (other_animator, member):
        client.force_login(intruder)
        assert client.get(url).status_code == 404
    client.force_login(animator)
    assert client.get(url).status_code == 200


def test_anonymous_is_sent_to_sign_in_on_pages_and_actions(client, network, chase):
    for method, url in [
        ("get", dashboard_url(network)),
        ("post", bulk_url(network)),
        ("post", policy_url(network)),
    ]:
        response = getattr(client, method)(url, {})
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


def test_other_networks_animator_gets_404_on_actions_and_changes_nothing(
    client, network, other_animator, member, chase
):
    target = chase["stale"]
    for intruder in (other_animator, member):
        client.force_login(intruder)
        for confirm in ("", "True"):
            response = client.post(
                bulk_url(network),
                {"action": "archiver", "actors": [target.pk], "confirm": confirm},
            )
            assert response.status_code == 404
        response = client.post(policy_url(network), {"policy-due_after_months": "6"})
        assert response.status_code == 404
    target.refresh_from_db()
    network.refresh_from_db()
    assert target.status == Status.PUBLISHED and network.due_after_months is None
    assert not ActorChange.objects.filter(source=ActorChange.Source.BULK).exists()


def test_animator_cannot_act_on_another_networks_actors_from_their_own(
    client, network, animator, elsewhere
):
    client.force_login(animator)
    response = client.post(
        bulk_url(network),
        {"action": "archiver", "actors": [elsewhere.pk], "confirm": "True"},
    )
    assert response.status_code == 302
    elsewhere.refresh_from_db()
    assert elsewhere.status == Status.PUBLISHED
    with pytest.raises(PermissionDenied):
        workspace.bulk_archive(network=elsewhere.network, actor_ids=[elsewhere.pk], by=animator)
    # Through its own network, another network's actor is simply not among the candidates.
    assert workspace.bulk_archive(network=network, actor_ids=[elsewhere.pk], by=animator) == 0


def test_superuser_opens_any_network(client, other_network):
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    assert client.get(dashboard_url(other_network)).status_code == 200


@pytest.fixture
def pending_in_lyon(other_network):
    """A profile awaiting publication in a network nobody below animates by name."""
    lyon = other_network.communes.get()
    ActorFactory(network=other_network, commune=lyon, name="Publiée à Lyon")
    return ActorFactory(
        network=other_network, commune=lyon, name="Ressourcerie lyonnaise", pending=True
    )


def test_superuser_sees_a_pending_actor_in_every_animator_queue(
    client, other_network, pending_in_lyon
):
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    # Through the real sign-in form: a superuser gets in without a second factor.
    signed_in = client.post(
        reverse("account_login"), {"login": root.email, "password": "motdepasse-solide-42"}
    )
    assert signed_in.status_code == 302
    publish = reverse("directory:actor_set_status", args=[pending_in_lyon.slug])

    review = client.get(reverse("directory:review_list"))
    assert review.status_code == 200
    assert names_in(review) == ["Ressourcerie lyonnaise"]
    assert f'action="{publish}"' in review.content.decode()
    assert dashboard_url(other_network) in review.content.decode()

    waiting = client.get(dashboard_url(other_network, liste="attente"))
    assert waiting.status_code == 200
    assert names_in(waiting) == ["Ressourcerie lyonnaise"]
    assert f'action="{publish}"' in waiting.content.decode()


def test_an_animator_does_not_see_another_networks_pending_actor_in_the_review_list(
    client, network, nantes, animator, pending_in_lyon
):
    own = ActorFactory(network=network, commune=nantes, name="Zéro déchet nantais", pending=True)
    client.force_login(animator)

    review = client.get(reverse("directory:review_list"))

    assert review.status_code == 200
    assert names_in(review) == [own.name]
    html = review.content.decode()
    assert pending_in_lyon.name not in html and pending_in_lyon.slug not in html


def test_nav_leads_an_animator_to_the_dashboard(client, network, animator, member):
    client.force_login(animator)
    html = client.get(reverse("directory:my_actors")).content.decode()
    assert f'href="{dashboard_url(network)}">Tableau de bord' in html
    review = client.get(reverse("directory:review_list")).content.decode()
    assert dashboard_url(network) in review

    client.force_login(member)
    assert "Tableau de bord" not in client.get(reverse("directory:my_actors")).content.decode()


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


# --- Bulk actions ---------------------------------------------------------------------------


def _map_total() -> int:
    return MapCell.objects.filter(zoom=0).aggregate(total=Sum("count"))["total"] or 0


def test_bulk_archive_updates_status_map_cells_and_history(network, animator, chase, nantes):
    pending = make(network, nantes, "En attente", status=Status.PENDING)
    archived = make(network, nantes, "Déjà archivée", status=Status.ARCHIVED)
    published_before = _map_total()
    ids = [chase["due"].pk, chase["stale"].pk, pending.pk, archived.pk]

    count = workspace.bulk_archive(network=network, actor_ids=ids, by=animator)

    assert count == 3
    statuses = dict(Actor.objects.filter(pk__in=ids).values_list("pk", "status"))
    assert set(statuses.values()) == {Status.ARCHIVED}
    assert _map_total() == published_before - 2
    # The published map cells still match the published actors exactly.
    assert _map_total() == Actor.objects.published().count()
    changes = ActorChange.objects.filter(source=ActorChange.Source.BULK)
    assert {(c.actor_id, tuple(c.changes["status"]), c.by_id) for c in changes} == {
        (chase["due"].pk, ("Publié", "Archivé"), animator.pk),
        (chase["stale"].pk, ("Publié", "Archivé"), animator.pk),
        (pending.pk, ("En attente de validation", "Archivé"), animator.pk),
    }
    # Twice is harmless: nothing left to archive, no new history.
    assert workspace.bulk_archive(network=network, actor_ids=ids, by=animator) == 0
    assert changes.count() == 3


def test_bulk_archive_needs_the_confirmation_step(client, network, animator, chase):
    targets = [chase["stale"], chase["stale_old"]]
    client.force_login(animator)
    back = "liste=relances&freshness=stale&evil=1"

    response = client.post(
        bulk_url(network),
        {"action": "archiver", "actors": [a.pk for a in targets], "back": back},
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "2 fiches vont être archivées" in html
    assert all(a.name in html for a in targets) and chase["due"].name not in html
    assert 'name="confirm" value="True"' in html
    assert 'name="back" value="liste=relances&amp;freshness=stale"' in html  # not "evil"
    assert Actor.objects.filter(status=Status.ARCHIVED).count() == 0

    response = client.post(
        bulk_url(network),
        {
            "action": "archiver",
            "actors": [a.pk for a in targets],
            "back": "liste=relances&freshness=stale",
            "confirm": "True",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == dashboard_url(network, liste="relances", freshness="stale")
    assert set(Actor.objects.filter(status=Status.ARCHIVED)) == set(targets)
    page = client.get(response["Location"])
    assert "2 fiches archivées" in page.content.decode()
    assert names_in(page) == []


def test_bulk_action_without_selection_or_action_is_refused_with_a_message(
    client, network, animator, chase
):
    client.force_login(animator)
    response = client.post(bulk_url(network), {"action": "archiver"}, follow=True)
    assert "Cochez au moins une structure." in response.content.decode()
    response = client.post(bulk_url(network), {"actors": [chase["due"].pk]}, follow=True)
    assert "Choisissez une action." in response.content.decode()
    assert not Actor.objects.filter(status=Status.ARCHIVED).exists()


def test_bulk_remind_sends_the_reminders_once_a_day(
    client, network, animator, chase, django_capture_on_commit_callbacks
):
    due, stale = chase["due"], chase["stale"]
    for actor in (due, stale):
        MembershipFactory(actor=actor, user=UserFactory(username=f"membre-{actor.pk}"))
    client.force_login(animator)
    data = {"action": "relancer", "actors": [due.pk, stale.pk]}

    confirm = client.post(bulk_url(network), data)
    assert confirm.status_code == 200
    assert "Les membres de 2 structures vont recevoir" in confirm.content.decode()
    assert not FreshnessNotice.objects.exists() and not mail.outbox

    # The e-mails leave once the notices are committed (here: when the callbacks run).
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(bulk_url(network), {**data, "confirm": "True"}, follow=True)
    assert "2 structures relancées" in response.content.decode()
    notices = FreshnessNotice.objects.filter(kind=FreshnessNotice.Kind.MANUAL_REMINDER)
    assert set(notices.values_list("actor_id", flat=True)) == {due.pk, stale.pk}
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [f"membre-{due.pk}@example.org", f"membre-{stale.pk}@example.org"]
    )

    # The same day again: nothing new.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(bulk_url(network), {**data, "confirm": "True"}, follow=True)
    html = response.content.decode()
    assert "2 structures n&#x27;ont pas été relancées" in html
    assert "structures relancées" not in html
    assert notices.count() == 2 and len(mail.outbox) == 2
    # Shown as the last reminder in the list.
    html = client.get(dashboard_url(network)).content.decode()
    cells = re.findall(r"data-last-reminder>([^<]*)<", html)
    assert sorted(cells)[-1] == "jamais relancée"  # "Dépôt ancien"
    assert cells.count("jamais relancée") == 1


# --- Trend chart ----------------------------------------------------------------------------


def test_chart_shows_an_empty_state_without_snapshots(client, network, animator):
    client.force_login(animator)
    html = client.get(dashboard_url(network)).content.decode()
    assert "Pas encore de relevé" in html and "<svg" not in html


def test_chart_uses_the_last_snapshot_of_each_of_the_last_12_months(client, network, animator):
    today = timezone.localdate()
    this_month = today.replace(day=1)

    def snap(day: date, fresh: int, due: int, stale: int):
        FreshnessSnapshot.objects.create(
            network=network,
            day=day,
            published=fresh + due + stale,
            fresh=fresh,
            due=due,
            stale=stale,
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


# --- Freshness policy -----------------------------------------------------------------------


def test_policy_form_shows_defaults_and_saves(client, network, animator, settings):
    settings.FRESHNESS_DUE_AFTER_MONTHS = 12
    client.force_login(animator)
    html = client.get(dashboard_url(network)).content.decode()
    assert 'name="policy-due_after_months"' in html and 'placeholder="12"' in html

    response = client.post(
        policy_url(network),
        {
            "policy-due_after_months": "6",
            "policy-grace_months": "",
            "policy-archive_after_months": "18",
        },
    )
    assert response.status_code == 302
    network.refresh_from_db()
    assert (network.due_after_months, network.grace_months, network.archive_after_months) == (
        6,
        None,
        18,
    )
    assert network.freshness_policy().due_after_months == 6


def test_policy_form_redisplays_errors_and_saves_nothing(client, network, animator):
    client.force_login(animator)
    response = client.post(
        policy_url(network),
        {
            "policy-due_after_months": "12",
            "policy-grace_months": "2",
            "policy-archive_after_months": "13",
        },
    )
    assert response.status_code == 200
    assert "plus de 14 mois sans confirmation" in response.content.decode()
    response = client.post(policy_url(network), {"policy-due_after_months": "0"})
    assert response.status_code == 200 and "errorlist" in response.content.decode()
    network.refresh_from_db()
    assert network.due_after_months is None and network.archive_after_months is None


def test_policy_service_checks_the_right(network, other_animator, member):
    for intruder in (other_animator, member):
        with pytest.raises(PermissionDenied):
            workspace.network_update_policy(
                network=network, by=intruder, data={"due_after_months": 3}
            )
    assert Network.objects.get(pk=network.pk).due_after_months is None


def test_policy_service_validates_ranges(network, animator):
    with pytest.raises(ValidationError) as error:
        workspace.network_update_policy(network=network, by=animator, data={"grace_months": 99})
    assert "grace_months" in error.value.error_dict


def test_a_commune_outside_the_network_is_not_a_filter_choice(client, network, animator, chase):
    far = CommuneFactory(insee="13055", name="Marseille")
    client.force_login(animator)
    response = client.get(dashboard_url(network, commune=far.pk))
    assert len(names_in(response)) == 3  # ignored, as an invalid filter
