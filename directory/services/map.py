"""Keep the MapCell table current (its reads are MapCellQuerySet methods).

Every write that changes the set of published actors or their position calls
`map_cells_move()` inside its transaction, so the clusters always match the actors table.
Bulk loads call `map_cells_rebuild()` once instead.
"""

from django.db import connection, transaction
from django.db.models import F, Q

from directory.models import Actor, MapCell
from directory.models.map import CLUSTER_MAX_ZOOM, cell_of, cell_size

Point = tuple[float, float]


def _cells(point: Point) -> list[tuple[int, int, int]]:
    lat, lon = point
    return [(zoom, *cell_of(lat, lon, zoom)) for zoom in range(CLUSTER_MAX_ZOOM + 1)]


def _key_filter(cells: list[tuple[int, int, int]]) -> Q:
    condition = Q()
    for zoom, x, y in cells:
        condition |= Q(zoom=zoom, x=x, y=y)
    return condition


def map_cells_move(*, old: Point | None, new: Point | None) -> None:
    """Move one published actor between cells: `old=None` adds it, `new=None` removes it."""
    if old == new:
        return
    if old is not None:
        cells = _cells(old)
        MapCell.objects.filter(_key_filter(cells)).update(
            count=F("count") - 1, lat_sum=F("lat_sum") - old[0], lon_sum=F("lon_sum") - old[1]
        )
        # Empty cells stay (count 0) until the next rebuild: deleting one here would race a
        # concurrent insert into the same cell, which then updates nothing.
    if new is not None:
        cells = _cells(new)
        lat, lon = new
        updated = set(MapCell.objects.filter(_key_filter(cells)).values_list("zoom", "x", "y"))
        MapCell.objects.filter(_key_filter(cells)).update(
            count=F("count") + 1, lat_sum=F("lat_sum") + lat, lon_sum=F("lon_sum") + lon
        )
        missing = [c for c in cells if c not in updated]
        # The unique constraint turns a concurrent insert of the same cell into an error that
        # rolls back the caller's transaction, instead of a silent double count.
        MapCell.objects.bulk_create(
            [MapCell(zoom=z, x=x, y=y, count=1, lat_sum=lat, lon_sum=lon) for z, x, y in missing]
        )


@transaction.atomic
def map_cells_rebuild() -> int:
    """Recompute every cell from the published actors (after bulk loads). Returns rows."""
    MapCell.objects.all().delete()
    total = 0
    for zoom in range(CLUSTER_MAX_ZOOM + 1):
        size = cell_size(zoom)
        with connection.cursor() as cursor:
            cursor.execute(
                f"""
                INSERT INTO {MapCell._meta.db_table} (zoom, x, y, count, lat_sum, lon_sum)
                SELECT %s, CAST(FLOOR((lon + 180.0) / %s) AS INTEGER),
                       CAST(FLOOR((lat + 90.0) / %s) AS INTEGER),
                       COUNT(*), SUM(lat), SUM(lon)
                FROM {Actor._meta.db_table}
                WHERE status = 'published'
                GROUP BY 2, 3
                """,
                [zoom, size, size],
            )
            total += cursor.rowcount
    return total
