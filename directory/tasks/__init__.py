"""Celery tasks: thin adapters that take primary keys and call the services.

One module per feature; importing them here registers every task in the worker (Celery's
autodiscovery imports `directory.tasks`) and keeps `tasks.<name>.delay()` working.
"""

from directory.tasks.members import (
    notify_join_request_created,
    notify_join_request_decided,
    send_invitation,
)

__all__ = ["notify_join_request_created", "notify_join_request_decided", "send_invitation"]

# Registered for the worker; each module owns its feature's tasks.
from directory.tasks import corrections, freshness, imports  # noqa: F401
