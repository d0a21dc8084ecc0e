"""Queue a Celery task once the current transaction commits.

Tasks are thin adapters that import the services they call; a service that starts a task
names it by its dotted path instead of importing it, so the arrow between the two layers
runs one way only (tasks → services) and no import cycle holds them together. The task is
looked up when the transaction commits, never before: a rolled-back write queues nothing,
and a worker never reads a row that is not committed yet.
"""

from django.db import transaction
from django.utils.module_loading import import_string


def queue_on_commit(task_path: str, *args) -> None:
    """`queue_on_commit("directory.tasks.imports.run_import", batch.pk)`: primary keys and
    plain values only (a task loads what it needs)."""
    transaction.on_commit(lambda: import_string(task_path).delay(*args))
