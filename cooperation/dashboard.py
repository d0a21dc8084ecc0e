"""What the animators' impact dashboard reads: a network's confirmed cooperations per month
(the last twelve), per filière and per nature, and the rows of its CSV.

A cooperation belongs to the network when either side does (CooperationQuerySet.in_network):
one row per cooperation, so one between two structures of the network counts once.
Every figure is a grouped query (three in all); the CSV reads its rows in chunks, with the
evaluations and filières of a chunk fetched once per chunk.
"""

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cooperation.models import Cooperation, Evaluation, Listing, Nature
from directory.charts import BarChart, Series, stacked_bars
from directory.models import Network, Sector
from ess_platform.lib.exports import csv_stream

MONTHS = 12
CSV_CHUNK = 500
CHART_SERIES = [Series("cooperations", gettext_lazy("Coopérations confirmées"))]


@dataclass(frozen=True)
class Tally:
    key: str
    label: str
    count: int


@dataclass(frozen=True)
class MonthCount:
    month: date  # first day of the month
    cooperations: int  # the attribute the chart's series reads


@dataclass(frozen=True)
class CooperationFigures:
    total: int  # every confirmed cooperation of the network, at any date
    last_year: int  # those of the months shown
    months: list[MonthCount]  # oldest first
    by_filiere: list[Tally]  # most first
    by_nature: list[Tally]  # most first

    @property
    def chart(self) -> BarChart:
        return stacked_bars([(m.month, m) for m in self.months], CHART_SERIES)


def network_cooperations(network: Network) -> QuerySet[Cooperation]:
    """The network's confirmed cooperations: the evidence of its impact."""
    return Cooperation.objects.confirmed().in_network(network)


def confirmed_count(network: Network) -> int:
    return network_cooperations(network).count()


def _first_month(as_of: date) -> date:
    return as_of.replace(day=1) - relativedelta(months=MONTHS - 1)


def cooperation_figures(network: Network, *, as_of: date | None = None) -> CooperationFigures:
    """The figures of the dashboard: per month over the last twelve months, per filière and
    per nature over the same months (the chart and the tables tell the same story)."""
    today = as_of or timezone.localdate()
    first = _first_month(today)
    cooperations = network_cooperations(network)
    recent = cooperations.happened_between(first, today)
    per_month = recent.count_by_month()
    months = [
        MonthCount(month=month, cooperations=per_month.get(month, 0))
        for month in (first + relativedelta(months=n) for n in range(MONTHS))
    ]
    per_filiere = recent.count_by_filiere()
    names = {
        sector.pk: sector.label
        for sector in Sector.objects.filter(pk__in=[k for k in per_filiere if k])
    }
    by_filiere = [
        Tally(str(key or ""), names.get(key) or _("Sans filière"), count)
        for key, count in per_filiere.items()
    ]
    natures = dict(Nature.choices)
    by_nature = [
        Tally(key, str(natures.get(key, key)), count)
        for key, count in recent.count_by_nature().items()
    ]
    return CooperationFigures(
        total=cooperations.count(),
        last_year=sum(m.cooperations for m in months),
        months=months,
        by_filiere=sorted(by_filiere, key=lambda c: (-c.count, c.label.lower())),
        by_nature=sorted(by_nature, key=lambda c: (-c.count, c.label.lower())),
    )


# --- The CSV --------------------------------------------------------------------------------


def csv_header() -> list[str]:
    header = [
        _("Date"),
        _("Structure"),
        _("Partenaire"),
        _("Nature"),
        _("Offre ou besoin"),
        _("Annonce"),
        _("Filières"),
        _("Confirmée le"),
    ]
    for side in (_("structure"), _("partenaire")):
        header += [
            _("Apport (%(side)s)") % {"side": side},
            _("À refaire (%(side)s)") % {"side": side},
            _("Quantité (%(side)s)") % {"side": side},
            _("Valeur en € (%(side)s)") % {"side": side},
            _("Heures (%(side)s)") % {"side": side},
            _("ETP (%(side)s)") % {"side": side},
        ]
    return header


def _evaluation_cells(evaluation: Evaluation | None) -> list:
    if evaluation is None:
        return ["", "", "", None, None, None]
    again = {True: _("oui"), False: _("non"), None: ""}[evaluation.would_do_again]
    return [
        evaluation.brought,
        again,
        evaluation.quantity,
        evaluation.value_eur,
        evaluation.hours,
        evaluation.jobs,
    ]


def _filieres_of(listing_ids: list[int]) -> dict[int, list[str]]:
    through = Listing.sectors.through.objects.filter(listing_id__in=listing_ids).select_related(
        "sector__parent"
    )
    filieres: dict[int, list[str]] = defaultdict(list)
    for row in through:
        label = row.sector.filiere.label
        if label not in filieres[row.listing_id]:
            filieres[row.listing_id].append(label)
    return filieres


def csv_rows(network: Network) -> Iterator[list]:
    """Every confirmed cooperation of the network, newest first, with both evaluations:
    three queries per chunk of CSV_CHUNK rows."""
    natures = dict(Nature.choices)
    cooperations = network_cooperations(network).with_sides().order_by("-happened_on", "-pk")
    chunk: list[Cooperation] = []

    def rows_of(chunk: list[Cooperation]) -> Iterator[list]:
        evaluations = {
            (e.cooperation_id, e.actor_id): e
            for e in Evaluation.objects.filter(cooperation__in=[c.pk for c in chunk])
        }
        filieres = _filieres_of([c.listing_id for c in chunk])
        for c in chunk:
            yield [
                c.happened_on.isoformat(),
                c.owner.name,
                c.partner.name,
                str(natures.get(c.nature, c.nature)),
                c.listing.get_kind_display(),
                c.listing.title,
                ", ".join(filieres.get(c.listing_id, [])),
                timezone.localtime(c.confirmed_at).date().isoformat() if c.confirmed_at else "",
                *_evaluation_cells(evaluations.get((c.pk, c.owner_id))),
                *_evaluation_cells(evaluations.get((c.pk, c.partner_id))),
            ]

    for cooperation in cooperations.iterator(chunk_size=CSV_CHUNK):
        chunk.append(cooperation)
        if len(chunk) == CSV_CHUNK:
            yield from rows_of(chunk)
            chunk = []
    if chunk:
        yield from rows_of(chunk)


def network_csv(network: Network) -> Iterator[str]:
    """The CSV in pieces (text cells neutralised against formulas by csv_stream)."""
    return csv_stream(csv_header(), csv_rows(network))
