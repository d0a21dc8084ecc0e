import http.client
import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser
from urllib.parse import urlencode, urlsplit

import pytest
import yaml
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse

from directory.models import ActorChange, CorrectionReport
from ess_platform.lib.env import parse_email_url
from tests.factories import ActorFactory, MembershipFactory, sector


def test_console_email_url():
    assert parse_email_url("console://") == {
        "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"
    }


def test_file_email_url():
    assert parse_email_url("file:///var/mail/ess") == {
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": "/var/mail/ess",
    }


def test_smtp_email_url_with_starttls():
    config = parse_email_url("smtp://user%40example.org:p%40ss%3Aword@smtp.example.org:587?tls=1")

    assert config == {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "smtp.example.org",
        "EMAIL_PORT": 587,
        # Providers often use the address as the login: it arrives percent-encoded.
        "EMAIL_HOST_USER": "user@example.org",
        "EMAIL_HOST_PASSWORD": "p@ss:word",
        "EMAIL_USE_SSL": False,
        "EMAIL_USE_TLS": True,
    }


def test_smtps_email_url_uses_implicit_tls_on_port_465():
    config = parse_email_url("smtps://relay.example.org")

    assert config["EMAIL_PORT"] == 465
    assert config["EMAIL_USE_SSL"] is True
    assert config["EMAIL_USE_TLS"] is False
    assert config["EMAIL_HOST_USER"] == ""


def test_plain_smtp_email_url_defaults_to_port_25_without_tls():
    config = parse_email_url("smtp://localhost")

    assert (config["EMAIL_PORT"], config["EMAIL_USE_TLS"], config["EMAIL_USE_SSL"]) == (
        25,
        False,
        False,
    )


@pytest.mark.parametrize("url", ["imap://mail.example.org", "smtp.example.org", ""])
def test_unsupported_email_url_is_refused(url):
    with pytest.raises(ValueError, match="EMAIL_URL"):
        parse_email_url(url)


