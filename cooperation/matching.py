"""Matching that explains itself: for a need, the offers and the structures that could answer
it; for an offer, the needs and the structures that could use it; best first, each with its
reasons in French ("même filière : Réemploi et recyclage · à 4 km · disponible en mars 2027 ·
capacité suffisante"). docs/matching.md explains the rules and the weights.

What makes a match, in one place:
- the weights of each reason: `WEIGHTS` (`Weights`, with what each one rewards);
- which natures answer each other: `COMPATIBLE_NATURES`; which exchange modes answer a
  need's mode: `ANSWERING_MODES`;
- how far: each side covers an area (a listing's `area_km`, a structure's
  `intervention_radius_km`); a pair matches when the distance is within the larger of the
  two, never beyond `MAX_REACH_KM`.

How it stays fast (50,000 listings, 200,000 structures): SQL keeps only the candidates that
can match (the other kind, live, visible to the viewer, a compatible nature, within reach,
dates not disjoint; structures: published, sharing a sector or a filière, within reach) and
ranks them by the part of the score SQL can compute (sectors, nature, mode, distance: the
same weights, the same haversine). Python then scores a bounded pool of the best exactly
(dates and capacity added) and writes the reasons. `naive_listing_matches` scores every
live listing in Python instead: the benchmark's comparison, not for pages.

The structures' side (`Target`, `actor_score`, `matching_actors`) knows only sectors, a place
and an area, so the tenders' consortium suggestions score candidate structures for a lot
with the same rules and weights.
"""

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Case, Exists, F, FloatField, OuterRef, Q, Value, When
from django.db.models.functions import Greatest, Least
from django.template.defaultfilters import floatformat
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from cooperation.matching_weights import (
    ANSWERING_MODES,
    CANDIDATE_POOL,
    COMPATIBLE_NATURES,
    MAX_REACH_KM,
    WEIGHTS,
)
from cooperation.models.listings import ExchangeMode, Listing, ListingKind, Nature
from directory.models import Actor, Sector
from ess_platform.lib import geo

# A reason is written only for the matches kept: a pool of 200 candidates is scored, ten
# are shown, and translating and formatting costs more than adding numbers.
Reason = Callable[[], str]
Part = tuple[float, Reason | None]


@dataclass
class Match:
    """A candidate (a listing or a structure), its score and why, best first in a list."""

    score: float
    reasons: list[str] = field(default_factory=list)
    listing: Listing | None = None
    actor: Actor | None = None
    distance_km: float | None = None

    @property
    def reasons_text(self) -> str:
        return " · ".join(self.reasons)


@dataclass
class _Scored:
    score: float
    distance_km: float
    candidate: Listing | Actor
    parts: list[Part]

    def explained(self) -> Match:
        kind = "listing" if isinstance(self.candidate, Listing) else "actor"
        return Match(
            score=round(self.score, 2),
            reasons=[reason() for _points, reason in self.parts if reason is not None],
            distance_km=round(self.distance_km, 1),
            **{kind: self.candidate},
        )


def taxonomy() -> dict[int, Sector]:
    """Every sector with its filière, by key (a few dozen rows, one query): scoring reads
    the candidates' sectors from it instead of building a copy per candidate."""
    return {s.pk: s for s in Sector.objects.select_related("parent")}


@dataclass(frozen=True)
class Target:
    """What is looked for, as the structures' side sees it: sectors (their filières follow),
    a place and the area it covers. A listing makes one (`of_listing`); a tender's lot makes
    its own (`of_sectors`)."""

    sector_ids: frozenset[int]
    filiere_ids: frozenset[int]
    # Every sector of those filières, and the filières themselves: "the same filière" as
    # keys an index can look up.
    kin_sector_ids: frozenset[int]
    lat: float
    lon: float
    area_km: int

    @classmethod
    def of_sectors(
        cls,
        sector_ids: Iterable[int],
        *,
        lat: float,
        lon: float,
        area_km: int,
        sectors: dict[int, Sector],
    ) -> "Target":
        """`sectors`: the taxonomy (`taxonomy()`)."""
        ids = frozenset(pk for pk in sector_ids if pk in sectors)
        filieres = frozenset(sectors[pk].filiere.pk for pk in ids)
        kin = frozenset(pk for pk, s in sectors.items() if s.filiere.pk in filieres)
        return cls(ids, filieres, kin, lat=lat, lon=lon, area_km=area_km)

    @classmethod
    def of_listing(cls, listing: Listing, *, sectors: dict[int, Sector]) -> "Target":
        """No query when the page prefetched the listing's sectors, else one."""
        return cls.of_sectors(
            [s.pk for s in listing.sectors.all()],
            lat=listing.lat,
            lon=listing.lon,
            area_km=listing.area_km,
            sectors=sectors,
        )


