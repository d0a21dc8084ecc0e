"""`manage.py send_admission_reminders`: the daily admission pass, for the embedded default
and cron; the same work as the Celery beat task, safe to run again."""

from django.core.management.base import BaseCommand

from cooperation.services.reminders import admission_reminders_send


class Command(BaseCommand):
    help = (
        "Relance les évaluateurs des candidatures en attente de quorum et les structures dont "
        "un engagement de progrès arrive à échéance (jamais deux fois le même rappel)."
    )

    def handle(self, *args, **options):
        report = admission_reminders_send()
        self.stdout.write(
            f"Candidatures en retard : {report.late_applications}. "
            f"Relances d'évaluateurs : {report.reviewer_reminders}. "
            f"Rappels d'engagements : {report.commitment_reminders}."
        )
