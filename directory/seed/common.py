"""Pieces shared by the demo territory (seed/demo.py) and the benchmark volumes
(seed/bench.py): French names and places, plausible dates, SIRETs and phone numbers, a
population-weighted draw of communes, and the bookkeeping of bulk loads."""

import bisect
import math
import random
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

from django.db import connection
from stdnum import luhn
from stdnum.fr import siret as siret_number

from directory.models import (
    Actor,
    Capacity,
    Commune,
    FreshnessPolicy,
    LegalForm,
    MapCell,
)
from directory.seed.communes import communes_load
from ess_platform.lib import geo
from ess_platform.lib.text import normalize

JITTER_KM = 2.0


# --- small generators ----------------------------------------------------------------------


def de(name: str) -> str:
    """French "de" before a place name, with elision and contraction."""
    if name.startswith("Le "):
        return "du " + name[3:]
    if name.startswith("Les "):
        return "des " + name[4:]
    if normalize(name[:1]) in set("aeiouyh"):
        return "d'" + name
    return "de " + name


def jitter(
    rng: random.Random, lat: float, lon: float, km: float = JITTER_KM
) -> tuple[float, float]:
    """A point within `km` of (lat, lon), uniformly over the disc, never outside France."""
    for _attempt in range(8):
        distance = km * math.sqrt(rng.random())
        angle = rng.random() * 2 * math.pi
        new_lat = lat + distance * math.cos(angle) / 111.2
        new_lon = lon + distance * math.sin(angle) / (
            111.2 * max(math.cos(math.radians(lat)), 0.01)
        )
        if geo.in_france(new_lat, new_lon):
            return round(new_lat, 6), round(new_lon, 6)
    return lat, lon


def confirmation_date(rng: random.Random, now: datetime) -> datetime:
    """Over the past 18 months: most fresh, some due for confirmation, some stale."""
    roll = rng.random()
    if roll < 0.70:
        days = rng.uniform(0, 350)
    elif roll < 0.82:
        days = rng.uniform(370, 390)  # due: past 12 months, within the 1-month grace
    else:
        days = rng.uniform(400, 545)  # stale
    return now - timedelta(days=days, minutes=rng.randrange(1440))


def confirmation(rng: random.Random, now: datetime) -> dict:
    """A last confirmation date and the freshness the default policy gives it."""
    confirmed = confirmation_date(rng, now)
    freshness = FreshnessPolicy.default().thresholds(now).freshness_of(confirmed)
    return {"last_confirmed_at": confirmed, "freshness": freshness}


def siret_generator(rng: random.Random, taken: set[str]) -> Callable[[], str]:
    """Valid (Luhn) SIRET numbers not already used in the database."""

    def generate() -> str:
        while True:
            body = str(rng.randrange(10_000_000, 99_999_999))
            siren = body + luhn.calc_check_digit(body)
            establishment = siren + f"{rng.randrange(1, 100):04d}"
            number = establishment + luhn.calc_check_digit(establishment)
            if number not in taken and siret_number.is_valid(number):
                taken.add(number)
                return number

    return generate


def phone(rng: random.Random) -> str:
    prefix = rng.choice(["02 40", "02 51", "02 28", "06", "07"])
    pairs = [f"{rng.randrange(100):02d}" for _ in range(5 - len(prefix.split()))]
    return " ".join([prefix, *pairs])


def capacity(rng: random.Random, legal_form: str) -> tuple[str, str, int | None]:
    """Headcount band, turnover band and volunteers, plausible for the legal form."""
    h = Capacity.Headcount
    large = {LegalForm.MUTUAL, LegalForm.FOUNDATION, LegalForm.ESAT_EA}
    bands = (
        [h.MICRO, h.SMALL, h.MEDIUM, h.LARGE]
        if legal_form in large
        else [
            h.NONE,
            h.MICRO,
            h.MICRO,
            h.SMALL,
            h.MEDIUM,
        ]
    )
    headcount = rng.choice(bands)
    turnover_by_headcount = {
        h.NONE: ["<100k"],
        h.MICRO: ["<100k", "100k-500k"],
        h.SMALL: ["100k-500k", "500k-2m"],
        h.MEDIUM: ["500k-2m", "2m-10m"],
        h.LARGE: ["2m-10m", "10m+"],
    }
    turnover = rng.choice(turnover_by_headcount[headcount])
    volunteers = rng.randrange(3, 120) if legal_form == LegalForm.ASSOCIATION else None
    return headcount, turnover, volunteers


class WeightedCommunes:
    """Draw communes with a probability proportional to their population."""

    def __init__(self, communes: list[Commune]):
        self.communes = [c for c in communes if c.population > 0]
        self.cumulative: list[int] = []
        total = 0
        for commune in self.communes:
            total += commune.population
            self.cumulative.append(total)
        self.total = total

    def draw(self, rng: random.Random) -> Commune:
        return self.communes[bisect.bisect_right(self.cumulative, rng.randrange(self.total))]


def postcode_of(rng: random.Random, commune: Commune) -> str:
    codes = commune.postcodes.split()
    return rng.choice(codes) if codes else ""


def analyze() -> None:
    """Fresh planner statistics after a bulk load; VACUUM too when allowed (not inside a
    transaction), so that the visibility map lets counts use index-only scans at once."""
    if connection.vendor != "postgresql":
        return
    command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
    with connection.cursor() as cursor:
        for model in (Actor, Actor.sectors.through, Commune, MapCell):
            cursor.execute(f"{command} {model._meta.db_table}")


@contextmanager
def exclusive(name: str) -> Iterator[None]:
    """One load at a time: two concurrent runs would both count the same missing rows and
    add them twice. PostgreSQL only; SQLite serialises writers already."""
    if connection.vendor != "postgresql":
        yield
        return
    key = zlib.crc32(name.encode())
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [key])
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [key])


def ensure_communes() -> int:
    """Load the vendored communes once; returns how many were loaded (0 if already there)."""
    if Commune.objects.exists():
        return 0
    return communes_load()


# --- the demo territory --------------------------------------------------------------------
