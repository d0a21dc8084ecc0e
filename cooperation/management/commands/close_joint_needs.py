"""`manage.py close_joint_needs`: the joint needs' daily pass, for the embedded default and
cron; the same work as the Celery beat task, safe to run again."""

from django.core.management.base import BaseCommand

from cooperation.services.joint_needs import joint_needs_close_pass


class Command(BaseCommand):
    help = (
        "Envoie aux structures le total final de leurs besoins groupés clos, et à chaque "
        "participant le total auquel il prend part (une fois)."
    )

    def handle(self, *args, **options):
        report = joint_needs_close_pass()
        self.stdout.write(
            f"Totaux finals envoyés : {report.owners}. Participants prévenus : "
            f"{report.participants}."
        )
