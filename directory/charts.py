"""A small stacked bar chart computed on the server and drawn as SVG by a template.

No chart library: the geometry below is all a dozen bars need, the page stays readable
without JavaScript, and the same figures go into a table for screen readers.
"""

import math
from dataclasses import dataclass, field
from datetime import date

from directory.models import Freshness


@dataclass(frozen=True)
class Series:
    key: str  # attribute read on each column's figures, and CSS modifier
    label: str


@dataclass(frozen=True)
class Segment:
    key: str
    label: str
    value: int
    y: float
    height: float


@dataclass(frozen=True)
class Bar:
    when: date
    x: float
    width: float
    label_x: float
    total: int | None  # None: no figures for this column
    segments: list[Segment] = field(default_factory=list)  # the non-zero ones, bottom up
    values: list[int] = field(default_factory=list)  # one per series, zeros included


@dataclass(frozen=True)
class Tick:
    value: int
    y: float


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int  # y of the baseline
    bars: list[Bar]
    ticks: list[Tick]
    series: list[Series]

    @property
    def is_empty(self) -> bool:
        return all(bar.total is None for bar in self.bars)


def nice_step(rough: float) -> int:
    """1, 2 or 5 times a power of ten, at least `rough` (and at least 1)."""
    if rough <= 1:
        return 1
    power = 10 ** math.floor(math.log10(rough))
    for factor in (1, 2, 5, 10):
        if factor * power >= rough:
            return int(factor * power)
    return int(10 * power)  # pragma: no cover - the loop always returns


def stacked_bars(
    columns: list[tuple[date, object | None]],
    series: list[Series],
    *,
    width: int = 640,
    height: int = 220,
    margin_left: int = 44,
    margin_right: int = 8,
    margin_top: int = 12,
    margin_bottom: int = 28,
    ticks: int = 4,
) -> BarChart:
    """One bar per column, its segments stacked from the first series (at the bottom) up.
    A column whose figures are None is left blank (no data that month)."""
    totals = [sum(getattr(figures, s.key) for s in series) for _when, figures in columns if figures]
    step = nice_step(max(totals, default=0) / ticks)
    top_value = step * max(1, math.ceil(max(totals, default=0) / step))
    baseline = height - margin_bottom
    plot_height = baseline - margin_top
    slot = (width - margin_left - margin_right) / max(len(columns), 1)
    bar_width = round(slot * 0.6, 2)

    def y_of(value: float) -> float:
        return round(baseline - plot_height * value / top_value, 2)

    bars = []
    for index, (when, figures) in enumerate(columns):
        x = round(margin_left + index * slot + (slot - bar_width) / 2, 2)
        segments, values, below = [], [], 0
        if figures is not None:
            for s in series:
                value = getattr(figures, s.key)
                values.append(value)
                if value:
                    segment_top = y_of(below + value)
                    size = round(y_of(below) - segment_top, 2)
                    segments.append(Segment(s.key, s.label, value, segment_top, size))
                below += value
        bars.append(
            Bar(
                when=when,
                x=x,
                width=bar_width,
                label_x=round(x + bar_width / 2, 2),
                total=below if figures is not None else None,
                segments=segments,
                values=values,
            )
        )
    return BarChart(
        width=width,
        height=height,
        left=margin_left,
        right=width - margin_right,
        top=margin_top,
        bottom=baseline,
        bars=bars,
        ticks=[Tick(value, y_of(value)) for value in range(0, top_value + 1, step)],
        series=series,
    )


FRESHNESS_SERIES = [
    Series(Freshness.FRESH.value, Freshness.FRESH.label),
    Series(Freshness.DUE.value, Freshness.DUE.label),
    Series(Freshness.STALE.value, Freshness.STALE.label),
]


def freshness_trend_chart(months) -> BarChart:
    """Published actors by freshness at the end of each month (directory.services.network's
    `monthly_trend`), from the daily pass's snapshots."""
    return stacked_bars([(m.month, m.snapshot) for m in months], FRESHNESS_SERIES)
