"""Geography: France's bounds and the BAN-format geocoder client."""

import json
import logging
import math
from dataclasses import dataclass
from urllib.error import URLError
from urllib.parse import urlencode
from urllib.request import Request, urlopen

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import F
from django.db.models.functions import ASin, Cos, Power, Radians, Sin, Sqrt
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

# A rough outline of mainland France (lon, lat), about 20 km outside the coast and borders.
# It refuses obviously wrong coordinates (swapped latitude and longitude, another country),
# not a point a few kilometres across a border.
MAINLAND = [
    (-1.9, 43.3), (3.3, 42.3), (4.5, 43.1), (5.2, 43.0), (6.3, 42.9), (7.6, 43.55),
    (7.8, 43.8), (6.9, 44.4), (7.2, 45.2), (7.1, 45.95), (6.8, 46.4), (6.1, 46.45),
    (7.0, 47.45), (7.65, 47.55), (8.3, 48.98), (6.4, 49.5), (4.85, 50.2), (2.55, 51.15),
    (1.4, 51.1), (-2.0, 49.8), (-5.3, 48.7), (-4.9, 47.6), (-2.6, 46.6), (-1.6, 45.5),
    (-1.4, 44.3),
]  # fmt: skip

# The outline is coarse: points this close outside it still count (mountain borders).
BORDER_KM = 25

# (south, west, north, east) of Corsica and the overseas territories.
BOXES = [
    (41.3, 8.5, 43.1, 9.6),  # Corse
    (15.8, -61.9, 16.6, -60.9),  # Guadeloupe
    (14.3, -61.3, 14.9, -60.7),  # Martinique
    (2.0, -54.7, 5.9, -51.5),  # Guyane
    (-21.5, 55.1, -20.8, 55.9),  # La Réunion
    (-13.1, 44.9, -12.5, 45.4),  # Mayotte
    (46.7, -56.5, 47.2, -56.1),  # Saint-Pierre-et-Miquelon
    (17.8, -63.2, 18.2, -62.7),  # Saint-Martin, Saint-Barthélemy
    (-28.0, -155.0, -7.0, -134.0),  # Polynésie française
    (-23.0, 163.5, -19.5, 168.2),  # Nouvelle-Calédonie
    (-14.4, -178.3, -13.1, -176.0),  # Wallis-et-Futuna
]


