import contextlib
import json
import os
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings as django_settings
from django.utils import translation

# Playwright's sync API runs an event loop in the test thread (see CI.md).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from tests.factories import (
    ActorFactory,
    CommuneFactory,
    MembershipFactory,
    NetworkFactory,
    UserFactory,
)

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"


DB_FIXTURES = {"db", "transactional_db", "live_server", "django_db_reset_sequences"}


@pytest.fixture(autouse=True)
def _site_language():
    """Each test starts in the site's language, as each real request does: a request in
    English (Accept-Language, the language switch) leaves the test thread in English."""
    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.activate(django_settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _sector_taxonomy(request):
    """The taxonomy and the Site come from data migrations; a transactional test's flush
    empties them, so put them back for whichever test comes next."""
    if request.node.get_closest_marker("django_db") is None and not (
        DB_FIXTURES & set(request.fixturenames)
    ):
        return
    request.getfixturevalue("_django_db_helper")
    from directory.models import Sector
    from directory.seed.sectors import seed_sectors

    if not Sector.objects.exists():
        seed_sectors(Sector)
    # The Site row (allauth's pages and e-mails need it) comes from migrations too.
    from django.conf import settings
    from django.contrib.sites.models import Site

    Site.objects.clear_cache()
    Site.objects.get_or_create(
        pk=settings.SITE_ID, defaults={"domain": "testserver", "name": "Plateforme ESS"}
    )


@pytest.fixture
def nantes(db):
    return CommuneFactory(insee="44109", name="Nantes", department="44", lat=47.2184, lon=-1.5536)


@pytest.fixture
def reze(db):
    return CommuneFactory(insee="44143", name="Rezé", department="44", lat=47.1917, lon=-1.5695)


@pytest.fixture
def network(nantes, reze):
    return NetworkFactory(name="Pôle ESS Nantes", slug="pole-ess-nantes", communes=[nantes, reze])


@pytest.fixture
def other_network(db):
    lyon = CommuneFactory(insee="69123", name="Lyon", department="69", lat=45.7677, lon=4.8354)
    return NetworkFactory(name="Réseau ESS Lyon", slug="reseau-ess-lyon", communes=[lyon])


@pytest.fixture
def animator(network):
    user = UserFactory(username="animatrice")
    network.animators.add(user)
    return user


@pytest.fixture
def other_animator(other_network):
    user = UserFactory(username="animateur-lyon")
    other_network.animators.add(user)
    return user


@pytest.fixture
def actor(network, nantes):
    return ActorFactory(network=network, commune=nantes, name="Recyclerie du Port")


@pytest.fixture
def member(actor):
    return MembershipFactory(actor=actor, user=UserFactory(username="membre")).user


@pytest.fixture
def other_member(network, reze):
    other = ActorFactory(network=network, commune=reze, name="Épicerie solidaire de Rezé")
    return MembershipFactory(actor=other, user=UserFactory(username="autre-membre")).user


@pytest.fixture
def user(db):
    return UserFactory(username="citoyenne")


# --- A geocoder on this machine (tests/lib/test_geo.py, tests/directory/test_actors_*.py): the
# real client code runs against a local HTTP server speaking the BAN format; only the server is
# ours.


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


def _missing_service(item) -> str | None:
    from django.conf import settings
    from django.db import connection

    if item.get_closest_marker("postgres") and connection.vendor != "postgresql":
        return "needs PostgreSQL (set DATABASE_URL=postgres://…)"
    if item.get_closest_marker("celery_worker") and not settings.CELERY_BROKER_URL:
        return "needs a Redis broker and a Celery worker (set CELERY_BROKER_URL=redis://…)"
    if item.get_closest_marker("e2e") and not os.path.exists(CHROMIUM):
        return f"needs Chromium at {CHROMIUM}"
    return None


CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


def pytest_runtest_setup(item):
    """Service-bound tests skip on a bare laptop, but fail in CI (REQUIRE_SERVICES=1)."""
    reason = _missing_service(item)
    if reason:
        if REQUIRE_SERVICES:
            pytest.fail(f"REQUIRE_SERVICES=1 but this test {reason}", pytrace=False)
        pytest.skip(reason)


def pytest_sessionfinish(session):
    """The SQLite test database is a file in WAL mode (settings_test): Django deletes the
    file when the run ends, not the write-ahead log and its index beside it."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    name = database.get("TEST", {}).get("NAME")
    if not name or database["ENGINE"] != "django.db.backends.sqlite3" or os.path.exists(name):
        return
    for suffix in ("-wal", "-shm"):
        with contextlib.suppress(FileNotFoundError):
            os.remove(f"{name}{suffix}")