# --- The pieces of a score (pure: no queries) ---------------------------------------------


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Haversine, the formula geo.near computes in SQL (the same numbers on both sides)."""
    hav = (
        math.sin(math.radians(lat2 - lat1) / 2) ** 2
        + math.cos(math.radians(lat1))
        * math.cos(math.radians(lat2))
        * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * geo.EARTH_RADIUS_KM * math.asin(math.sqrt(min(hav, 1.0)))


def reach_km(area_km: int, other_area_km: int) -> float:
    """How far two parties may be: either one covering the distance is enough."""
    return float(min(max(area_km, other_area_km), MAX_REACH_KM))


def _sector_part(target: Target, sectors: list[Sector]) -> Part | None:
    """The best sector relation; None when there is none."""
    for sector in sectors:
        if sector.pk in target.sector_ids:
            return (
                WEIGHTS.same_sector,
                lambda s=sector: _("même secteur : %(name)s") % {"name": s.label},
            )
    for sector in sectors:
        if sector.filiere.pk in target.filiere_ids:
            filiere = sector.filiere
            return (
                WEIGHTS.same_filiere,
                lambda f=filiere: _("même filière : %(name)s") % {"name": f.label},
            )
    return None


def _distance_part(distance: float, reach: float) -> Part:
    points = WEIGHTS.distance * (1 - distance / reach) if reach else 0.0
    if distance < 1:
        return points, lambda: _("à moins d'un km")
    return points, lambda: _("à %(km)s km") % {"km": round(distance)}


def _nature_part(nature: str, other: str) -> Part:
    if nature == other:
        return WEIGHTS.same_nature, lambda: _("même nature")
    return (
        WEIGHTS.compatible_nature,
        lambda: _("nature voisine : %(nature)s") % {"nature": Nature(other).label},
    )


def _mode_part(need_mode: str, offer_mode: str) -> Part | None:
    if offer_mode not in ANSWERING_MODES.get(need_mode, ()):
        return None
    mode = ExchangeMode(offer_mode).label
    if need_mode == offer_mode:
        return WEIGHTS.mode, lambda: _("même mode d'échange : %(mode)s") % {"mode": mode.lower()}
    return WEIGHTS.mode, lambda: _("mode d'échange compatible : %(mode)s") % {"mode": mode.lower()}


def _dates_part(a: Listing, b: Listing, today: date) -> Part | None:
    """None when the availabilities are disjoint (or over)."""
    starts = [d for d in (a.available_from, b.available_from) if d] + [today]
    ends = [d for d in (a.available_until, b.available_until) if d]
    start, end = max(starts), min(ends) if ends else None
    if end is not None and end < start:
        return None
    dated = (a.available_from or a.available_until) and (b.available_from or b.available_until)
    if not dated:
        return WEIGHTS.dates / 2, None
    if start <= today:
        return WEIGHTS.dates, lambda: _("disponible dès maintenant")
    return (
        WEIGHTS.dates,
        lambda: _("disponible en %(month)s") % {"month": date_format(start, "F Y")},
    )


def _same_unit(a: str, b: str) -> bool:
    a, b = a.strip().lower(), b.strip().lower()
    return not a or not b or a == b


def _capacity_part(need: Listing, offer: Listing, need_qty, offer_qty) -> Part | None:
    if need_qty is None or offer_qty is None or not _same_unit(need.unit, offer.unit):
        return None
    if Decimal(offer_qty) >= Decimal(need_qty):
        return WEIGHTS.capacity, lambda: _("capacité suffisante")
    return (
        0.0,
        lambda: (
            _("capacité partielle : %(offer)s sur %(need)s %(unit)s")
            % {
                "offer": floatformat(offer_qty, -2),
                "need": floatformat(need_qty, -2),
                "unit": (need.unit or offer.unit).strip(),
            }
        ),
    )


def _score_listing(
    listing: Listing, candidate: Listing, *, target: Target, sectors, quantity, today
) -> _Scored | None:
    if candidate.kind == listing.kind or candidate.actor_id == listing.actor_id:
        return None
    if candidate.nature not in COMPATIBLE_NATURES[listing.nature]:
        return None
    distance = distance_km(listing.lat, listing.lon, candidate.lat, candidate.lon)
    reach = reach_km(listing.area_km, candidate.area_km)
    if distance > reach:
        return None
    dates = _dates_part(listing, candidate, today)
    if dates is None:
        return None
    own_qty = listing.quantity if quantity is None else quantity
    if listing.kind == ListingKind.NEED:
        need, offer, need_qty, offer_qty = listing, candidate, own_qty, candidate.quantity
    else:
        need, offer, need_qty, offer_qty = candidate, listing, candidate.quantity, own_qty
    parts = [
        _sector_part(target, sectors),
        _nature_part(listing.nature, candidate.nature),
        _mode_part(need.mode, offer.mode),
        _distance_part(distance, reach),
        dates,
        _capacity_part(need, offer, need_qty, offer_qty),
    ]
    parts = [part for part in parts if part is not None]
    return _Scored(sum(points for points, _r in parts), distance, candidate, parts)


def listing_score(
    listing: Listing,
    candidate: Listing,
    *,
    target: Target,
    sectors: list[Sector],
    quantity=None,
    today: date | None = None,
) -> Match | None:
    """`candidate` (whose sectors are `sectors`, with their filières) scored as an answer to
    `listing`, a need and an offer either way round; None when it cannot be one.
    `quantity` stands for `listing`'s own (a joint need's total)."""
    today = today or timezone.localdate()
    scored = _score_listing(
        listing, candidate, target=target, sectors=sectors, quantity=quantity, today=today
    )
    return scored.explained() if scored else None


def _score_actor(actor: Actor, *, target: Target, sectors: list[Sector]) -> _Scored | None:
    sector = _sector_part(target, sectors)
    if sector is None:
        return None
    distance = distance_km(target.lat, target.lon, actor.lat, actor.lon)
    reach = reach_km(target.area_km, actor.intervention_radius_km)
    if distance > reach:
        return None
    parts = [sector, _distance_part(distance, reach)]
    return _Scored(sum(points for points, _r in parts), distance, actor, parts)


def actor_score(actor: Actor, *, target: Target, sectors: list[Sector]) -> Match | None:
    """A structure (whose sectors are `sectors`) scored against what is looked for: a
    shared sector or filière, within reach (the target's area or the structure's
    intervention radius); None when it is not a match. What the tenders' consortium
    suggestions call with a lot's target."""
    scored = _score_actor(actor, target=target, sectors=sectors)
    return scored.explained() if scored else None


