"""Benchmark volumes for `manage.py seed_demo --actors N` (docs/benchmarks.md).

N synthetic published actors over all of France in a network of their own, deterministic
(`random.Random(seed)`) and resumable: each batch commits on its own, and a rerun only adds
the actors still missing. They come in through `services.actors.actors_insert` like every
actor; the map cells are rebuilt once at the end.
"""

import random
import time
from collections.abc import Callable
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from directory.models import Actor, ActorChange, Commune, Network, Sector, Status
from directory.seed.common import (
    WeightedCommunes,
    analyze,
    confirmation,
    de,
    ensure_communes,
    exclusive,
    jitter,
    postcode_of,
)
from directory.seed.demo_data import BENCH_PLACES, SECTOR_PROFILES
from directory.services.actors import actors_insert
from directory.services.map import map_cells_rebuild

BENCH_NETWORK_SLUG = "bench-france"
BENCH_NETWORK_NAME = "Réseau national (données de test)"
BENCH_BATCH = 5000
BENCH_NOTE = "Données de test (volumes)"


def _bench_actor(
    rng: random.Random,
    *,
    index: int,
    network: Network,
    communes: WeightedCommunes,
    leaves: list[Sector],
    now: datetime,
) -> tuple[Actor, list[Sector]]:
    commune = communes.draw(rng)
    sectors = rng.sample(leaves, k=rng.choice([1, 1, 2, 3]))
    profile = SECTOR_PROFILES[sectors[0].slug]
    place = de(commune.name) if rng.random() < 0.5 else rng.choice(BENCH_PLACES)
    name = rng.choice(profile["names"]).format(de=place)
    lat, lon = jitter(rng, commune.lat, commune.lon)
    actor = Actor(
        network=network,
        name=name,
        # "-b<n>": never produced by services.unique_slug, so no clash with real profiles.
        slug=f"{slugify(name)[:190]}-b{index}",
        legal_form=rng.choice(profile["forms"]),
        short_description=rng.choice(profile["descriptions"]).format(commune=commune.name)[:280],
        keywords=", ".join(rng.sample(profile["keywords"], k=3)),
        offer="\n".join(rng.sample(profile["offers"], k=2)),
        postcode=postcode_of(rng, commune),
        commune=commune,
        lat=lat,
        lon=lon,
        status=Status.PUBLISHED,
        **confirmation(rng, now),
    )
    return actor, sectors


def bench_seed(
    *,
    total: int,
    seed: int = 7,
    batch_size: int = BENCH_BATCH,
    progress: Callable[[str], None] = print,
) -> tuple[int, float]:
    """Bring the benchmark network up to `total` actors. Returns (added, seconds).

    Each batch commits on its own, so an interrupted load resumes where it stopped.
    """
    with exclusive("seed_demo.bench"):
        return _bench_seed(total=total, seed=seed, batch_size=batch_size, progress=progress)


def _bench_seed(
    *, total: int, seed: int, batch_size: int, progress: Callable[[str], None]
) -> tuple[int, float]:
    start = time.perf_counter()
    ensure_communes()
    network, _created = Network.objects.get_or_create(
        slug=BENCH_NETWORK_SLUG,
        defaults={
            "name": BENCH_NETWORK_NAME,
            "description": "Acteurs fictifs répartis sur toute la France, pour les mesures.",
        },
    )
    existing = network.actors.count()
    missing = total - existing
    if missing <= 0:
        return 0, 0.0
    rng = random.Random(seed * 1_000_003 + existing)
    communes = WeightedCommunes(
        list(Commune.objects.only("insee", "name", "postcodes", "population", "lat", "lon"))
    )
    leaves = list(Sector.objects.leaves().order_by("pk"))
    now = timezone.now()
    done = 0
    while done < missing:
        size = min(batch_size, missing - done)
        pairs = [
            _bench_actor(
                rng,
                index=existing + done + i + 1,
                network=network,
                communes=communes,
                leaves=leaves,
                now=now,
            )
            for i in range(size)
        ]
        with transaction.atomic():
            actors_insert(
                actors=[a for a, _s in pairs],
                sectors=[sectors for _a, sectors in pairs],
                by=None,
                source=ActorChange.Source.CREATION,
                note=BENCH_NOTE,
                map_cells=False,
            )
        done += size
        progress(
            f"  {existing + done:>9,} / {total:,} actors  ({time.perf_counter() - start:6.1f} s)"
        )
    progress("  rebuilding map cells and the search vocabulary…")
    map_cells_rebuild()
    analyze()
    return missing, time.perf_counter() - start
