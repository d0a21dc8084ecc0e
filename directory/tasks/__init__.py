"""Celery tasks: thin adapters that take primary keys and call the services.

One module per feature. Celery's autodiscovery imports `directory.tasks`; importing the
modules here registers every task in the worker. Services queue them by dotted path
(ess_platform.lib.tasks.queue_on_commit), so this package imports the services and never
the reverse.
"""

from directory.tasks import freshness, imports  # noqa: F401
