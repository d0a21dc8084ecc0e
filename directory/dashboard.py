"""What the animator's dashboard reads: a network's numbers at a glance, their trend, and
the lists the animator works through (to chase, reports, awaiting review, recent changes).

Every read is scoped to one network, found through
`directory.permissions.animated_networks(user)`: an animator of another network never
reaches it (the views answer 404). The writes are in directory/services/network.py.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from dateutil.relativedelta import relativedelta
from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from directory.models import (
    Actor,
    ActorChange,
    CorrectionReport,
    Freshness,
    FreshnessNotice,
    FreshnessPolicy,
    FreshnessSnapshot,
    Network,
    Status,
)
from directory.services import history
from directory.services.network import POLICY_FIELDS
from ess_platform.lib.text import every_word

# --- Numbers at a glance --------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    value: str
    label: str
    count: int


@dataclass(frozen=True)
class NetworkFigures:
    by_status: list[Figure]
    by_freshness: list[Figure]  # published actors only
    published: int
    confirmed_last_year: int  # published actors confirmed in the last 12 months

    @property
    def total(self) -> int:
        return sum(figure.count for figure in self.by_status)

    @property
    def share_confirmed(self) -> int | None:
        """Percentage of published actors confirmed in the last 12 months (None: none)."""
        if not self.published:
            return None
        return round(100 * self.confirmed_last_year / self.published)


def network_figures(network: Network, *, as_of: datetime | None = None) -> NetworkFigures:
    """The network's actors by status and freshness, in one grouped query."""
    as_of = as_of or timezone.now()
    year_ago = as_of - relativedelta(months=12)
    rows = (
        Actor.objects.in_network(network)
        .order_by()
        .values("status", "freshness")
        .annotate(
            count=Count("pk"),
            recent=Count("pk", filter=Q(last_confirmed_at__gte=year_ago)),
        )
    )
    by_status: dict[str, int] = defaultdict(int)
    by_freshness: dict[str, int] = defaultdict(int)
    confirmed = 0
    for row in rows:
        by_status[row["status"]] += row["count"]
        if row["status"] == Status.PUBLISHED:
            by_freshness[row["freshness"]] += row["count"]
            confirmed += row["recent"]
    return NetworkFigures(
        by_status=[Figure(s.value, s.label, by_status[s.value]) for s in Status],
        by_freshness=[Figure(f.value, f.label, by_freshness[f.value]) for f in Freshness],
        published=by_status[Status.PUBLISHED],
        confirmed_last_year=confirmed,
    )


@dataclass(frozen=True)
class MonthFigures:
    month: date  # first day of the month
    snapshot: FreshnessSnapshot | None  # the month's last snapshot, if the pass ran


def monthly_trend(
    network: Network, *, months: int = 12, as_of: date | None = None
) -> list[MonthFigures]:
    """The last `months` months, oldest first, each with its last daily snapshot."""
    today = as_of or timezone.localdate()
    first = today.replace(day=1) - relativedelta(months=months - 1)
    last_of_month: dict[date, FreshnessSnapshot] = {}
    # At most one row a day: a year of them is small, and ordered by day the last one of
    # each month wins.
    for snapshot in FreshnessSnapshot.objects.filter(
        network=network, day__gte=first, day__lte=today
    ).order_by("day"):
        last_of_month[snapshot.day.replace(day=1)] = snapshot
    return [
        MonthFigures(month=month, snapshot=last_of_month.get(month))
        for month in (first + relativedelta(months=n) for n in range(months))
    ]


# --- The lists ------------------------------------------------------------------------------

CHASE_SORTS = {
    "confirmation": (F("last_confirmed_at").asc(nulls_first=True), "name"),
    "-confirmation": (F("last_confirmed_at").desc(nulls_last=True), "name"),
    "relance": (F("last_reminder_at").asc(nulls_first=True), "name"),
    "-relance": (F("last_reminder_at").desc(nulls_last=True), "name"),
    "nom": ("name", "pk"),
    "-nom": ("-name", "-pk"),
}
REPORT_SORTS = {
    "date": ("created_at", "pk"),
    "-date": ("-created_at", "-pk"),
    "structure": ("actor__name", "created_at"),
}
PENDING_SORTS = {
    "date": ("updated_at", "pk"),
    "-date": ("-updated_at", "-pk"),
    "nom": ("name", "pk"),
}
CHANGE_SORTS = {
    "-date": ("-at", "-pk"),
    "date": ("at", "pk"),
    "structure": ("actor__name", "-at", "-pk"),
}


