"""Tasks of memberships: join requests and invitations."""

from celery import shared_task

from directory.services import members as notifications


@shared_task
def notify_join_request_created(join_request_id: int) -> None:
    notifications.join_request_created(join_request_id)


@shared_task
def notify_join_request_decided(join_request_id: int) -> None:
    notifications.join_request_decided(join_request_id)


@shared_task
def send_invitation(invitation_id: int) -> None:
    notifications.invitation_sent(invitation_id)
