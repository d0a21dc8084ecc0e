"""Celery tasks of the outbox: thin adapters over ess_platform.lib.outbox.sending.

Both are idempotent (each message is locked and closed in its own transaction), so a
redelivery after a lost worker, or the beat sweep running beside a queued send, is safe."""

from celery import shared_task
from django.utils import timezone

from ess_platform.lib.outbox import sending


@shared_task
def send_outbox() -> dict:
    """Send what is owed: queued after each commit that owes an e-mail, and by beat as a
    sweep that retries what a mail server outage left behind."""
    return sending.send_pending().as_dict()


@shared_task
def send_outbox_digests() -> dict:
    """Gather the day's digest lines into one e-mail per recipient, then send (beat)."""
    gathered = sending.gather_digests(day=timezone.localdate())
    return {"digests": gathered, **sending.send_pending().as_dict()}
