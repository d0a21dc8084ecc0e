"""Tasks of the imports feature: thin adapters over directory.importing."""

from celery import shared_task


# directory.importing is imported when a task runs: it uses the services, which import
# this package to queue their own tasks.
@shared_task
def run_import(batch_id: int) -> None:
    from directory import importing

    importing.import_run(batch_id)


@shared_task
def send_import_invitations(invitation_ids: list[int]) -> None:
    from directory import importing

    importing.invitations_send(invitation_ids)
