"""Load the vendored commune file (see directory/seed/data/SOURCES.md) into the database."""

import csv
import gzip
from collections.abc import Iterator
from pathlib import Path

from django.db import transaction

from directory.models import Commune
from ess_platform.lib.text import normalize

COMMUNES_FILE = Path(__file__).resolve().parent / "data" / "communes.csv.gz"


def iter_communes(path: Path = COMMUNES_FILE) -> Iterator[Commune]:
    with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            yield Commune(
                insee=row["insee"],
                name=row["name"],
                search_name=normalize(row["name"]),
                postcodes=row["postcodes"],
                department=row["department"],
                population=int(row["population"] or 0),
                lat=float(row["lat"]),
                lon=float(row["lon"]),
            )


@transaction.atomic
def communes_load(*, only: set[str] | None = None) -> int:
    """Insert or update every commune of the file (or only the given INSEE codes). Idempotent."""
    communes = [c for c in iter_communes() if only is None or c.insee in only]
    Commune.objects.bulk_create(
        communes,
        batch_size=2000,
        update_conflicts=True,
        unique_fields=["insee"],
        update_fields=[
            "name",
            "search_name",
            "postcodes",
            "department",
            "population",
            "lat",
            "lon",
        ],
    )
    return len(communes)
