"""Celery tasks of the tenders app: thin adapters that take primary keys, call a service."""
