"""The weights of matching and the tables of what answers what, in one place
(cooperation.matching scores with them; docs/matching.md explains them)."""

from dataclasses import dataclass

from cooperation.models.listings import ExchangeMode, Nature


@dataclass(frozen=True)
class Weights:
    """The points each reason brings; a match's score is their sum (at most 105).

    - same_sector: the candidate shares one of the sectors (the strongest sign: the same
      trade speaks the same language and uses the same things);
    - same_filiere: no shared sector, but one of the same filière (sector.parent): half;
    - same_nature / compatible_nature: listings only; the same nature (equipment for
      equipment), or a neighbouring one (COMPATIBLE_NATURES: a skill for a service);
    - mode: listings only; the offer's exchange mode is one the need accepts
      (ANSWERING_MODES: a rental or a donation answers a need for a loan);
    - distance: at most this much, for a candidate at the same place, down to nothing at
      the edge of the reach (linear): nearer is better, but within reach every one counts;
    - dates: listings only; both give dates and they overlap (half when one side gives
      none: it may well fit, nobody knows); disjoint dates exclude the candidate;
    - capacity: listings only; the offer's quantity covers the need's, in the same unit;
    - min_listing_score: a listing scoring less is not shown as a match. Without a shared
      sector or filière, only the same nature and mode, near, with fitting dates or
      capacity, reach it (a neighbouring nature given away nearby is noise: office
      furniture for a need of laptops); with a shared sector, almost any answering listing.

    Tuned on the demo (tests/cooperation/test_matching.py): a shared sector outweighs a
    shared filière plus the whole distance bonus, so that a recyclerie's truck 20 km away
    comes before a builder's truck next door for a recyclerie's need.
    """

    same_sector: float = 40
    same_filiere: float = 20
    same_nature: float = 20
    compatible_nature: float = 10
    mode: float = 10
    distance: float = 15
    dates: float = 10
    capacity: float = 10
    min_listing_score: float = 50


WEIGHTS = Weights()
# Structures are read sector first (matching_actors): a shared sector must outrank a
# shared filière at any distance.
assert WEIGHTS.same_sector > WEIGHTS.same_filiere + WEIGHTS.distance

# Nobody is matched beyond this distance, whatever the areas say: a national structure's
# 500 km radius would otherwise match every listing in France, and the bounding box of the
# query (its cost) grows with the square of it. The alerts' default distance is the same.
MAX_REACH_KM = 50
# Listings ranked by SQL and scored exactly in Python: only dates and capacity (20 points
# at most) are left to Python, so the best `limit` are nearly always among the first 200.
CANDIDATE_POOL = 200

N = Nature
# Natures that answer each other (made symmetric below; a nature always answers itself).
# "Other" says nothing of what it is, so it excludes nothing.
_NEIGHBOURS = {
    N.GOODS: {N.SUPPLY, N.EQUIPMENT},
    N.SERVICE: {N.SKILL, N.SUBCONTRACTING, N.TRANSPORT},
    N.SKILL: {N.SHARED_JOB, N.SUBCONTRACTING},
    N.EQUIPMENT: {N.TRANSPORT},
    N.SHARED_JOB: {N.SUBCONTRACTING},
    N.OTHER: set(Nature.values),
}
COMPATIBLE_NATURES: dict[str, frozenset[str]] = {
    nature: frozenset(
        {nature}
        | _NEIGHBOURS.get(nature, set())
        | {other for other, near in _NEIGHBOURS.items() if nature in near}
    )
    for nature in Nature.values
}

M = ExchangeMode
# For the mode a need asks for, the offers' modes that answer it (not symmetric: a need to
# borrow is answered by a donation, a need of a gift is not answered by a sale).
ANSWERING_MODES: dict[str, frozenset[str]] = {
    M.SALE: frozenset({M.SALE, M.DONATION, M.BARTER}),
    M.RENTAL: frozenset({M.RENTAL, M.LOAN, M.DONATION, M.POOLING}),
    M.LOAN: frozenset({M.LOAN, M.RENTAL, M.DONATION, M.POOLING}),
    M.DONATION: frozenset({M.DONATION, M.LOAN, M.VOLUNTEERING}),
    M.BARTER: frozenset({M.BARTER, M.DONATION, M.LOAN}),
    M.VOLUNTEERING: frozenset({M.VOLUNTEERING, M.DONATION}),
    M.POOLING: frozenset({M.POOLING, M.LOAN, M.RENTAL, M.BARTER}),
}
