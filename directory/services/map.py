"""Keep the MapCell table current (its reads are MapCellQuerySet methods).

Every write that changes the set of published actors, their position, legal form or
sectors calls `map_cells_move()` inside its transaction with the actor's place before and
after (`map_place()`), so the clusters always match the actors table. Bulk loads call
`map_cells_rebuild()` once instead, and so does a change of the sector taxonomy.
"""

from collections.abc import Iterable
from typing import NamedTuple

from django.db import connection, transaction
from django.db.models import F, Q

from directory.models import Actor, MapCell, Sector, Status
from directory.models.map import (
    ALL_ACTORS,
    CLUSTER_MAX_ZOOM,
    FACET_MAX_ZOOM,
    cell_of,
    cell_size,
    legal_form_facet,
    sector_facet,
)


class MapPlace(NamedTuple):
    """Where a published actor counts on the map: its position and the facets it is in."""

    lat: float
    lon: float
    facets: frozenset[str]


def _facets(legal_form: str, sector_pairs: Iterable[tuple[int, int | None]]) -> frozenset[str]:
    """`sector_pairs`: (sector id, its filière's id or None) of the actor's sectors."""
    sector_ids = {i for pair in sector_pairs for i in pair if i is not None}
    return frozenset({legal_form_facet(legal_form), *map(sector_facet, sector_ids)})


def map_place(actor: Actor, *, sectors: Iterable[Sector] | None = None) -> MapPlace | None:
    """The actor's place on the map, or None when it is not published. `sectors` are those
    it is about to be saved with; by default, those it has in the database."""
    if actor.status != Status.PUBLISHED:
        return None
    if sectors is None:
        pairs = Actor.sectors.through.objects.filter(actor_id=actor.pk).values_list(
            "sector_id", "sector__parent_id"
        )
    else:
        pairs = [(s.pk, s.parent_id) for s in sectors]
    return MapPlace(actor.lat, actor.lon, _facets(actor.legal_form, pairs))


def map_places(actor_ids: Iterable[int]) -> dict[int, MapPlace]:
    """map_place() of many actors in two queries; those not published are left out."""
    rows = Actor.objects.filter(pk__in=list(actor_ids), status=Status.PUBLISHED).values_list(
        "pk", "lat", "lon", "legal_form"
    )
    pairs: dict[int, list[tuple[int, int | None]]] = {pk: [] for pk, *_rest in rows}
    links = Actor.sectors.through.objects.filter(actor_id__in=list(pairs))
    for actor_id, sector_id, parent_id in links.values_list(
        "actor_id", "sector_id", "sector__parent_id"
    ):
        pairs[actor_id].append((sector_id, parent_id))
    return {
        pk: MapPlace(lat, lon, _facets(legal_form, pairs[pk])) for pk, lat, lon, legal_form in rows
    }


def _cells(place: MapPlace) -> list[tuple[str, int, int, int]]:
    cells = [
        (ALL_ACTORS, zoom, *cell_of(place.lat, place.lon, zoom))
        for zoom in range(CLUSTER_MAX_ZOOM + 1)
    ]
    for facet in sorted(place.facets):
        cells += [
            (facet, zoom, *cell_of(place.lat, place.lon, zoom))
            for zoom in range(FACET_MAX_ZOOM + 1)
        ]
    return cells


def _key_filter(cells: list[tuple[str, int, int, int]]) -> Q:
    condition = Q()
    for facet, zoom, x, y in cells:
        condition |= Q(facet=facet, zoom=zoom, x=x, y=y)
    return condition


def map_cells_move(*, old: MapPlace | None, new: MapPlace | None) -> None:
    """Move one published actor between cells: `old=None` adds it, `new=None` removes it."""
    if old == new:
        return
    if old is not None:
        MapCell.objects.filter(_key_filter(_cells(old))).update(
            count=F("count") - 1, lat_sum=F("lat_sum") - old.lat, lon_sum=F("lon_sum") - old.lon
        )
        # Empty cells stay (count 0) until the next rebuild: deleting one here would race a
        # concurrent insert into the same cell, which then updates nothing.
    if new is not None:
        cells = _cells(new)
        existing = MapCell.objects.filter(_key_filter(cells))
        updated = set(existing.values_list("facet", "zoom", "x", "y"))
        existing.update(
            count=F("count") + 1, lat_sum=F("lat_sum") + new.lat, lon_sum=F("lon_sum") + new.lon
        )
        # The unique constraint turns a concurrent insert of the same cell into an error that
        # rolls back the caller's transaction, instead of a silent double count.
        MapCell.objects.bulk_create(
            [
                MapCell(facet=f, zoom=z, x=x, y=y, count=1, lat_sum=new.lat, lon_sum=new.lon)
                for f, z, x, y in cells
                if (f, z, x, y) not in updated
            ]
        )


# The facets of each published actor as (actor id, facet) rows, for the rebuild. UNION
# (not UNION ALL) counts an actor once in a filière it has several sectors of.
_FACETS_SQL = """
    SELECT id AS actor_id, %(legal_prefix)s || legal_form AS facet
    FROM {actor} WHERE status = 'published'
    UNION
    SELECT link.actor_id, %(sector_prefix)s || CAST(link.sector_id AS VARCHAR(20))
    FROM {link} link
    UNION
    SELECT link.actor_id, %(sector_prefix)s || CAST(sector.parent_id AS VARCHAR(20))
    FROM {link} link JOIN {sector} sector ON sector.id = link.sector_id
    WHERE sector.parent_id IS NOT NULL
"""


@transaction.atomic
def map_cells_rebuild() -> int:
    """Recompute every cell from the published actors (after bulk loads). Returns rows."""
    MapCell.objects.all().delete()
    tables = {
        "actor": Actor._meta.db_table,
        "link": Actor.sectors.through._meta.db_table,
        "sector": Sector._meta.db_table,
        "cell": MapCell._meta.db_table,
    }
    facets_sql = _FACETS_SQL.format(**tables)
    total = 0
    for zoom in range(CLUSTER_MAX_ZOOM + 1):
        params = {"zoom": zoom, "size": cell_size(zoom), "all": ALL_ACTORS}
        statements = [
            """
            INSERT INTO {cell} (facet, zoom, x, y, count, lat_sum, lon_sum)
            SELECT %(all)s, %(zoom)s, CAST(FLOOR((lon + 180.0) / %(size)s) AS INTEGER),
                   CAST(FLOOR((lat + 90.0) / %(size)s) AS INTEGER),
                   COUNT(*), SUM(lat), SUM(lon)
            FROM {actor} WHERE status = 'published'
            GROUP BY 3, 4
            """
        ]
        if zoom <= FACET_MAX_ZOOM:
            statements.append(
                """
                INSERT INTO {cell} (facet, zoom, x, y, count, lat_sum, lon_sum)
                SELECT facets.facet, %(zoom)s,
                       CAST(FLOOR((actor.lon + 180.0) / %(size)s) AS INTEGER),
                       CAST(FLOOR((actor.lat + 90.0) / %(size)s) AS INTEGER),
                       COUNT(*), SUM(actor.lat), SUM(actor.lon)
                FROM ({facets}) facets JOIN {actor} actor ON actor.id = facets.actor_id
                WHERE actor.status = 'published'
                GROUP BY 1, 3, 4
                """
            )
            params |= {
                "legal_prefix": legal_form_facet(""),
                "sector_prefix": sector_facet(""),
            }
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement.format(facets=facets_sql, **tables), params)
                total += cursor.rowcount
    return total
