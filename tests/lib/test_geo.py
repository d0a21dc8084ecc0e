"""France's bounds and the geocoder client (ess_platform.lib.geo), against a fake BAN server."""

import pytest

from ess_platform.lib import geo


def test_geocoder_answer_is_read_in_ban_format(ban_server):
    result = geo.geocode(address="2 rue de la Paix", postcode="44000", citycode="44109")
    assert (result.lat, result.lon) == (47.2139, -1.5597)
    path, query = ban_server.requests[0]
    assert path == "/search/" and query["postcode"] == ["44000"] and query["citycode"] == ["44109"]


@pytest.mark.parametrize(
    ("lat", "lon", "inside"),
    [
        (48.8566, 2.3522, True),  # Paris
        (42.70, 9.45, True),  # Bastia
        (-20.88, 55.45, True),  # Saint-Denis, La Réunion
        (4.93, -52.33, True),  # Cayenne
        (-22.27, 166.44, True),  # Nouméa
        (50.63, 3.06, True),  # Lille
        (48.58, 7.75, True),  # Strasbourg
        (43.30, 5.37, True),  # Marseille
        (43.48, -1.56, True),  # Biarritz
        (48.39, -4.49, True),  # Brest
        (47.33, -3.18, True),  # Belle-Île
        (43.70, 7.26, True),  # Nice
        (50.85, 4.35, False),  # Brussels
        (51.51, -0.13, False),  # London
        (46.2, -1.5 - 10, False),  # Atlantic
        (-1.55, 47.2, False),  # Nantes with latitude and longitude swapped
        (40.42, -3.70, False),  # Madrid
        (0.0, 0.0, False),
    ],
)
def test_france_bounds(lat, lon, inside):
    assert geo.in_france(lat, lon) is inside
