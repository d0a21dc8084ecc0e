from django.core.management.base import BaseCommand
from django.utils import timezone

from ess_platform.lib.outbox import sending


class Command(BaseCommand):
    help = (
        "Envoie les e-mails en attente (et, avec --digests, les synthèses du jour). "
        "À lancer depuis cron quand Celery beat ne tourne pas (installation embarquée)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--digests", action="store_true", help="rassembler d'abord les synthèses du jour"
        )

    def handle(self, *args, digests: bool = False, **options):
        if digests:
            gathered = sending.gather_digests(day=timezone.localdate())
            self.stdout.write(f"Synthèses préparées : {gathered}.")
        report = sending.send_pending()
        self.stdout.write(f"E-mails envoyés : {report.sent} ; refusés : {report.failed}.")
        if report.interrupted:
            self.stderr.write(f"Serveur de messagerie indisponible : {report.interrupted}")