def actors_to_chase(
    network: Network,
    *,
    freshness: str = "",
    commune=None,
    text: str = "",
    sort: str = "confirmation",
) -> QuerySet[Actor]:
    """Published actors due for confirmation or possibly outdated, with the date of the last
    reminder their members got (`last_reminder_at`, None if never)."""
    last_reminder = (
        FreshnessNotice.objects.filter(
            actor=OuterRef("pk"),
            kind__in=FreshnessNotice.MEMBER_KINDS,
            sent_at__isnull=False,
            last_error="",  # refused by the mail server: nobody was reminded
        )
        .order_by("-sent_at")
        .values("sent_at")[:1]
    )
    states = [freshness] if freshness else [Freshness.DUE, Freshness.STALE]
    actors = (
        Actor.objects.in_network(network)
        .published()
        .filter(freshness__in=states)
        .annotate(last_reminder_at=Subquery(last_reminder))
        .select_related("commune")
        .defer("description", "offer", "added_value", "search_text", "opening_hours")
    )
    if commune is not None:
        actors = actors.filter(commune=commune)
    if text:
        actors = actors.filter(every_word("search_text", text))
    return actors.order_by(*CHASE_SORTS.get(sort, CHASE_SORTS["confirmation"]))


def open_reports(
    network: Network, *, field: str = "", text: str = "", sort: str = "date"
) -> QuerySet[CorrectionReport]:
    reports = CorrectionReport.objects.open().filter(actor__network=network).select_related("actor")
    if field:
        reports = reports.filter(field=field)
    if text:
        reports = reports.filter(every_word("actor__search_text", text))
    return reports.order_by(*REPORT_SORTS.get(sort, REPORT_SORTS["date"]))


def reported_fields(network: Network) -> list[tuple[str, str]]:
    """The fields named by the network's open reports, as (name, label) choices."""
    names = (
        CorrectionReport.objects.open()
        .filter(actor__network=network)
        .order_by()
        .values_list("field", flat=True)
        .distinct()
    )
    return sorted(((name, history.field_label(name)) for name in names), key=lambda c: c[1].lower())


def actors_awaiting_review(
    network: Network, *, commune=None, text: str = "", sort: str = "date"
) -> QuerySet[Actor]:
    actors = Actor.objects.in_network(network).awaiting_review()
    if commune is not None:
        actors = actors.filter(commune=commune)
    if text:
        actors = actors.filter(every_word("search_text", text))
    return actors.order_by(*PENDING_SORTS.get(sort, PENDING_SORTS["date"]))


def recent_changes(
    network: Network, *, source: str = "", text: str = "", sort: str = "-date"
) -> QuerySet[ActorChange]:
    changes = ActorChange.objects.filter(actor__network=network).select_related("actor", "by")
    if source:
        changes = changes.filter(source=source)
    if text:
        changes = changes.filter(every_word("actor__search_text", text))
    return changes.order_by(*CHANGE_SORTS.get(sort, CHANGE_SORTS["-date"]))


def open_counts(network: Network) -> dict[str, int]:
    """How many rows each working list has, for the tabs."""
    return {
        "chase": Actor.objects.in_network(network)
        .published()
        .filter(freshness__in=[Freshness.DUE, Freshness.STALE])
        .count(),
        "reports": CorrectionReport.objects.open().filter(actor__network=network).count(),
        "pending": Actor.objects.in_network(network).filter(status=Status.PENDING).count(),
    }


def policy_placeholders() -> dict[str, int]:
    """The platform's defaults, shown where a network has not set its own value."""
    default = FreshnessPolicy.default()
    return {name: getattr(default, name) for name in POLICY_FIELDS}
