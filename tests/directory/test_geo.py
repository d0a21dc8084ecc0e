"""The geocoder client against a local HTTP server speaking the BAN format: the real client
code runs, only the server is ours."""

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

from directory.services.actors import locate
from ess_platform.lib import geo


class BanHandler(BaseHTTPRequestHandler):
    answers: dict = {}
    requests: list = []

    def do_GET(self):
        parts = urlsplit(self.path)
        query = parse_qs(parts.query)
        self.requests.append((parts.path, query))
        answer = self.answers.get(query.get("q", [""])[0])
        body = {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "geometry": {"type": "Point", "coordinates": [answer[1], answer[0]]},
                    "properties": {"label": "adresse", "score": 0.93, "citycode": "44109"},
                }
            ]
            if answer
            else [],
        }
        payload = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        pass


@pytest.fixture
def ban_server(settings):
    BanHandler.answers = {"2 rue de la Paix": (47.2139, -1.5597)}
    BanHandler.requests = []
    server = HTTPServer(("127.0.0.1", 0), BanHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.GEOCODER_URL = f"http://127.0.0.1:{server.server_port}"
    yield BanHandler
    server.shutdown()
    server.server_close()


def test_geocoder_answer_is_read_in_ban_format(ban_server):
    result = geo.geocode(address="2 rue de la Paix", postcode="44000", citycode="44109")
    assert (result.lat, result.lon) == (47.2139, -1.5597)
    path, query = ban_server.requests[0]
    assert path == "/search/" and query["postcode"] == ["44000"] and query["citycode"] == ["44109"]


def test_unknown_address_falls_back_on_the_commune(ban_server, nantes):
    location = locate(address="nulle part", postcode="", commune=nantes, lat=None, lon=None)
    assert (location.lat, location.lon, location.source) == (nantes.lat, nantes.lon, "commune")


def test_unreachable_geocoder_falls_back_on_the_commune(settings, nantes):
    settings.GEOCODER_URL = "http://127.0.0.1:9"  # discard port: connection refused
    location = locate(address="2 rue de la Paix", postcode="", commune=nantes, lat=None, lon=None)
    assert location.source == "commune"


def test_a_pin_placed_by_hand_wins_and_must_be_in_france(ban_server, nantes):
    location = locate(address="2 rue de la Paix", postcode="", commune=nantes, lat=47.3, lon=-1.6)
    assert (location.lat, location.lon, location.source) == (47.3, -1.6, "manual")
    with pytest.raises(Exception, match="hors de France"):
        locate(address="", postcode="", commune=nantes, lat=51.5, lon=-0.12)  # London


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


def test_member_form_geocodes_the_address_when_the_pin_is_not_moved(
    client, ban_server, member, actor
):
    from django.urls import reverse

    from tests.factories import sector

    client.force_login(member)
    data = {
        "name": actor.name,
        "legal_form": actor.legal_form,
        "short_description": actor.short_description,
        "commune": actor.commune.insee,
        "sectors": [sector("recyclerie").pk],
        "intervention_radius_km": 20,
        "address": "2 rue de la Paix",
        "lat": actor.lat,
        "lon": actor.lon,
    }
    client.post(reverse("directory:actor_edit", args=[actor.slug]), data)
    actor.refresh_from_db()
    assert (actor.lat, actor.lon) == (47.2139, -1.5597)
    # Unknown address: the commune is used and the member is told to move the pin.
    data.update(address="nulle part", lat=actor.lat, lon=actor.lon)
    response = client.post(reverse("directory:actor_edit", args=[actor.slug]), data, follow=True)
    assert "Déplacez-le sur la carte" in response.content.decode()
