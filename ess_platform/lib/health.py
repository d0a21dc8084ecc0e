"""/health/: a JSON answer for load balancers and container orchestrators."""

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

# A probe must answer before the prober gives up (often 5 s): one attempt, short timeouts.
BROKER_TIMEOUT_SECONDS = 2


def _check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return "ok"


def _check_broker() -> str:
    # Imported when a broker is configured and checked: the embedded setup has none.
    from ess_platform.celery import app

    # The URL is read from the settings on each call, not from the Celery app's
    # configuration, which is frozen at its first use.
    with app.connection_for_write(
        url=settings.CELERY_BROKER_URL, connect_timeout=BROKER_TIMEOUT_SECONDS
    ) as conn:
        # max_retries=0: kombu would otherwise sleep and retry for as long as it is allowed.
        conn.ensure_connection(max_retries=0, timeout=BROKER_TIMEOUT_SECONDS)
    return "ok"


@never_cache
def health(request):
    """200 when the database, and the broker when one is configured, answer; 503 otherwise."""
    checks = {"database": _check_database}
    if settings.CELERY_BROKER_URL:
        checks["broker"] = _check_broker
    results, healthy = {}, True
    for name, check in checks.items():
        try:
            results[name] = check()
        except Exception as exc:  # any failure of a dependency is reported, not raised
            # The class name only: a message could carry a URL with its password.
            results[name] = f"error: {exc.__class__.__name__}"
            healthy = False
    return JsonResponse(
        {"status": "ok" if healthy else "error", "checks": results}, status=200 if healthy else 503
    )
