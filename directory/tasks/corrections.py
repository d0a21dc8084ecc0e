"""Tasks of the corrections feature."""

from celery import shared_task

from directory.services import corrections


@shared_task
def notify_reporter(report_id: int) -> None:
    """Tell the person who reported an error what the structure decided."""
    corrections.notify_reporter(report_id)
