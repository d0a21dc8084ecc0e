"""`manage.py check_freshness`: the daily freshness pass, for the embedded default and cron.

The same work as the Celery beat task (directory.tasks.freshness.run_freshness_pass);
idempotent, so it is safe to run again the same day or after an interruption.
"""

from django.core.management.base import BaseCommand
from django.utils import timezone

from directory.models import FreshnessNotice
from directory.services.freshness import run_freshness_pass

Kind = FreshnessNotice.Kind


class Command(BaseCommand):
    help = (
        "Passe quotidienne de fraîcheur : marque les fiches à confirmer et possiblement "
        "obsolètes, envoie les rappels aux membres et la synthèse aux animateurs."
    )

    def handle(self, *args, **options):
        report = run_freshness_pass()
        notices = report.notices
        when = timezone.localtime(report.as_of)
        lines = [
            f"Passe de fraîcheur du {when:%d/%m/%Y %H:%M} ({report.networks} réseau(x)).",
            f"Fiches passées « à confirmer » : {report.due}.",
            f"Fiches passées « possiblement obsolètes » : {report.stale}.",
            f"Rappels enregistrés : {notices.get(Kind.REMINDER, 0)} "
            f"(seconds rappels : {notices.get(Kind.SECOND_REMINDER, 0)}).",
            f"Archivages proposés : {notices.get(Kind.ARCHIVE, 0)}.",
            f"Synthèses aux animateurs : {report.digests}.",
            f"E-mails envoyés : {report.sent} (devenus sans objet : {report.skipped}).",
        ]
        self.stdout.write("\n".join(lines))