def _import_settings(**env: str) -> subprocess.CompletedProcess:
    """Import the production settings in a fresh interpreter with only `env` set."""
    clean_env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), **env}
    return subprocess.run(
        [sys.executable, "-c", "import ess_platform.settings"],
        cwd=settings.BASE_DIR,
        env=clean_env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    """`python manage.py …` as an operator or cron runs it: only `env` set, nothing else."""
    return subprocess.run(  # noqa: S603 - this interpreter and the tests' own arguments
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = _import_settings(DATABASE_URL="postgres://ess@db.example.org/ess")

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY" in result.stderr


def test_a_command_without_a_production_secret_key_says_which_variable_is_missing():
    result = _manage("check_freshness", DATABASE_URL="postgres://ess@db.example.org/ess")

    assert result.returncode == 1
    assert "Unknown command" not in result.stderr
    assert result.stderr.startswith("Configuration error: SECRET_KEY is not set.")
    assert "Traceback" not in result.stderr


def test_embedded_debug_run_needs_no_configuration(tmp_path):
    result = _import_settings(DEBUG="1", SECRET_KEY_FILE=str(tmp_path / "key"))

    assert result.returncode == 0, result.stderr


def test_the_embedded_setup_runs_its_cron_commands_with_no_variable_at_all(tmp_path):
    """README: `0 6 * * * cd /srv/ess && .venv/bin/python manage.py check_freshness`, with
    neither DEBUG nor SECRET_KEY; the key is made once and kept for every later command."""
    database = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    key_file = tmp_path / "secret_key"
    environment = {"DATABASE_URL": database, "SECRET_KEY_FILE": str(key_file)}
    assert _manage("migrate", "--noinput", **environment).returncode == 0

    result = _manage("check_freshness", **environment)

    assert result.returncode == 0, result.stderr
    assert "Unknown command" not in result.stderr
    key = key_file.read_text()
    assert len(key.strip()) >= 50
    assert key_file.stat().st_mode & 0o777 == 0o600
    assert _manage("check_freshness", **environment).returncode == 0
    assert key_file.read_text() == key


def test_the_key_file_is_written_once_even_by_processes_starting_together(tmp_path):
    key_file = tmp_path / "secret_key"
    code = (
        "import sys, pathlib; from ess_platform.lib.env import local_secret_key; "
        "print(local_secret_key(pathlib.Path(sys.argv[1])))"
    )
    starts = [
        subprocess.Popen(  # noqa: S603 - a fixed command line
            [sys.executable, "-c", code, str(key_file)],
            cwd=settings.BASE_DIR,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    keys = {process.communicate(timeout=60)[0].strip() for process in starts}

    assert keys == {key_file.read_text().strip()}
    assert [p.name for p in tmp_path.iterdir()] == ["secret_key"]  # no temporary file left


def test_the_secret_key_file_is_not_committed():
    ignored = (settings.BASE_DIR / ".gitignore").read_text().splitlines()

    assert "/.secret_key" in ignored


def _proxy_and_api_settings(**env: str) -> dict:
    """ALLAUTH_TRUSTED_PROXY_COUNT and REST_FRAMEWORK of the settings imported with `env`."""
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import json, ess_platform.settings as s; print(json.dumps("
            "{'allauth': s.ALLAUTH_TRUSTED_PROXY_COUNT, 'drf': s.REST_FRAMEWORK}))",
        ],
        cwd=settings.BASE_DIR,
        env={
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "DEBUG": "1",
            "SECRET_KEY": "test-settings-key",
            **env,
        },
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_no_proxy_is_trusted_by_default():
    values = _proxy_and_api_settings()

    assert values["allauth"] == 0
    # None (DRF's default) would make the throttles trust the whole X-Forwarded-For header.
    assert values["drf"]["NUM_PROXIES"] == 0


def test_trusted_proxy_count_feeds_allauth_and_the_api_throttles():
    values = _proxy_and_api_settings(TRUSTED_PROXY_COUNT="1")

    assert values["allauth"] == 1
    assert values["drf"]["NUM_PROXIES"] == 1


def test_export_rate_comes_from_the_environment():
    assert _proxy_and_api_settings()["drf"]["DEFAULT_THROTTLE_RATES"]["exports"] == "30/hour"
    values = _proxy_and_api_settings(API_EXPORT_RATE="5/day")
    assert values["drf"]["DEFAULT_THROTTLE_RATES"]["exports"] == "5/day"


def test_the_web_service_trusts_the_tls_proxy_in_front_of_it():
    compose = yaml.safe_load((settings.BASE_DIR / "docker-compose.yml").read_text())
    environment = compose["services"]["web"]["environment"]

    assert environment["TRUSTED_PROXY_COUNT"] == "${TRUSTED_PROXY_COUNT:-1}"
    # The web service's own environment block still carries the shared variables.
    assert environment["DEBUG"] == "0"
    assert environment["DATABASE_URL"].startswith("postgres://")


# --- Static files: one collection serves both modes ---------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


@pytest.fixture
def served_without_debug(tmp_path):
    """The checkout as `make setup` leaves it (static files collected with DEBUG on), then
    served by gunicorn with DEBUG off, as an operator trying production would."""
    environment = {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "SECRET_KEY": "static-files-test-key",
        "STATIC_ROOT": str(tmp_path / "static"),
        "SECURE_SSL_REDIRECT": "0",
        "TILES_URL": "",
        "GEOCODER_URL": "",
    }
    assert _manage("migrate", "--noinput", **environment).returncode == 0
    collected = _manage("collectstatic", "--noinput", "--verbosity", "0", DEBUG="1", **environment)
    assert collected.returncode == 0, collected.stderr
    port = _free_port()
    command = [sys.executable, "-m", "gunicorn", "ess_platform.wsgi", "--workers", "1"]
    server = subprocess.Popen(  # noqa: S603 - a fixed command line
        [*command, "--bind", f"127.0.0.1:{port}"],
        cwd=settings.BASE_DIR,
        env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "DEBUG": "0", **environment},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert server.poll() is None, server.stderr.read()
                time.sleep(0.1)
        yield base
    finally:
        server.terminate()
        server.communicate(timeout=30)


def test_static_files_collected_by_make_setup_serve_with_debug_off(served_without_debug):
    status, home = _get(f"{served_without_debug}/")

    assert status == 200, home[-2000:]
    favicon = re.search(r'<link rel="icon" href="([^"]+)"', home).group(1)
    # The manifest's hashed name, so browsers may cache it for ever.
    assert re.fullmatch(r"/static/img/favicon\.[0-9a-f]{12}\.svg", favicon)
    assert _get(f"{served_without_debug}{favicon}")[0] == 200
    status, missing = _get(f"{served_without_debug}/page-qui-n-existe-pas/")
    assert status == 404
    assert "Page introuvable" in missing


# --- The embedded database under concurrent writes ----------------------------------------


class _FormFields(HTMLParser):
    """The fields a browser would send with the form holding `field` (no files)."""

    def __init__(self, field: str):
        super().__init__()
        self.field, self.forms, self.current = field, [], None
        self.select, self.textarea = None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.current = []
            self.forms.append(self.current)
        elif self.current is None or ("name" not in attrs and tag != "option"):
            return
        elif tag == "input" and attrs.get("type") not in {"file", "submit", "button"}:
            if attrs.get("type") not in {"checkbox", "radio"} or "checked" in attrs:
                self.current.append((attrs["name"], attrs.get("value") or ""))
        elif tag == "select":
            self.select = attrs["name"]
        elif tag == "option" and self.select and "selected" in attrs:
            self.current.append((self.select, attrs.get("value", "")))
        elif tag == "textarea":
            self.textarea = [attrs["name"], ""]

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "select":
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            self.current.append((self.textarea[0], self.textarea[1].removeprefix("\n")))
            self.textarea = None
        elif tag == "form":
            self.current = None

    def of(self, html: str) -> list[tuple[str, str]]:
        self.feed(html)
        (form,) = [f for f in self.forms if any(name == self.field for name, _ in f)]
        return form


def _post_at_once(url: str, bodies: list[dict | list], headers: list[dict]) -> list[int]:
    """POST each body from its own thread, all released together; the status codes."""
    start = threading.Barrier(len(bodies))

    def post(body, extra_headers):
        connection = http.client.HTTPConnection(urlsplit(url).netloc, timeout=120)
        encoded = urlencode(body, doseq=True)
        start.wait()
        connection.request(
            "POST",
            urlsplit(url).path,
            encoded,
            {"Content-Type": "application/x-www-form-urlencoded", **extra_headers},
        )
        status = connection.getresponse().status
        connection.close()
        return status

    with ThreadPoolExecutor(max_workers=len(bodies)) as pool:
        return list(pool.map(post, bodies, headers))


CONCURRENT = 20
CSRF_SECRET = "c" * 32  # a browser's CSRF cookie; the form sends the same secret back


@pytest.fixture
def file_database():
    """The database the live server writes to is a file (settings_test), as the embedded
    setup's, not SQLite's in-memory database."""
    name = connection.settings_dict["NAME"]
    if connection.vendor == "sqlite":
        assert name and "memory" not in name and os.path.exists(name), name
    return name


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("file_database")
def test_concurrent_edits_of_one_profile_are_applied_or_refused_never_an_error(
    live_server, network, nantes
):
    actor = ActorFactory(network=network, commune=nantes, sectors=[sector("recyclerie")])
    member = MembershipFactory(actor=actor).user
    browser = Client()
    browser.force_login(member)
    cookies = (
        f"{settings.SESSION_COOKIE_NAME}={browser.cookies[settings.SESSION_COOKIE_NAME].value}"
    )
    cookies += f"; {settings.CSRF_COOKIE_NAME}={CSRF_SECRET}"
    url = f"{live_server.url}{reverse('directory:actor_edit', args=[actor.slug])}"
    form = _FormFields("short_description").of(browser.get(url).content.decode())
    bodies = []
    for i in range(CONCURRENT):
        fields = [(n, v) for n, v in form if n not in {"short_description", "csrfmiddlewaretoken"}]
        bodies.append(
            [*fields, ("short_description", f"Version {i}"), ("csrfmiddlewaretoken", CSRF_SECRET)]
        )
    edits_before = actor.changes.filter(source=ActorChange.Source.EDIT).count()

    statuses = _post_at_once(url, bodies, [{"Cookie": cookies}] * CONCURRENT)

    # 302: saved; 200: the form again, refused with a message (someone saved meanwhile).
    assert set(statuses) <= {200, 302}, statuses
    applied = statuses.count(302)
    assert applied >= 1
    actor.refresh_from_db()
    assert actor.short_description in {f"Version {i}" for i in range(CONCURRENT)}
    edits = actor.changes.filter(source=ActorChange.Source.EDIT).count() - edits_before
    assert edits == applied


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("file_database")
def test_concurrent_correction_reports_from_many_addresses_are_all_recorded(
    live_server, network, nantes, settings
):
    # One proxy in front, as in production: each report comes from its own address.
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    actor = ActorFactory(network=network, commune=nantes, sectors=[sector("recyclerie")])
    MembershipFactory(actor=actor)
    url = f"{live_server.url}{reverse('directory:correction_report_create', args=[actor.slug])}"
    bodies = [
        {
            "field": "phone",
            "proposed_value": f"02 40 00 00 {i:02d}",
            "comment": "",
            "reporter_email": f"temoin{i}@example.org",
            "homepage": "",
            "csrfmiddlewaretoken": CSRF_SECRET,
        }
        for i in range(CONCURRENT)
    ]
    headers = [
        {"Cookie": f"{settings.CSRF_COOKIE_NAME}={CSRF_SECRET}", "X-Forwarded-For": f"192.0.2.{i}"}
        for i in range(1, CONCURRENT + 1)
    ]

    statuses = _post_at_once(url, bodies, headers)

    assert statuses == [302] * CONCURRENT
    assert CorrectionReport.objects.filter(actor=actor).count() == CONCURRENT
