import json
import os
import subprocess
import sys

import pytest
import yaml
from django.conf import settings

from ess_platform.lib.env import parse_email_url


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


def test_production_refuses_to_start_without_a_secret_key():
    result = _import_settings()  # DEBUG is off by default

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY" in result.stderr


def test_embedded_debug_run_needs_no_configuration():
    result = _import_settings(DEBUG="1")

    assert result.returncode == 0, result.stderr


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
        env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "DEBUG": "1", **env},
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
