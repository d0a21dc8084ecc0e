"""Map clusters kept current on writes.

For each clustered zoom level, the map is cut in square cells of the same size in degrees
(four per 256-pixel tile side). A row holds how many published actors a cell contains and
the sums of their coordinates, so the map endpoint reads clusters and centroids straight
from an index instead of grouping the actors table on every request.

Besides the cells of all actors (facet ""), the coarse zooms keep cells per facet: one
sector or filière, one legal form. Those are the filters people apply to a whole region or
country, where grouping the matching actors on the fly costs 100 ms at 200,000 actors; a
finer view, or a combination of filters, groups few enough rows to be done on the fly.
"""

import math

from django.db import models
from django.db.models import Sum

# Clusters are served from this table up to this zoom; above it, actors are points.
CLUSTER_MAX_ZOOM = 12
# Cells per facet are kept up to this zoom (a view of a département or larger).
FACET_MAX_ZOOM = 9
CELLS_PER_TILE = 4
ALL_ACTORS = ""


def cell_size(zoom: int) -> float:
    return 360.0 / (2**zoom * CELLS_PER_TILE)


def cell_of(lat: float, lon: float, zoom: int) -> tuple[int, int]:
    size = cell_size(zoom)
    return math.floor((lon + 180.0) / size), math.floor((lat + 90.0) / size)


def sector_facet(sector_id: int) -> str:
    """The actors filed under a sector, or under any sector of a filière."""
    return f"sector:{sector_id}"


def legal_form_facet(legal_form: str) -> str:
    return f"legal_form:{legal_form}"


class MapCellQuerySet(models.QuerySet):
    def published_total(self) -> int:
        """How many actors are published: one row to read instead of counting the table."""
        return self.filter(facet=ALL_ACTORS, zoom=0).aggregate(total=Sum("count"))["total"] or 0

    def in_bbox(
        self,
        *,
        zoom: int,
        west: float,
        south: float,
        east: float,
        north: float,
        facet: str = ALL_ACTORS,
    ):
        """(count, lat_sum, lon_sum) of the non-empty cells of `zoom` intersecting the box:
        the precomputed clusters of all published actors, or of those of one facet."""
        x0, y0 = cell_of(south, west, zoom)
        x1, y1 = cell_of(north, east, zoom)
        return self.filter(
            facet=facet, zoom=zoom, x__gte=x0, x__lte=x1, y__gte=y0, y__lte=y1, count__gt=0
        ).values_list("count", "lat_sum", "lon_sum")


class MapCell(models.Model):
    facet = models.CharField(max_length=40, default=ALL_ACTORS, blank=True)
    zoom = models.PositiveSmallIntegerField()
    x = models.IntegerField()
    y = models.IntegerField()
    count = models.IntegerField(default=0)
    lat_sum = models.FloatField(default=0)
    lon_sum = models.FloatField(default=0)

    objects = MapCellQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["facet", "zoom", "x", "y"], name="mapcell_unique_facet_zoom_x_y"
            )
        ]

    def __str__(self) -> str:
        return f"{self.facet or '*'} z{self.zoom} ({self.x}, {self.y}): {self.count}"

    @property
    def centroid(self) -> tuple[float, float]:
        return self.lat_sum / self.count, self.lon_sum / self.count