def _in_polygon(lon: float, lat: float, polygon: list[tuple[float, float]]) -> bool:
    """Ray casting: count the edges a ray going east from the point crosses."""
    inside = False
    for (x1, y1), (x2, y2) in zip(polygon, polygon[1:] + polygon[:1], strict=True):
        if (y1 > lat) != (y2 > lat) and lon < x1 + (lat - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


def _km_to_outline(lon: float, lat: float, polygon: list[tuple[float, float]]) -> float:
    """Distance to the nearest edge, on a local flat projection (fine at this scale)."""
    kx, ky = 111.2 * math.cos(math.radians(lat)), 111.2
    best = math.inf
    for (x1, y1), (x2, y2) in zip(polygon, polygon[1:] + polygon[:1], strict=True):
        ax, ay, bx, by = (x1 - lon) * kx, (y1 - lat) * ky, (x2 - lon) * kx, (y2 - lat) * ky
        dx, dy = bx - ax, by - ay
        t = max(0.0, min(1.0, -(ax * dx + ay * dy) / (dx * dx + dy * dy)))
        best = min(best, math.hypot(ax + t * dx, ay + t * dy))
    return best


def in_france(lat: float, lon: float) -> bool:
    if any(s <= lat <= n and w <= lon <= e for s, w, n, e in BOXES):
        return True
    return _in_polygon(lon, lat, MAINLAND) or _km_to_outline(lon, lat, MAINLAND) <= BORDER_KM


def validate_in_france(lat: float, lon: float) -> None:
    """The one check of a position entered by a person, by hand or through the admin."""
    if not in_france(lat, lon):
        raise ValidationError(
            {"lat": _("Ces coordonnées sont hors de France (métropole et outre-mer).")}
        )


@dataclass(frozen=True)
class GeocodeResult:
    lat: float
    lon: float
    label: str
    citycode: str
    score: float


def geocode(*, address: str, postcode: str = "", citycode: str = "") -> GeocodeResult | None:
    """Ask the BAN-format geocoder (`GEOCODER_URL/search/`) for the best match.

    Returns None when no geocoder is configured, it cannot be reached, or it finds nothing;
    the caller then falls back on the commune's coordinates and tells the member.
    """
    if not settings.GEOCODER_URL or not address.strip():
        return None
    params = {"q": address, "limit": 1}
    if postcode:
        params["postcode"] = postcode
    if citycode:
        params["citycode"] = citycode
    url = f"{settings.GEOCODER_URL}/search/?{urlencode(params)}"
    if not url.startswith(("http://", "https://")):
        logger.error("GEOCODER_URL must be an http(s) URL: %s", settings.GEOCODER_URL)
        return None
    request = Request(url, headers={"Accept": "application/json"})  # noqa: S310 - checked above
    try:
        with urlopen(request, timeout=settings.GEOCODER_TIMEOUT) as response:  # noqa: S310
            payload = json.load(response)
    except (URLError, TimeoutError, OSError, ValueError) as exc:
        logger.warning("Geocoder unavailable: %s", exc)
        return None
    for feature in payload.get("features") or []:
        try:
            lon, lat = feature["geometry"]["coordinates"][:2]
            props = feature.get("properties") or {}
            return GeocodeResult(
                lat=float(lat),
                lon=float(lon),
                label=str(props.get("label", "")),
                citycode=str(props.get("citycode", "")),
                score=float(props.get("score", 0)),
            )
        except (KeyError, TypeError, ValueError):
            logger.warning("Geocoder answered an unexpected feature: %r", feature)
    return None


# --- Points in querysets ----------------------------------------------------------------------

EARTH_RADIUS_KM = 6371.0
KM_PER_DEGREE = 111.2


def in_bbox(queryset, *, west: float, south: float, east: float, north: float, prefix: str = ""):
    """Rows whose point (`<prefix>lat`, `<prefix>lon` columns) lies in the box."""
    return queryset.filter(
        **{
            f"{prefix}lat__gte": south,
            f"{prefix}lat__lte": north,
            f"{prefix}lon__gte": west,
            f"{prefix}lon__lte": east,
        }
    )


def near(queryset, lat: float, lon: float, *, km: float, prefix: str = ""):
    """Rows within `km` of a point, annotated with `distance_km`, nearest first: for any
    model with `lat`/`lon` columns (or `<prefix>lat` through a relation).

    A bounding box on the indexed columns narrows the rows before the haversine distance is
    computed, so the cost follows the area searched, not the table size. Plain columns and
    arithmetic, so SQLite and PostgreSQL share this code (no PostGIS)."""
    lat_col, lon_col = F(f"{prefix}lat"), F(f"{prefix}lon")
    dlat = km / KM_PER_DEGREE
    dlon = km / (KM_PER_DEGREE * max(math.cos(math.radians(lat)), 0.01))
    hav = Power(Sin(Radians(lat_col - lat) / 2), 2) + Cos(Radians(lat_col)) * math.cos(
        math.radians(lat)
    ) * Power(Sin(Radians(lon_col - lon) / 2), 2)
    return (
        in_bbox(
            queryset,
            west=lon - dlon,
            south=lat - dlat,
            east=lon + dlon,
            north=lat + dlat,
            prefix=prefix,
        )
        .annotate(distance_km=2 * EARTH_RADIUS_KM * ASin(Sqrt(hav)))
        .filter(distance_km__lte=km)
        .order_by("distance_km")
    )
