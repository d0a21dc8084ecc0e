from django.core.management.base import BaseCommand

from directory.seed.communes import communes_load


class Command(BaseCommand):
    help = "Load or refresh the French communes from the vendored open-data file."

    def handle(self, *args, **options):
        count = communes_load()
        self.stdout.write(self.style.SUCCESS(f"{count} communes loaded."))
