"""Tasks of the imports feature: thin adapters over directory.services.imports."""

from celery import shared_task

from directory.services import imports


@shared_task
def run_import(batch_id: int) -> None:
    imports.import_run(batch_id)