def _best(
    scored: Iterable[_Scored | None], limit: int | None, *, min_score: float = 0
) -> list[_Scored]:
    found = [s for s in scored if s is not None and s.score >= min_score]
    found.sort(key=lambda s: (-s.score, s.distance_km, s.candidate.pk))
    return found if limit is None else found[:limit]


# --- The queries --------------------------------------------------------------------------


def _sectors_by_row(through, owner: str, ids, sectors: dict[int, Sector]) -> dict:
    """{row key: [its sectors]} for these rows, from the taxonomy (one query)."""
    found: dict[int, list[Sector]] = {pk: [] for pk in ids}
    pairs = through.objects.filter(**{f"{owner}__in": list(ids)}).order_by(owner, "sector_id")
    for row, sector_id in pairs.values_list(owner, "sector_id"):
        found[row].append(sectors[sector_id])
    return found


def _sector_relations(through, owner: str, target: Target) -> tuple[Exists, Exists]:
    """SQL: whether each row shares a sector, and whether it shares at least a filière
    (`owner` is the through table's column of the row)."""
    rows = through.objects.filter(**{owner: OuterRef("pk")})
    return (
        Exists(rows.filter(sector_id__in=target.sector_ids)),
        Exists(rows.filter(sector_id__in=target.kin_sector_ids)),
    )


