"""Celery tasks of the cooperation app: thin adapters that take primary keys, call a service."""

from cooperation.tasks import admission, listings  # noqa: F401
