"""The animator finds on the dashboard the actors of the freshness digest, and archives some."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from directory.models import Actor, Freshness, FreshnessSnapshot, Status
from directory.services import freshness
from tests.factories import ActorFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _confirmed(months: float):
    return timezone.now() - timedelta(days=round(months * 30.5))


@pytest.fixture
def territory_to_chase(network, nantes, reze):
    """Under the network's own policy (due after 6 months, stale a month later), four
    published actors became stale since the last pass, two are due, two are fresh."""
    network.due_after_months, network.grace_months = 6, 1
    network.save(update_fields=["due_after_months", "grace_months"])

    def actor(name, months, commune=nantes):
        # Marked "fresh" as under the platform's 12-month default: the pass applies the
        # network's shorter policy.
        created = ActorFactory(
            network=network,
            commune=commune,
            name=name,
            last_confirmed_at=_confirmed(months),
            freshness=Freshness.FRESH,
        )
        MembershipFactory(actor=created, user=UserFactory(username=f"membre-{created.slug}"))
        return created

    stale = [
        actor("Ressourcerie des Dervallières", 9),
        actor("Garage solidaire de Rezé", 8, reze),
        actor("Café associatif du Breil", 10),
        actor("Jardin partagé de Chantenay", 11),
    ]
    due = [actor("Vélocistes coopératifs", 6.4), actor("Bricothèque de Pirmil", 6.6, reze)]
    fresh = [actor("Épicerie solidaire de Doulon", 1), actor("Repair café de l'Île", 2)]
    return {"stale": stale, "due": due, "fresh": fresh}


def _digest_names(network, animator) -> set[str]:
    (digest,) = [m for m in mail.outbox if animator.email in m.to]
    assert network.name in digest.subject
    return set(re.findall(r"^- (.+?)(?: \([^)]*\))? · ", digest.body, flags=re.MULTILINE))


def _list_names(page) -> set[str]:
    rows = page.locator("#workspace-list tbody tr")
    return {rows.nth(i).get_by_role("link").first.inner_text() for i in range(rows.count())}


def test_animator_sees_the_digests_actors_and_archives_two(
    page, live_server, network, animator, other_network, territory_to_chase, log_in
):
    mail.outbox.clear()
    freshness.run_freshness_pass()

    digest_names = _digest_names(network, animator)
    assert digest_names == {a.name for a in territory_to_chase["stale"]}

    log_in(page, animator)
    page.get_by_role("navigation", name="Menu principal").get_by_role(
        "link", name="Tableau de bord"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(network.name)

    # The numbers at a glance and the month's snapshot written by the pass.
    expect(page.locator('[data-figure="freshness-stale"]')).to_have_text("4")
    expect(page.locator("svg.chart")).to_be_visible()

    # Only the possibly outdated ones: exactly the digest's actors.
    page.get_by_label("Fraîcheur", exact=True).select_option("stale")
    page.get_by_role("button", name="Appliquer").click()
    expect(page.locator("#workspace-list tbody tr")).to_have_count(4)
    assert _list_names(page) == digest_names
    # None had a reminder sent (they went straight from fresh to stale under the policy).
    expect(page.locator("[data-last-reminder]").first).to_have_text("jamais relancée")

    # "Tick all" (JavaScript, under the site's CSP) then untick all but two.
    select_all = page.get_by_label("Tout cocher sur cette page")
    select_all.check()
    expect(page.locator("input[name=actors]:checked")).to_have_count(4)
    select_all.uncheck()
    chosen = sorted(digest_names)[:2]
    for name in chosen:
        page.get_by_label(f"Cocher {name}").check()
    expect(page.locator("[data-selected-count]")).to_have_text("2 structures cochées")
    page.get_by_label("Action", exact=True).select_option(label="Archiver")
    page.get_by_role("button", name="Continuer").click()

    # The confirmation page says what will happen, to whom; nothing is done yet.
    expect(page.get_by_role("heading", level=1)).to_contain_text("confirmation")
    expect(page.locator("main")).to_contain_text("2 fiches vont être archivées")
    confirm_table = page.get_by_role("table", name="Structures concernées")
    for name in chosen:
        expect(confirm_table).to_contain_text(name)
    assert not Actor.objects.filter(status=Status.ARCHIVED).exists()
    page.get_by_role("button", name=re.compile("Archiver : confirmer pour 2 structures")).click()

    expect(page.locator(".notice--success")).to_contain_text("2 fiches archivées")
    # Back on the same filtered list, without the archived two.
    expect(page.locator("#workspace-list tbody tr")).to_have_count(2)
    assert _list_names(page) == digest_names - set(chosen)
    assert set(Actor.objects.filter(status=Status.ARCHIVED).values_list("name", flat=True)) == set(
        chosen
    )


def test_another_networks_animator_gets_404(page, live_server, network, other_animator, log_in):
    log_in(page, other_animator)
    response = page.goto(f"{live_server.url}/animation/reseaux/{network.slug}/")
    assert response.status == 404


@pytest.mark.browser_context_args(bypass_csp=True)
def test_dashboard_is_accessible(
    page, live_server, network, animator, territory_to_chase, log_in, axe_check
):
    today = timezone.localdate()
    for months_ago, stale in enumerate([4, 3, 1]):
        day = (today.replace(day=1) - timedelta(days=1 + 31 * months_ago)).replace(day=28)
        FreshnessSnapshot.objects.create(
            network=network, day=day, published=8, fresh=8 - stale, due=0, stale=stale
        )
    log_in(page, animator, next_path=f"/animation/reseaux/{network.slug}/")
    expect(page.locator("svg.chart")).to_be_visible()
    axe_check(page)
    for liste in ("signalements", "attente", "historique"):
        page.goto(f"{live_server.url}/animation/reseaux/{network.slug}/?liste={liste}")
        axe_check(page)