def _distance_points(area_column: str, area_km: int):
    """SQL: the distance points, on the `distance_km` geo.near annotates."""
    reach = Least(
        Greatest(Value(float(area_km)), F(area_column), output_field=FloatField()),
        Value(float(MAX_REACH_KM)),
        output_field=FloatField(),
    )
    return Value(WEIGHTS.distance) * (Value(1.0) - F("distance_km") / reach)


def _within_reach(queryset, target: Target, area_column: str):
    """Rows within the larger of the two areas, never beyond MAX_REACH_KM, annotated with
    `distance_km` (a bounding box first: the indexes narrow the rows)."""
    return geo.near(queryset, target.lat, target.lon, km=MAX_REACH_KM).filter(
        Q(distance_km__lte=target.area_km) | Q(distance_km__lte=F(area_column))
    )


def _case(condition, points: float, otherwise: float = 0.0):
    return Case(
        When(condition, then=Value(points)), default=Value(otherwise), output_field=FloatField()
    )


# What scoring reads of a candidate listing (not its texts).
SCORING_COLUMNS = (
    "id",
    "actor_id",
    "kind",
    "nature",
    "mode",
    "lat",
    "lon",
    "area_km",
    "quantity",
    "unit",
    "available_from",
    "available_until",
)


def _answering_listings(listing: Listing, *, viewer, target: Target, pool: int) -> list[Listing]:
    """The live listings `viewer` may see that could answer `listing`: the best `pool` by
    the part of the score SQL computes, with the columns scoring reads (one query)."""
    other_kind = ListingKind.OFFER if listing.kind == ListingKind.NEED else ListingKind.NEED
    today = timezone.localdate()
    candidates = (
        Listing.objects.live()
        .visible_to(viewer)
        .filter(kind=other_kind, nature__in=COMPATIBLE_NATURES[listing.nature])
        .exclude(actor_id=listing.actor_id)
        .filter(Q(available_until__isnull=True) | Q(available_until__gte=today))
    )
    if listing.available_from:
        candidates = candidates.filter(
            Q(available_until__isnull=True) | Q(available_until__gte=listing.available_from)
        )
    if listing.available_until:
        candidates = candidates.filter(
            Q(available_from__isnull=True) | Q(available_from__lte=listing.available_until)
        )
    if listing.kind == ListingKind.NEED:
        modes = ANSWERING_MODES[listing.mode]
    else:
        modes = [mode for mode, offers in ANSWERING_MODES.items() if listing.mode in offers]
    sectors = Value(0.0)
    if target.sector_ids:
        shared, kin = _sector_relations(Listing.sectors.through, "listing_id", target)
        sectors = Case(
            When(shared, then=Value(WEIGHTS.same_sector)),
            When(kin, then=Value(WEIGHTS.same_filiere)),
            default=Value(0.0),
            output_field=FloatField(),
        )
    ranked = (
        _within_reach(candidates, target, "area_km")
        .annotate(
            rank=sectors
            + _case(Q(nature=listing.nature), WEIGHTS.same_nature, WEIGHTS.compatible_nature)
            + _case(Q(mode__in=modes), WEIGHTS.mode)
            + _distance_points("area_km", target.area_km)
        )
        .only(*SCORING_COLUMNS)
        .order_by("-rank", "distance_km", "pk")
    )
    return list(ranked[:pool])


def listing_matches(listing, *, viewer, limit: int = 10, quantity=None) -> list[Match]:
    """For a need, the live offers that could answer it; for an offer, the live needs that
    could use it; best first. Only listings `viewer` may see (None: public ones), never the
    structure's own. `quantity` stands for the listing's own (a joint need's total).
    A fixed number of queries (at most 6: one reads a signed-in viewer's networks),
    whatever the size of the catalogue."""
    sectors = taxonomy()
    target = Target.of_listing(listing, sectors=sectors)
    today = timezone.localdate()
    pool = max(CANDIDATE_POOL, limit * 4)
    candidates = _answering_listings(listing, viewer=viewer, target=target, pool=pool)
    sectors_of = _sectors_by_row(
        Listing.sectors.through, "listing_id", [c.pk for c in candidates], sectors
    )
    best = _best(
        (
            _score_listing(
                listing, c, target=target, sectors=sectors_of[c.pk], quantity=quantity, today=today
            )
            for c in candidates
        ),
        limit,
        min_score=WEIGHTS.min_listing_score,
    )
    # What pages show of the few kept, in full.
    full = Listing.objects.select_related("actor", "commune").in_bulk(
        [s.candidate.pk for s in best]
    )
    for scored in best:
        scored.candidate = full[scored.candidate.pk]
    return [scored.explained() for scored in best]


