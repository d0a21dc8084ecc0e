"""Tasks of the alerts: thin adapters over cooperation.services.alerts."""

from dataclasses import asdict

from celery import shared_task

from cooperation.services.alerts import listing_alerts_send


@shared_task
def alert_new_listing(listing_id: int) -> dict:
    """Queued on commit by services.listings.listing_publish. Idempotent: each alert is owed
    under a key naming the listing and the person, so a redelivered task owes nothing."""
    return asdict(listing_alerts_send(listing_id=listing_id))
