"""Test settings: the real settings, made hermetic and fast."""

import os
import tempfile
from pathlib import Path

os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("SECURE_COOKIES", "false")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
# Tests start their own BAN-format geocoder when they need one; never the real one.
os.environ.setdefault("GEOCODER_URL", "")
os.environ.setdefault("TILES_URL", "")
os.environ.setdefault("EMAIL_URL", "locmem://")
# A task lost with a SIGKILLed worker comes back within seconds, not an hour (the tests of
# the real worker kill it on purpose); tasks under test take far less than this.
os.environ.setdefault("CELERY_VISIBILITY_TIMEOUT", "10")

from ess_platform.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# WhiteNoise's manifest storage breaks live_server tests (see CI.md).
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(BASE_DIR / "var" / "test-private"), "base_url": None},  # noqa: F405
    },
}
MEDIA_ROOT = BASE_DIR / "var" / "test-media"  # noqa: F405
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_CLASSES": []}  # noqa: F405
# WhiteNoise warns when STATIC_ROOT is missing; tests serve static files through finders.
STATIC_ROOT = BASE_DIR / "var" / "test-static"  # noqa: F405
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
WHITENOISE_USE_FINDERS = True
# Tasks run in the test process, so e-mails land in mail.outbox; the tests marked
# celery_worker switch this off and go through Redis and a real worker.
CELERY_TASK_ALWAYS_EAGER = True
# SQLite tests run on a file, as the embedded setup does, not on SQLite's shared in-memory
# database: its locking is another mechanism (the busy timeout does not apply), and the live
# server would share the test's one connection across its threads. One file per test
# process: several runs may share the machine.
if EMBEDDED:  # noqa: F405
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": str(Path(tempfile.gettempdir()) / f"ess-test-{os.getpid()}.sqlite3")
    }
