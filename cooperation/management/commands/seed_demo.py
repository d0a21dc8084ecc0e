"""`manage.py seed_demo`: the directory's demo (and `--actors N`), then cooperation's — the
admission demo and the catalogue demo — and `--listings N` bulk listings for benchmarks.

It extends the directory's command of the same name (cooperation is listed before
directory in INSTALLED_APPS, so this one answers): one command sets up the whole demo, and
the directory's still knows nothing of cooperation.
"""

import logging

from django.core.management import call_command
from django.core.management.base import CommandError

from cooperation.seed.bench import listings_bench_seed
from cooperation.seed.catalogue_demo import catalogue_demo_seed
from directory.management.commands.seed_demo import Command as DirectoryCommand


class Command(DirectoryCommand):
    help = DirectoryCommand.help + " Then the admission and catalogue demos."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--listings",
            type=int,
            default=0,
            metavar="N",
            help="Number of bulk listings spread over the published actors (e.g. 50000).",
        )

    def handle(self, *args, listings: int, **options):
        if listings < 0:
            raise CommandError("--listings must be zero or positive.")
        super().handle(*args, **options)
        call_command("seed_admission_demo", stdout=self.stdout._out, stderr=self.stderr._out)
        # The services queue the outbox's sender after each commit: eagerly run (the
        # embedded default) with nothing to send, each would log a line above the report.
        trace = logging.getLogger("celery.app.trace")
        level = trace.level
        trace.setLevel(logging.WARNING)
        try:
            catalogue = catalogue_demo_seed()
        finally:
            trace.setLevel(level)
        if catalogue is not None and catalogue.created:
            states = ", ".join(f"{label}: {n}" for label, n in catalogue.by_status.items())
            self.stdout.write(
                self.style.SUCCESS(
                    f"Catalogue demo created in {catalogue.seconds:.1f} s; listings by state: "
                    f"{states}."
                )
            )
        if listings:
            added, seconds = listings_bench_seed(total=listings, progress=self.stdout.write)
            if added:
                self.stdout.write(
                    self.style.SUCCESS(
                        f"{added:,} bulk listings added in {seconds:.1f} s "
                        f"({added / max(seconds, 0.001):,.0f} listings/s)."
                    )
                )
            else:
                self.stdout.write("Enough bulk listings already: nothing to do.")
