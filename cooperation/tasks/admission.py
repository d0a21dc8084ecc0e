"""Tasks of the admission feature: thin adapters over cooperation.services.reminders."""

from dataclasses import asdict

from celery import shared_task

from cooperation.services.reminders import admission_reminders_send


@shared_task
def send_admission_reminders() -> dict:
    """The daily pass (CELERY_BEAT_SCHEDULE); `manage.py send_admission_reminders` does the
    same. Idempotent: each reminder is owed once under its own key."""
    return asdict(admission_reminders_send())
