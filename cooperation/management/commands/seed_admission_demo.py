"""`manage.py seed_admission_demo`: the admission demo (reviewers in every college,
applications in every state) on the demo territory of `seed_demo`, which runs first.

Idempotent: run after `seed_demo` by `make setup`; a second run finds the applications in
place, changes nothing and only prints the logins again.
"""

import logging

from django.core.management.base import BaseCommand

from cooperation.seed import demo
from directory.seed.demo import DEMO_NETWORK_NAME, DEMO_PASSWORD


class Command(BaseCommand):
    help = (
        "Load the admission demo on the demo network of seed_demo: reviewers in every "
        "college and applications in every state, with answers, opinions, visits and "
        "decisions."
    )

    def handle(self, *args, **options):
        # Each service queues the outbox's sender for after the commit: run eagerly (the
        # embedded default), some forty runs with nothing to send (the demo's e-mails are
        # closed unsent) would each log a line above the report.
        trace = logging.getLogger("celery.app.trace")
        level = trace.level
        trace.setLevel(logging.WARNING)
        try:
            report = demo.admission_demo_seed()
        finally:
            trace.setLevel(level)
        if not report.ready:
            self.stderr.write(
                self.style.WARNING(
                    f"The demo territory '{DEMO_NETWORK_NAME}' is not loaded (or has lost its "
                    "animator): run `manage.py seed_demo` first. Nothing done."
                )
            )
            return
        states = ", ".join(f"{label}: {n}" for label, n in report.by_status.items())
        if report.created:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Admission demo created in {report.seconds:.1f} s: "
                    f"{report.reviewers} reviewers in {report.colleges} colleges; "
                    f"applications by state: {states}."
                )
            )
        else:
            self.stdout.write(
                f"Admission demo already loaded ({report.reviewers} reviewers; "
                f"applications by state: {states}): nothing to do."
            )
        self.stdout.write("")
        self.stdout.write(f"Admission demo logins (password for all: {DEMO_PASSWORD}):")
        width = max(len(email) for email, _detail in report.logins)
        for email, detail in report.logins:
            self.stdout.write(f"  {email:<{width}} {detail}")
