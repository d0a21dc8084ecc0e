"""`manage.py seed_demo [--actors N]`: the demo territory, and benchmark volumes.

Idempotent: run after every `migrate` by `make setup`; a second run finds the data in place,
changes nothing and only prints the demo logins again.
"""

from django.core.management.base import BaseCommand, CommandError

from directory.models import Network
from directory.seed import bench, demo


class Command(BaseCommand):
    help = (
        "Load the demo territory (Pôle ESS Nantes Métropole: actors, members, demo logins). "
        "With --actors N, also bring a national test network up to N synthetic actors."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--actors",
            type=int,
            default=0,
            metavar="N",
            help="Number of synthetic actors over all of France for benchmarks (e.g. 200000).",
        )

    def handle(self, *args, actors: int, **options):
        if actors < 0:
            raise CommandError("--actors must be zero or positive.")
        loaded = demo.ensure_communes()
        if loaded:
            self.stdout.write(f"{loaded:,} communes loaded.")

        report = demo.demo_seed()
        if report.created:
            for correction in report.corrected_codes:
                self.stdout.write(self.style.WARNING(f"INSEE code corrected: {correction}"))
            self.stdout.write(
                self.style.SUCCESS(
                    f"Demo territory '{demo.DEMO_NETWORK_NAME}' created in {report.seconds:.1f} s: "
                    f"{report.actors} actors ({report.published} published), "
                    f"{report.members} member accounts."
                )
            )
        else:
            self.stdout.write(
                f"Demo territory already loaded ({report.actors} actors, "
                f"{report.published} published): nothing to do."
            )

        if actors:
            self._bench(actors)
        self._print_logins()

    def _bench(self, total: int) -> None:
        self.stdout.write(
            f"Benchmark network '{bench.BENCH_NETWORK_NAME}': target {total:,} actors."
        )
        added, seconds = bench.bench_seed(total=total, progress=self.stdout.write)
        if added:
            self.stdout.write(
                self.style.SUCCESS(
                    f"{added:,} benchmark actors added in {seconds:.1f} s "
                    f"({added / max(seconds, 0.001):,.0f} actors/s)."
                )
            )
        else:
            self.stdout.write("The benchmark network already holds enough actors: nothing to do.")

    def _print_logins(self) -> None:
        network = Network.objects.get(slug=demo.DEMO_NETWORK_SLUG)
        logins = demo.ensure_demo_users(network)  # recreates any demo user deleted since
        self.stdout.write("")
        self.stdout.write(f"Demo logins (password for all: {demo.DEMO_PASSWORD}):")
        for user, detail in logins:
            self.stdout.write(f"  {user.email:<22} {detail}")
        self.stdout.write("  Other member accounts (prenom.nom@example.org) use the same password.")
