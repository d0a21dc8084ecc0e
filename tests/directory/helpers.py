"""Plain helpers shared by several test modules of tests/directory (fixtures: conftest.py)."""

import csv
import io
import re
from datetime import timedelta

from dateutil.relativedelta import relativedelta
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from stdnum import luhn

from directory.models import Actor, Freshness, ImportBatch, MapCell
from directory.services import imports as importing
from tests.factories import ActorFactory, MembershipFactory

# --- Places and the API (test_actors_api, test_map_api, test_sectors_api, test_actors_filters)

# Nantes town hall; one degree of latitude is about 111.2 km.
NANTES = (47.2184, -1.5536)
KM_IN_DEGREES_LAT = 1 / 111.2
AROUND_NANTES = "-2.0,47.0,-1.0,47.6"


def get(client, name: str, query: str = "", **kwargs):
    return client.get(f"{reverse(name, kwargs=kwargs or None)}?{query}")


# --- The map cells (test_actors_services, test_network_services) ----------------------------


def map_total() -> int:
    return MapCell.objects.filter(facet="", zoom=0).aggregate(total=Sum("count"))["total"] or 0


# --- The freshness pass (test_freshness_services, test_freshness_views) ---------------------


def months_ago(as_of, *, months=0, days=0):
    return as_of - relativedelta(months=months) - timedelta(days=days)


def make_actor(network, last_confirmed_at, *, freshness=Freshness.FRESH, members=1, **kwargs):
    """A published actor as the previous passes left it, with `members` members."""
    actor = ActorFactory(
        network=network, last_confirmed_at=last_confirmed_at, freshness=freshness, **kwargs
    )
    for _ in range(members):
        MembershipFactory(actor=actor)
    return actor


# --- The animator's workspace (test_network_views, test_network_dashboard, ..._services) ----

LISTS = ["relances", "signalements", "attente", "historique"]


def dashboard_url(network, **query) -> str:
    url = reverse("directory:workspace_dashboard", kwargs={"network_slug": network.slug})
    if query:
        url += "?" + "&".join(f"{key}={value}" for key, value in query.items())
    return url


def days_ago(days: int):
    return timezone.now() - timedelta(days=days)


def make(network, commune, name, *, days=0, freshness=None, **kwargs):
    """An actor confirmed `days` ago, marked as the daily pass would."""
    actor = ActorFactory(
        network=network, commune=commune, name=name, last_confirmed_at=days_ago(days), **kwargs
    )
    if freshness is not None:
        Actor.objects.filter(pk=actor.pk).update(freshness=freshness)
        actor.freshness = freshness
    return actor


def names_in(response) -> list[str]:
    """The structures of the list shown, in order (rows carry data-actor or a name link)."""
    html = response.content.decode()
    table = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0] if "<tbody>" in html else ""
    return re.findall(r'<a href="/acteurs/[^"]+/">([^<]+)</a>', table)


# --- Correction reports (test_corrections_services, test_corrections_views) ----------------

IP = "203.0.113.7"


# --- Downloads (test_exports_api, test_exports_views) ---------------------------------------

BOM = "\ufeff"


def content(response) -> str:
    assert response.status_code == 200, response.content
    return b"".join(response.streaming_content).decode("utf-8")


def csv_rows(response) -> list[dict]:
    text = content(response)
    assert text.startswith(BOM)
    return list(csv.DictReader(io.StringIO(text.removeprefix(BOM)), delimiter=";"))


# --- Imports (test_imports_rows, test_imports_services, test_imports_views) -----------------


def make_siret(n: int) -> str:
    siren = f"{n:08d}"
    siren += luhn.calc_check_digit(siren)
    number = siren + "0001"
    return number + luhn.calc_check_digit(number)


HEADER = ["Raison sociale", "SIRET", "Forme juridique", "Commune", "Code postal", "E-mail"]


def csv_bytes(rows, *, header=HEADER, delimiter=";", encoding="utf-8") -> bytes:
    lines = [delimiter.join(header), *(delimiter.join(row) for row in rows)]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def upload(network, animator, data: bytes, name="acteurs.csv") -> ImportBatch:
    return importing.batch_create(network=network, by=animator, name=name, data=data)


def errors_of(batch: ImportBatch) -> dict[int, list[str]]:
    return {int(line): messages for line, messages in batch.row_errors.items()}


ROWS = [
    ["Recyclerie de l'Est", make_siret(11), "Association", "Nantes", "", "contact@est.example"],
    ["Atelier Vélo", "", "SCOP", "Rezé", "", ""],
    ["", "", "", "Nantes", "", ""],  # line 4: no name
    ["Épicerie solidaire", make_siret(12), "", "Rezé", "", "epicerie@example.org"],
]