def naive_listing_matches(listing, *, viewer, limit: int | None = 10, quantity=None):
    """The same matches, found by scoring in Python every live listing `viewer` may see.
    For the benchmark only (`make bench` sets it beside listing_matches): it reads the
    whole catalogue."""
    sectors = taxonomy()
    target = Target.of_listing(listing, sectors=sectors)
    today = timezone.localdate()
    everything = list(Listing.objects.live().visible_to(viewer).select_related("actor", "commune"))
    sectors_of = _sectors_by_row(
        Listing.sectors.through, "listing_id", [c.pk for c in everything], sectors
    )
    scored = (
        _score_listing(
            listing, c, target=target, sectors=sectors_of[c.pk], quantity=quantity, today=today
        )
        for c in everything
    )
    return [s.explained() for s in _best(scored, limit, min_score=WEIGHTS.min_listing_score)]


# Columns a match of a structure shows or needs (not the long texts).
ACTOR_COLUMNS = (
    "id",
    "name",
    "slug",
    "lat",
    "lon",
    "intervention_radius_km",
    "network_id",
    "short_description",
)


def matching_actors(
    target: Target, *, sectors: dict[int, Sector], exclude: Iterable[int] = (), limit: int = 10
) -> list[Match]:
    """The published structures that share a sector or a filière with `target` and are
    within reach, best first; three queries at most. The whole score is computed in SQL
    here (sectors and distance), so the first `limit` ranked are the best `limit`.

    A shared sector always outranks a shared filière alone (the weights guarantee it), so
    the structures sharing a sector are read first, found through the sector's rows (a few
    thousand in the whole country) rather than through every structure of a dense area's
    box (25,000 around Paris); those sharing only the filière are read when places remain.
    """
    if not target.sector_ids:
        return []
    through = Actor.sectors.through
    shared, kin = _sector_relations(through, "actor_id", target)
    published = Actor.objects.published().exclude(pk__in=list(exclude))
    sharing = published.filter(
        pk__in=through.objects.filter(sector_id__in=target.sector_ids).values("actor_id")
    )
    actors = list(_ranked_actors(sharing, target, WEIGHTS.same_sector)[:limit])
    if len(actors) < limit:
        # `kin` holds `shared`: one EXISTS, which PostgreSQL runs as a semi-join.
        kin_only = published.filter(kin).exclude(shared)
        actors += _ranked_actors(kin_only, target, WEIGHTS.same_filiere)[: limit - len(actors)]
    sectors_of = _sectors_by_row(through, "actor_id", [a.pk for a in actors], sectors)
    best = _best((_score_actor(a, target=target, sectors=sectors_of[a.pk]) for a in actors), limit)
    return [scored.explained() for scored in best]


def _ranked_actors(queryset, target: Target, sector_points: float):
    return (
        _within_reach(queryset, target, "intervention_radius_km")
        .annotate(
            rank=Value(sector_points) + _distance_points("intervention_radius_km", target.area_km)
        )
        .only(*ACTOR_COLUMNS)
        .order_by("-rank", "distance_km", "pk")
    )


def actor_matches(listing, *, limit: int = 10, quantity=None) -> list[Match]:
    """The published structures (not the listing's own) that could answer a need or use an
    offer: sharing a sector or a filière, within reach; four queries at most. Structures
    declare no quantity: `quantity` is accepted for symmetry with listing_matches and
    changes nothing."""
    sectors = taxonomy()
    target = Target.of_listing(listing, sectors=sectors)
    return matching_actors(target, sectors=sectors, exclude=[listing.actor_id], limit=limit)
