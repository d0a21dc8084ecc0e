"""The animator's workspace: what a network's dashboard reads, and what it does in bulk.

Every read here is scoped to one network, found through
`directory.permissions.animated_networks(user)`: an animator of another network never reaches
it (the views answer 404). Every write checks the right again, as any service does.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from dateutil.relativedelta import relativedelta
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

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
from directory.permissions import can_animate
from directory.services import history
from directory.services.map import map_cells_move
from ess_platform.lib.text import normalize

POLICY_FIELDS = ("due_after_months", "grace_months", "archive_after_months")


def _matching_words(queryset: QuerySet, text: str, prefix: str = "") -> QuerySet:
    """Every word of `text` in the actor's normalised search text: accent- and
    case-insensitive on SQLite as on PostgreSQL ("reze" finds "Rezé")."""
    condition = Q()
    for word in normalize(text).split():
        condition &= Q(**{f"{prefix}search_text__contains": word})
    return queryset.filter(condition)


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
        actors = _matching_words(actors, text)
    return actors.order_by(*CHASE_SORTS.get(sort, CHASE_SORTS["confirmation"]))


def open_reports(
    network: Network, *, field: str = "", text: str = "", sort: str = "date"
) -> QuerySet[CorrectionReport]:
    reports = CorrectionReport.objects.open().filter(actor__network=network).select_related("actor")
    if field:
        reports = reports.filter(field=field)
    if text:
        reports = _matching_words(reports, text, prefix="actor__")
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
        actors = _matching_words(actors, text)
    return actors.order_by(*PENDING_SORTS.get(sort, PENDING_SORTS["date"]))


def recent_changes(
    network: Network, *, source: str = "", text: str = "", sort: str = "-date"
) -> QuerySet[ActorChange]:
    changes = ActorChange.objects.filter(actor__network=network).select_related("actor", "by")
    if source:
        changes = changes.filter(source=source)
    if text:
        changes = _matching_words(changes, text, prefix="actor__")
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


# --- Writes ---------------------------------------------------------------------------------


@transaction.atomic
def bulk_archive(*, network: Network, actor_ids: Iterable[int], by: AbstractBaseUser) -> int:
    """Archive the network's actors among `actor_ids` (never delete them): they leave the
    public directory and the map, and each keeps a history entry. Returns how many."""
    if not can_animate(by, network):
        raise PermissionDenied
    rows = list(
        Actor.objects.select_for_update()
        .in_network(network)
        .filter(pk__in=list(actor_ids))
        .exclude(status=Status.ARCHIVED)
        .order_by("pk")
        .values_list("pk", "status", "lat", "lon")
    )
    by_status: dict[str, list[tuple[int, float, float]]] = defaultdict(list)
    for pk, status, lat, lon in rows:
        by_status[status].append((pk, lat, lon))

    archived_label = Status.ARCHIVED.label
    total = 0
    for old_status, group in by_status.items():
        ids = [pk for pk, _lat, _lon in group]
        # Conditional: only rows still in the status read above move, and are recorded.
        moved = Actor.objects.filter(pk__in=ids, status=old_status).update(
            status=Status.ARCHIVED, updated_at=timezone.now()
        )
        if moved != len(ids):  # cannot happen under the row locks; fail loudly if it does
            raise ValidationError(_("Des fiches ont changé pendant l'archivage : réessayez."))
        if old_status == Status.PUBLISHED:
            for _pk, lat, lon in group:
                map_cells_move(old=(lat, lon), new=None)
        history.record_many(
            ids,
            by=by,
            source=ActorChange.Source.BULK,
            changes={"status": [str(Status(old_status).label), str(archived_label)]},
        )
        total += moved
    return total


def policy_placeholders() -> dict[str, int]:
    """The platform's defaults, shown where a network has not set its own value."""
    default = FreshnessPolicy.default()
    return {name: getattr(default, name) for name in POLICY_FIELDS}


@transaction.atomic
def network_update_policy(*, network: Network, by: AbstractBaseUser, data: dict) -> Network:
    """Set the network's own freshness delays; an empty value falls back to the default."""
    if not can_animate(by, network):
        raise PermissionDenied
    network = Network.objects.select_for_update().get(pk=network.pk)
    for name in POLICY_FIELDS:
        value = data.get(name)
        setattr(network, name, None if value in (None, "") else value)
    network.full_clean(
        exclude=[f.name for f in Network._meta.get_fields() if f.name not in POLICY_FIELDS]
    )
    check_policy(network)
    network.save(update_fields=list(POLICY_FIELDS))
    return network


def check_policy(network: Network) -> None:
    """A network's own delays must keep the order of the states: archiving is proposed only
    after the profile went stale. Raises ValidationError on `archive_after_months`."""
    policy = FreshnessPolicy.for_network(network)
    stale_after = policy.due_after_months + policy.grace_months
    if network.archive_after_months and network.archive_after_months <= stale_after:
        raise ValidationError(
            {
                "archive_after_months": _(
                    "L'archivage ne peut être proposé qu'après le passage en « possiblement "
                    "obsolète », soit plus de %(months)s mois sans confirmation."
                )
                % {"months": stale_after}
            }
        )


@transaction.atomic
def network_save(*, network: Network, by: AbstractBaseUser, communes=None, animators=None):
    """A platform admin creates or edits a network: its name, its territory (communes), its
    animators and its freshness policy. Actors already in the directory keep their network
    until their commune changes (services.actors.actor_update moves them)."""
    if not (by.is_authenticated and by.is_superuser):
        raise PermissionDenied
    network.full_clean(exclude=["communes", "animators"])
    check_policy(network)
    network.save()
    if communes is not None:
        network.communes.set(communes)
    if animators is not None:
        network.animators.set(animators)
    return network
