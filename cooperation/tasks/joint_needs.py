"""Tasks of the joint needs: thin adapters over cooperation.services.joint_needs."""

from dataclasses import asdict

from celery import shared_task

from cooperation.services.joint_needs import joint_needs_close_pass


@shared_task
def run_joint_needs_close_pass() -> dict:
    """The daily pass (CELERY_BEAT_SCHEDULE); `manage.py close_joint_needs` does the same.
    Idempotent: each final total is owed once per listing, closing date and recipient."""
    return asdict(joint_needs_close_pass())
