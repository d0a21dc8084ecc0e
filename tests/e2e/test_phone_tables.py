"""On a phone (390 px wide), the animator's and the members' working tables are read
without scrolling sideways: each row becomes a card of labelled lines."""

import pytest
from django.urls import reverse
from django.utils import timezone

from directory.models import Freshness, FreshnessSnapshot
from directory.services import actors as services
from tests.factories import ActorFactory, CorrectionReportFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}
LONG_NAME = "Association intercommunale pour la réparation et le réemploi solidaires"


@pytest.fixture
def busy_network(network, nantes, animator):
    """A network with something in every list, with the long names and addresses real
    structures have."""
    member = UserFactory(username="responsable-avec-une-adresse-tres-longue-pour-un-ecran")
    stale = ActorFactory(network=network, commune=nantes, name=LONG_NAME, freshness=Freshness.STALE)
    MembershipFactory(actor=stale, user=member)
    pending = ActorFactory(network=network, commune=nantes, name=f"{LONG_NAME} 2", pending=True)
    MembershipFactory(actor=pending, user=member)
    CorrectionReportFactory(actor=stale)
    # The trend chart and its table of figures for screen readers (hidden, never wider).
    FreshnessSnapshot.objects.create(
        network=network, day=timezone.localdate(), published=2, fresh=1, stale=1
    )
    CorrectionReportFactory(actor=stale, rejected=True)  # the table of decided reports
    # By the animator: a member's edit would confirm the profile and take it off the chase list.
    services.actor_update(actor=stale, by=animator, data={"phone": "02 40 11 22 33"})
    return stale


def overflows(page) -> int:
    return page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


def test_working_tables_fit_a_phone(page, live_server, log_in, animator, network, busy_network):
    page.set_viewport_size(PHONE)
    log_in(page, animator)
    dashboard = reverse("directory:workspace_dashboard", args=[network.slug])
    slug = busy_network.slug
    for path in [
        *(f"{dashboard}?liste={name}" for name in ("relances", "signalements", "attente")),
        f"{dashboard}?liste=historique",
        reverse("directory:review_list"),
        reverse("directory:correction_report_list", args=[slug]),
        reverse("directory:actor_history", args=[slug]),
    ]:
        page.goto(live_server.url + path)
        assert page.locator("table.data").count(), path
        assert overflows(page) <= 0, f"{path} scrolls sideways by {overflows(page)} px"
        # The column's heading reads before each value.
        label = page.locator("table.data td[data-label]").first
        assert label.evaluate("td => getComputedStyle(td, '::before').content") != "none"
