"""Time the import of a 10,000-row spreadsheet (issue 4: under a minute on PostgreSQL).

    DATABASE_URL=postgres://… DEBUG=1 .venv/bin/python scripts/bench_import.py [--rows N]

On a migrated database (communes are loaded if the table is empty), it builds a network on
the Loire-Atlantique communes, writes a realistic CSV in memory (French headers, ";"
separators, Windows-1252 like a spreadsheet saved on Windows, names, SIRETs, communes by
name and postcode or by INSEE code, sectors, legal forms, e-mails for most rows), then
times each phase: parsing, checking (mapping proposal included), the import itself, and the
sending of the invitations (to the in-memory mail backend). The actors it creates are
deleted at the end (--keep to keep them).
"""

import argparse
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ess_platform.settings")
# The invitations go to memory, not to the console or a real server.
os.environ["EMAIL_URL"] = "locmem://"

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core import mail  # noqa: E402
from django.db import connection  # noqa: E402
from stdnum import luhn  # noqa: E402

from directory.models import (  # noqa: E402
    Actor,
    ActorChange,
    Commune,
    ImportBatch,
    Invitation,
    Network,
    Sector,
)
from directory.seed.communes import communes_load  # noqa: E402
from directory.seed.sectors import seed_sectors  # noqa: E402
from directory.services import imports as importing  # noqa: E402
from ess_platform.lib.outbox import sending as outbox_sending  # noqa: E402
from ess_platform.lib.outbox.models import OutboxMessage  # noqa: E402
from ess_platform.lib.spreadsheets import parse_upload  # noqa: E402

NETWORK_SLUG = "bench-import-loire-atlantique"
KINDS = [
    ("Recyclerie", "Association", "Recyclerie et ressourcerie"),
    ("Épicerie solidaire", "Association", "Épicerie solidaire et vrac"),
    ("Atelier vélo", "Association", "Réparation et repair cafés"),
    ("Coopérative", "SCOP", ""),
    ("Jardin d'insertion", "ACI", "Agriculture biologique et paysanne"),
    ("Tiers-lieu", "SCIC", ""),
    ("Friperie", "Entreprise agréée ESUS", "Textile et friperie"),
    ("Mutuelle", "Mutuelle", ""),
    ("Collectif", "GIE", ""),  # an unknown legal form: imported as "Autre", with a warning
]
PLACES = ["du Port", "de l'Erdre", "des Bords de Loire", "du Marais", "de la Gare", "Solidaire"]
HEADER = [
    "Raison sociale",
    "SIRET",
    "Forme juridique",
    "Adresse",
    "Code postal",
    "Commune",
    "Code INSEE",
    "Secteur",
    "Téléphone",
    "E-mail",
    "Site web",
    "Description",
]


def make_siret(n: int) -> str:
    siren = f"{n:08d}"
    siren += luhn.calc_check_digit(siren)
    number = siren + "0001"
    return number + luhn.calc_check_digit(number)


def build_csv(rows: int, communes: list[Commune], seed: int) -> bytes:
    rng = random.Random(seed)
    lines = [";".join(HEADER)]
    for n in range(rows):
        kind, legal_form, sector = rng.choice(KINDS)
        commune = rng.choice(communes)
        postcode = commune.postcodes.split()[0] if commune.postcodes else ""
        by_code = n % 3 == 0  # a third of the rows give the INSEE code, the others the name
        cells = [
            f"{kind} {rng.choice(PLACES)} {n}",
            make_siret(50_000_000 + n) if n % 4 else "",
            legal_form,
            f"{rng.randint(1, 200)} rue de la République",
            postcode,
            "" if by_code else commune.name,
            commune.insee if by_code else "",
            sector,
            f"02 40 {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}",
            f"contact{n}@exemple.org" if n % 10 < 7 else "",
            f"www.structure-{n}.fr" if n % 2 else "",
            f"{kind} ouverte à tous, portée par des bénévoles et des salariés ; "
            "accueil du mardi au samedi.",
        ]
        lines.append(";".join(cells))
    return ("\r\n".join(lines) + "\r\n").encode("cp1252")


