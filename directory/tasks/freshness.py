"""Tasks of the freshness feature: thin adapters over directory.services.freshness.

Both are idempotent (the pass claims work with conditional updates and unique notice rows;
the sender locks and re-checks each record), so a redelivery after a lost worker is safe.
"""

from celery import shared_task

from directory.services import freshness


@shared_task
def run_freshness_pass() -> dict:
    """The daily pass (CELERY_BEAT_SCHEDULE); `manage.py check_freshness` does the same."""
    return freshness.run_freshness_pass().as_dict()


@shared_task
def send_freshness_mail() -> dict:
    """Send the recorded, unsent reminders and digests (after the animator's "remind now")."""
    sent, skipped = freshness.send_pending()
    return {"sent": sent, "skipped": skipped}
