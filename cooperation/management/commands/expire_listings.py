"""`manage.py expire_listings`: the catalogue's daily pass, for the embedded default and
cron; the same work as the Celery beat task, safe to run again."""

from django.core.management.base import BaseCommand

from cooperation.services.listings import listings_expiry_pass


class Command(BaseCommand):
    help = (
        "Rappelle aux structures les annonces qui expirent dans la semaine (une fois) et retire "
        "du catalogue celles qui ont expiré."
    )

    def handle(self, *args, **options):
        report = listings_expiry_pass()
        self.stdout.write(
            f"Rappels d'expiration : {report.reminded}. Annonces expirées : {report.expired}."
        )