def setup_network() -> tuple[Network, object]:
    if not Sector.objects.exists():
        seed_sectors(Sector)
    if not Commune.objects.filter(department="44").exists():
        communes_load()
    network, _created = Network.objects.get_or_create(
        slug=NETWORK_SLUG, defaults={"name": "Banc d'essai Loire-Atlantique"}
    )
    network.communes.set(Commune.objects.filter(department="44"))
    animator, _created = get_user_model().objects.get_or_create(
        username="bench-import", defaults={"email": "bench-import@example.org"}
    )
    network.animators.add(animator)
    return network, animator


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=4)
    parser.add_argument("--keep", action="store_true", help="keep the imported actors")
    parser.add_argument("--write", type=Path, help="write the figures into this Markdown file")
    args = parser.parse_args()

    network, animator = setup_network()
    communes = list(network.communes.all())
    data = build_csv(args.rows, communes, args.seed)
    existing = Actor.objects.count()
    print(
        f"{connection.vendor}, {args.rows} rows, {len(data) / 1e6:.1f} MB CSV, "
        f"{len(communes)} communes, {existing} actors already in the database"
    )

    timings = {}
    start = time.perf_counter()
    parsed = parse_upload(name="acteurs.csv", data=data)
    timings["parse"] = time.perf_counter() - start

    start = time.perf_counter()
    batch = importing.batch_create(network=network, by=animator, name="acteurs.csv", data=data)
    timings["parse + check (upload)"] = time.perf_counter() - start
    assert len(parsed.rows) == args.rows
    errors = len(batch.row_errors)
    assert batch.state == ImportBatch.State.CHECKED, batch.mapping
    assert not errors, list(batch.row_errors.items())[:5]

    # The invitations' e-mails are recorded in the import's transaction (the outbox) and
    # sent after its commit; the sending is timed apart from the import.
    outbox_sending.queue_on_commit = lambda task_path, *args: None
    start = time.perf_counter()
    importing.import_start(batch=batch, by=animator, mode=ImportBatch.Mode.ALL_OR_NOTHING)
    timings["import (check again + insert, one transaction)"] = time.perf_counter() - start
    batch.refresh_from_db()
    assert batch.state == ImportBatch.State.DONE, batch.error_message

    invitations = OutboxMessage.objects.filter(key__startswith="directory.invitation:").count()
    start = time.perf_counter()
    report = outbox_sending.send_pending()
    assert not report.interrupted, report
    timings["invitation e-mails (from the outbox, in-memory backend)"] = time.perf_counter() - start

    for phase, seconds in timings.items():
        print(f"{phase:<50} {seconds:6.2f} s")
    total = sum(v for k, v in timings.items() if k != "parse")
    print(f"{'total (upload + import + e-mails)':<50} {total:6.2f} s")
    print(
        f"created {batch.created_count} actors, {invitations} invitations, "
        f"{len(mail.outbox)} e-mails"
    )

    if args.write:
        write_section(args.write, timings, total, rows=args.rows, existing=existing, csv=data)

    if not args.keep:
        ids = list(Actor.objects.filter(network=network).values_list("pk", flat=True))
        ActorChange.objects.filter(actor_id__in=ids).delete()
        Invitation.objects.filter(actor_id__in=ids).delete()
        OutboxMessage.objects.filter(key__startswith="directory.invitation:").delete()
        Actor.objects.filter(pk__in=ids).delete()
        batch.delete()


SECTION = "## Spreadsheet import"


def write_section(
    path: Path, timings: dict, total: float, *, rows: int, existing: int, csv: bytes
) -> None:
    """Replace (or add, before "## Method") the import section of the benchmarks page."""
    lines = [
        SECTION,
        "",
        f"`scripts/bench_import.py`: a {rows:,}-row CSV ({len(csv) / 1e6:.1f} MB, `;`, "
        f"Windows-1252) imported into a network of the Loire-Atlantique communes, with "
        f"{existing:,} actors already in the database (duplicates are checked against them). "
        "Budget: under 60 s for 10,000 rows.",
        "",
        "| phase | s |",
        "|---|---:|",
        *(f"| {phase} | {seconds:.2f} |" for phase, seconds in timings.items()),
        f"| **total (upload + import + e-mails)** | **{total:.2f}** |",
        "",
    ]
    text = path.read_text() if path.exists() else ""
    start = text.find(SECTION)
    if start >= 0:
        end = text.find("\n## ", start + len(SECTION))
        text = text[:start] + "\n".join(lines) + (text[end + 1 :] if end >= 0 else "")
    else:
        anchor = text.find("## Method")
        anchor = anchor if anchor >= 0 else len(text)
        text = text[:anchor] + "\n".join(lines) + "\n" + text[anchor:]
    path.write_text(text)


if __name__ == "__main__":
    main()
