"""Settings for the ESS platform.

Configuration comes only from environment variables. Every variable has a safe default
for the embedded run (`make run`): SQLite, Celery tasks executed eagerly, e-mail printed to
the console. Setting DATABASE_URL, CELERY_BROKER_URL, EMAIL_URL, GEOCODER_URL and TILES_URL
switches to the production parts; DEBUG is off unless asked for.
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
import leaflet
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from ess_platform.lib.env import env_bool, env_int, env_list, local_secret_key, parse_email_url

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", default=False)

# --- Database ---------------------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", default=60),
        conn_health_checks=True,
    )
}
# The embedded setup: one machine, SQLite, nothing configured.
EMBEDDED = DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"
if EMBEDDED:
    # Several requests write at once (gunicorn or runserver threads, cron commands). SQLite
    # takes one writer at a time: IMMEDIATE takes the write lock when a transaction begins,
    # so a transaction that read first cannot fail to upgrade its lock ("database is
    # locked", at once, whatever the timeout); the timeout makes a writer wait for the lock
    # instead of failing; WAL lets pages read while someone writes, and synchronous=NORMAL
    # is durable enough in WAL mode (a power cut may lose the last commits, never corrupt).
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": env_int("SQLITE_TIMEOUT_SECONDS", default=20),
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The embedded default runs with no configuration at all, cron commands included: without
# SECRET_KEY it keeps a key generated once in a git-ignored file. A database server means a
# real deployment, which must be given its key (one per deployment, kept out of the code).
if os.environ.get("SECRET_KEY"):
    SECRET_KEY = os.environ["SECRET_KEY"]
elif EMBEDDED or DEBUG:
    SECRET_KEY = local_secret_key(Path(os.environ.get("SECRET_KEY_FILE", BASE_DIR / ".secret_key")))
else:
    raise ImproperlyConfigured(
        "SECRET_KEY is not set. With DATABASE_URL pointing to a database server the "
        "platform needs its own secret key: generate one with "
        '`python3 -c "import secrets; print(secrets.token_urlsafe(64))"` and set SECRET_KEY '
        "in the environment (.env for docker compose)."
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django.contrib.sites",
    "django.contrib.sitemaps",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "csp",
    # Shared pieces that own tables (ess_platform/lib imports no app).
    "ess_platform.lib.outbox",
    # cooperation before directory: its `seed_demo` extends the directory's (the first
    # app listed answers a command name).
    "cooperation",
    "directory",
    "tenders",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "ess_platform.lib.security.PermissionsPolicyMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # After the session and the user it reads.
    "directory.middleware.TwoFactorRequiredMiddleware",
]

ROOT_URLCONF = "ess_platform.urls"
WSGI_APPLICATION = "ess_platform.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "directory.context_processors.platform",
                "directory.context_processors.two_factor",
                "cooperation.context_processors.admission",
                "cooperation.context_processors.conversations",
            ],
        },
    },
]

# --- Cache (rate limits of allauth and of public forms live here) ------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Celery -----------------------------------------------------------------------------
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", REDIS_URL)
# Without a broker, tasks run in-process: the embedded default needs no server.
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_TIMEZONE = "Europe/Paris"
# Tasks are acknowledged once they ran (ACKS_LATE): the message of a task whose worker died
# (SIGKILL, out of memory) stays "unacked" in Redis, and kombu puts it back on the queue once
# it is older than the visibility timeout, in a sweep every worker runs when it starts and
# then every `unacked_restore_interval` seconds. Keep it longer than any task (a slower task
# would be delivered twice; ours are idempotent, but the work would be done twice).
_visibility_timeout = env_int("CELERY_VISIBILITY_TIMEOUT", default=3600)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": _visibility_timeout,
    "unacked_restore_interval": max(1, min(60, _visibility_timeout // 10)),
    "unacked_restore_throttle": 1,  # scan on every sweep: one cheap ZRANGE
}
# The daily freshness pass (directory.services.freshness), early, before people read mail.
CELERY_BEAT_SCHEDULE: dict = {
    "freshness-daily-pass": {
        "task": "directory.tasks.freshness.run_freshness_pass",
        "schedule": crontab(hour=6, minute=0),  # CELERY_TIMEZONE: Europe/Paris
    },
    "listings-daily-expiry": {
        "task": "cooperation.tasks.listings.run_listings_expiry_pass",
        "schedule": crontab(hour=6, minute=45),
    },
    # The day after a joint need closes, its owner and participants get the final total.
    "joint-needs-daily-close": {
        "task": "cooperation.tasks.joint_needs.run_joint_needs_close_pass",
        "schedule": crontab(hour=6, minute=50),
    },
    "admission-daily-reminders": {
        "task": "cooperation.tasks.admission.send_admission_reminders",
        "schedule": crontab(hour=6, minute=30),
    },
    # Each owed e-mail is sent right after its commit; the sweep retries what a mail
    # server outage left behind.
    "outbox-sweep": {
        "task": "ess_platform.lib.outbox.tasks.send_outbox",
        "schedule": crontab(minute="*/10"),
    },
    "outbox-daily-digests": {
        "task": "ess_platform.lib.outbox.tasks.send_outbox_digests",
        "schedule": crontab(hour=7, minute=0),
    },
}

# --- Auth and accounts (django-allauth) --------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
# 12 characters at least (OWASP ASVS 5.0, V6.2.1), and none of the passwords every
# dictionary attack tries first.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
SITE_ID = 1
LOGIN_URL = "account_login"
# Members land on their structures, animators on their network's dashboard.
LOGIN_REDIRECT_URL = "directory:landing"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
# A reset request answers the same for known and unknown addresses.
ACCOUNT_PREVENT_ENUMERATION = True
# Failed sign-ins are counted per address and account (the key, see AccountAdapter): five
# wrong passwords from one address stop that address for that account for 5 minutes, while
# the member still signs in from anywhere else; an attacker cannot lock a member out. The
# per-address count stops one address from trying many accounts.
ACCOUNT_ADAPTER = "ess_platform.lib.security.AccountAdapter"
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
}
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[ESS] "
ACCOUNT_LOGOUT_ON_GET = False
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Plateforme ESS"
# Staff and animators must use a second factor; they have this many days from the first
# time they are seen with the role (directory.models.accounts).
MFA_GRACE_DAYS = env_int("MFA_GRACE_DAYS", default=7)
# Reverse proxies in front of the platform that append the client's address to
# X-Forwarded-For (1 behind the TLS proxy of docker-compose.yml). 0 trusts no proxy: the
# client is REMOTE_ADDR. A larger count than the real one lets clients pick their address.
# Read by allauth's rate limits (hence the correction reports') and by the API's throttles.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", default=0)
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT

# --- Internationalisation -----------------------------------------------------------------
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français")), ("en", _("Anglais"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

# --- Static and media files ----------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
# Leaflet ships with django-leaflet. Only its static files are used: the app itself is not
# installed because its admin module imports GeoDjango, which needs GDAL, and the platform
# stores plain latitude/longitude columns (DESIGN.md §2).
STATICFILES_DIRS = [BASE_DIR / "static", Path(leaflet.__file__).resolve().parent / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# One storage whatever DEBUG says, so `collectstatic` always writes the manifest and one
# collection serves both modes: with DEBUG on, pages link the files by their plain names
# and the manifest is not read.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    # Files only some people may read (an application's evidence): outside MEDIA_ROOT, served
    # by views that check permissions (ess_platform.lib.uploads.private_storage).
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {
            "location": os.environ.get("PRIVATE_MEDIA_ROOT", str(BASE_DIR / "var" / "private")),
            "base_url": None,
        },
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
LOGO_MAX_BYTES = 1024 * 1024
# How long a listing of the cooperation catalogue stays before its owner renews it.
LISTING_LIFETIME_DAYS = int(os.environ.get("LISTING_LIFETIME_DAYS", "91"))
# An application's evidence (a PDF or an image), stored privately.
EVIDENCE_MAX_BYTES = 5 * 1024 * 1024

# --- E-mail ---------------------------------------------------------------------------------
vars().update(parse_email_url(os.environ.get("EMAIL_URL", "console://")))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Plateforme ESS <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Map, geocoding --------------------------------------------------------------------------
# Any XYZ tile server; empty disables tiles (markers on a blank background).
TILES_URL = os.environ.get("TILES_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
TILES_ATTRIBUTION = os.environ.get("TILES_ATTRIBUTION", "© les contributeurs d'OpenStreetMap")
# An HTTP geocoder speaking the Base Adresse Nationale API format; empty means the shipped
# commune coordinates are used.
GEOCODER_URL = os.environ.get("GEOCODER_URL", "https://api-adresse.data.gouv.fr").rstrip("/")
GEOCODER_TIMEOUT = float(os.environ.get("GEOCODER_TIMEOUT", "3"))

# --- Data freshness (DESIGN.md §3) -----------------------------------------------------------
FRESHNESS_DUE_AFTER_MONTHS = env_int("FRESHNESS_DUE_AFTER_MONTHS", default=12)
FRESHNESS_GRACE_MONTHS = env_int("FRESHNESS_GRACE_MONTHS", default=1)
# Months without confirmation after which the animator is asked to archive (never deleted).
FRESHNESS_ARCHIVE_AFTER_MONTHS = env_int("FRESHNESS_ARCHIVE_AFTER_MONTHS", default=24)
# The second reminder goes out this many days before the "possibly outdated" mark.
FRESHNESS_SECOND_REMINDER_DAYS = env_int("FRESHNESS_SECOND_REMINDER_DAYS", default=7)
# How long the one-click links of a reminder e-mail work.
FRESHNESS_LINK_MAX_AGE_DAYS = env_int("FRESHNESS_LINK_MAX_AGE_DAYS", default=45)

# --- REST API ----------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "ess_platform.lib.api.StandardPagination",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.AnonRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("API_ANON_RATE", "600/min"),
        # Full-directory downloads (?format=csv|geojson), per user or per client address.
        "exports": os.environ.get("API_EXPORT_RATE", "30/hour"),
    },
    # Without it DRF takes the whole X-Forwarded-For header, which any client can write.
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "API de la plateforme ESS",
    "DESCRIPTION": "Annuaire des acteurs de l'économie sociale et solidaire d'un territoire.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# --- Security ------------------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
# Preloading commits the whole domain in browsers and is slow to undo: the operator of the
# domain opts in (hstspreload.org), not the application.
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=False)
SILENCED_SYSTEM_CHECKS = ["security.W021"]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

_tile_origin = "{0.scheme}://{0.netloc}".format(urlsplit(TILES_URL)) if TILES_URL else None
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"]
        + ([_tile_origin.replace("{s}.", "*.")] if _tile_origin else []),
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
