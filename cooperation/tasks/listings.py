"""Tasks of the catalogue: thin adapters over cooperation.services.listings."""

from dataclasses import asdict

from celery import shared_task

from cooperation.services.listings import listings_expiry_pass


@shared_task
def run_listings_expiry_pass() -> dict:
    """The daily pass (CELERY_BEAT_SCHEDULE); `manage.py expire_listings` does the same.
    Idempotent: a reminder is owed once per listing and expiry date, an expiry is claimed."""
    return asdict(listings_expiry_pass())
