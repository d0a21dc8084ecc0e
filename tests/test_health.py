import socket
import time

import pytest
from django.db import OperationalError

from ess_platform.lib import health

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed_port():
    """A local port that refuses connections: bound, so nobody else takes it, never listening."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        yield sock.getsockname()[1]


def test_health_answers_ok_on_the_embedded_default(client, settings):
    settings.CELERY_BROKER_URL = ""  # eager tasks: there is no broker to check

    response = client.get("/health/")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok"}}
    assert "no-cache" in response["Cache-Control"]


def test_health_reports_an_unreachable_broker_quickly(client, settings, closed_port):
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{closed_port}/0"

    started = time.monotonic()
    response = client.get("/health/")
    elapsed = time.monotonic() - started

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["broker"].startswith("error")
    # Load balancers give up after a few seconds: the probe must answer before that.
    assert elapsed < 5


def test_health_reports_a_database_failure(client, settings, monkeypatch):
    settings.CELERY_BROKER_URL = ""

    def database_down():
        raise OperationalError("connection refused")

    monkeypatch.setattr(health, "_check_database", database_down)

    response = client.get("/health/")

    assert response.status_code == 503
    assert response.json() == {
        "status": "error",
        "checks": {"database": "error: OperationalError"},
    }


@pytest.mark.celery_worker
def test_health_checks_the_real_broker(client):
    response = client.get("/health/")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "broker": "ok"}}
