"""Geography: France's bounds and the BAN-format geocoder client."""

import json
import logging
from dataclasses import dataclass
from urllib.error import URLError
from urllib.parse import urlencode
from urllib.request import Request, urlopen

from django.conf import settings

logger = logging.getLogger(__name__)

# (south, west, north, east) of metropolitan France, Corsica and the overseas territories.
FRANCE_BOXES = [
    (41.2, -5.5, 51.2, 9.7),  # metropolitan France and Corsica
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


def in_france(lat: float, lon: float) -> bool:
    return any(s <= lat <= n and w <= lon <= e for s, w, n, e in FRANCE_BOXES)


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
