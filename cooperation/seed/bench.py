"""`seed_demo --listings N`: N listings spread over the published structures already there
(the benchmark's 200,000 actors, or the demo's), for `make bench` and load tests.

Built in bulk, not through the services (50,000 must load in under a minute on
PostgreSQL): rows written as listing_create and listing_publish would write them — the
place of the structure, the sector of the text, the normalised search text
(cooperation.services.listings.listing_search_text), the words added to the vocabulary —
and mostly live (open or in discussion), a fifth members-only. Each batch commits on its
own; a second run adds only the missing ones.
"""

import random
import time
from collections.abc import Callable
from datetime import timedelta

from django.db import connection, transaction
from django.utils import timezone

from cooperation.models import Listing, ListingStatus
from cooperation.seed.demo_listings_data import LISTINGS
from cooperation.services.listings import listing_lifetime, listing_search_text
from directory.models import Actor, Commune, Sector
from directory.seed.common import exclusive
from directory.services.search import search_words_add

L = ListingStatus
BATCH = 5000
BENCH_TITLE_SUFFIX = " ·"  # marks the bulk listings apart from the demo's (same texts)
STATES = [(L.OPEN, 0.82), (L.IN_DISCUSSION, 0.08), (L.EXPIRED, 0.05), (L.WITHDRAWN, 0.05)]


def listings_bench_seed(
    *, total: int, seed: int = 11, progress: Callable[[str], None] = print
) -> tuple[int, float]:
    """Bring the bulk listings up to `total`. Returns (added, seconds)."""
    with exclusive("seed_demo.listings"):
        return _seed(total=total, seed=seed, progress=progress)


def _seed(*, total: int, seed: int, progress) -> tuple[int, float]:
    start = time.perf_counter()
    existing = Listing.objects.filter(title__endswith=BENCH_TITLE_SUFFIX).count()
    missing = total - existing
    if missing <= 0:
        return 0, 0.0
    actors = list(Actor.objects.published().values_list("pk", "commune_id", "lat", "lon"))
    if not actors:
        progress("  no published structure to publish listings: nothing done.")
        return 0, 0.0
    rng = random.Random(seed * 1_000_003 + existing)
    sectors = {s.slug: s for s in Sector.objects.leaves()}
    communes = Commune.objects.only("name").in_bulk({a[1] for a in actors})
    texts = {}  # (template index, commune): search text — computed once per pair
    now = timezone.now()
    lifetime = listing_lifetime()
    through = Listing.sectors.through
    done = 0
    while done < missing:
        size = min(BATCH, missing - done)
        rows, row_sectors = [], []
        for _ in range(size):
            index = rng.randrange(len(LISTINGS))
            spec = LISTINGS[index]
            actor_id, commune_id, lat, lon = rng.choice(actors)
            sector = sectors.get(spec.sector)
            key = (index, commune_id)
            if key not in texts:
                texts[key] = listing_search_text(
                    Listing(
                        title=spec.title,
                        description=spec.description,
                        unit=spec.unit,
                        recurrence=spec.recurrence,
                        nature=spec.nature,
                        mode=spec.mode,
                        kind=spec.kind,
                        commune=communes[commune_id],
                    ),
                    sector_names=[sector.name] if sector else [],
                )
            published_at = now - timedelta(days=rng.randint(0, 85), minutes=rng.randint(0, 1439))
            status = _state(rng)
            expires_at = published_at + lifetime
            if status == L.EXPIRED:
                expires_at = now - timedelta(days=rng.randint(1, 30))
            rows.append(
                Listing(
                    actor_id=actor_id,
                    kind=spec.kind,
                    nature=spec.nature,
                    mode=spec.mode,
                    audience=spec.audience,
                    title=spec.title + BENCH_TITLE_SUFFIX,
                    description=spec.description,
                    quantity=spec.quantity,
                    unit=spec.unit,
                    recurrence=spec.recurrence,
                    commune_id=commune_id,
                    lat=lat,
                    lon=lon,
                    area_km=rng.choice([10, 20, 30, 50]),
                    price_kind=spec.price_kind,
                    price=spec.price,
                    visibility="network" if rng.random() < 0.2 else "public",
                    status=status,
                    published_at=published_at,
                    expires_at=expires_at,
                    search_text=texts[key],
                )
            )
            row_sectors.append(sector)
        with transaction.atomic():
            created = Listing.objects.bulk_create(rows, batch_size=1000)
            through.objects.bulk_create(
                [
                    through(listing_id=listing.pk, sector_id=sector.pk)
                    for listing, sector in zip(created, row_sectors, strict=True)
                    if sector is not None
                ],
                batch_size=2000,
            )
        done += size
        progress(
            f"  {existing + done:>9,} / {total:,} listings  ({time.perf_counter() - start:6.1f} s)"
        )
    for text in set(texts.values()):
        search_words_add(text)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {Listing._meta.db_table}")
    return missing, time.perf_counter() - start


def _state(rng: random.Random) -> str:
    draw, total = rng.random(), 0.0
    for status, share in STATES:
        total += share
        if draw < total:
            return status
    return L.OPEN
