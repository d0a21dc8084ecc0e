"""Downloads of the directory: the public CSV and GeoJSON, and the animator's XLSX.

Every export reads its rows as plain tuples through `.iterator(chunk_size=…)` and fetches
the sectors (and, for the XLSX, the members' e-mails) once per chunk: the query count
follows the number of chunks, never the number of actors, and memory holds one chunk.

CSV choices, for the spreadsheets of French users (the people who download it most):
- UTF-8 with a byte order mark: without it Excel reads the accents as Latin-1;
- `;` as delimiter: French Excel's list separator (the decimal separator is the comma), so
  a double-click opens one column per field; every CSV reader takes the delimiter as an
  option;
- coordinates written with a decimal point and 6 decimals, as GeoJSON and the API give
  them: a decimal comma would break the other readers, and 6 decimals never read as a date;
- text cells starting with = + - @ (or a tab or carriage return) are prefixed with a
  quote, so a spreadsheet shows them instead of running them as formulas (CSV injection).
"""

import csv
import io
import json
import tempfile
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from functools import partial
from itertools import islice

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from directory.models import Actor, Capacity, Freshness, LegalForm, Membership, Sector, Status

# Rows read and written per round: a few megabytes of tuples, one query for their sectors.
CHUNK_SIZE = 2000
CSV_DELIMITER = ";"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# First characters a spreadsheet reads as the start of a formula (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(value: str) -> str:
    """Text a spreadsheet shows as typed instead of evaluating it."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


# --- Reading --------------------------------------------------------------------------------


def _chunks(queryset: QuerySet, fields: Iterable[str]) -> Iterator[list[tuple]]:
    """The rows of `queryset` as tuples of `fields`, in lists of CHUNK_SIZE; `pk` first."""
    rows = queryset.values_list("pk", *fields).iterator(chunk_size=CHUNK_SIZE)
    while chunk := list(islice(rows, CHUNK_SIZE)):
        yield chunk


class _SectorNames:
    """Each actor's sector names, in the taxonomy's order (as on its page).

    The taxonomy (a few dozen rows) is read once; each chunk then reads only its links, an
    index lookup without a join or a sort.
    """

    def __init__(self):
        self.sort_keys = {
            pk: (position, name)
            for pk, position, name in Sector.objects.values_list("pk", "position", "name")
        }

    def of(self, actor_ids: list[int]) -> dict[int, list[str]]:
        by_actor = defaultdict(list)
        links = Actor.sectors.through.objects.filter(actor_id__in=actor_ids).values_list(
            "actor_id", "sector_id"
        )
        for actor_id, sector_id in links:
            by_actor[actor_id].append(self.sort_keys[sector_id])
        return {
            actor_id: [name for _position, name in sorted(sectors)]
            for actor_id, sectors in by_actor.items()
        }


def _member_emails(actor_ids: list[int]) -> dict[int, list[str]]:
    emails = defaultdict(list)
    rows = (
        Membership.objects.filter(actor_id__in=actor_ids)
        .order_by("user__email")
        .values_list("actor_id", "user__email")
    )
    for actor_id, email in rows:
        if email:
            emails[actor_id].append(email)
    return emails


def _page_url_maker(request):
    """slug → absolute URL of the actor's page, reversed once for all the rows."""
    # Slugs are URL-safe, so substituting one in a reversed URL gives what reverse() would.
    url = request.build_absolute_uri(reverse("directory:actor_detail", kwargs={"slug": "slug"}))
    head, tail = url.rsplit("/slug/", 1)
    return lambda slug: f"{head}/{slug}/{tail}"


def _local_date(moment: datetime | None, zone: tzinfo) -> date | None:
    """The day in the platform's time zone, as on its pages (`zone`: read once per export,
    timezone.localdate() reads it again for every row)."""
    return moment.astimezone(zone).date() if moment else None


def _naive_local(moment: datetime | None) -> datetime | None:
    """Spreadsheets know no time zones: the local time of the platform, as on its pages."""
    return timezone.localtime(moment).replace(tzinfo=None) if moment else None


# --- The public export (CSV, GeoJSON) -------------------------------------------------------

PUBLIC_FIELDS = (
    "slug",
    "name",
    "legal_form",
    "address",
    "postcode",
    "commune__name",
    "commune__insee",
    "lat",
    "lon",
    "website",
    "email",
    "phone",
    "short_description",
    "last_confirmed_at",
    "freshness",
)


@dataclass(slots=True)
class PublicActor:
    """One actor as the public exports give it: public fields only."""

    slug: str
    name: str
    legal_form: str
    legal_form_label: str
    sectors: list[str]
    address: str
    postcode: str
    commune: str
    insee: str
    lat: float
    lon: float
    website: str
    email: str
    phone: str
    short_description: str
    last_confirmed_on: date | None
    freshness: str
    freshness_label: str
    url: str


def public_actors(queryset: QuerySet, *, request) -> Iterator[list[PublicActor]]:
    """The published actors of `queryset` (which the caller filtered), chunk by chunk.

    The labels are translated here, once, in the language of the request.
    """
    queryset = queryset.published()
    legal_forms = {value: str(label) for value, label in LegalForm.choices}
    freshness_labels = {value: str(label) for value, label in Freshness.choices}
    page_url = _page_url_maker(request)
    zone = timezone.get_current_timezone()
    sector_names = _SectorNames()
    for chunk in _chunks(queryset, PUBLIC_FIELDS):
        sectors = sector_names.of([row[0] for row in chunk])
        yield [
            PublicActor(
                slug=slug,
                name=name,
                legal_form=legal_form,
                legal_form_label=legal_forms.get(legal_form, legal_form),
                sectors=sectors.get(pk, []),
                address=address,
                postcode=postcode,
                commune=commune,
                insee=insee,
                lat=lat,
                lon=lon,
                website=website,
                email=email,
                phone=phone,
                short_description=short_description,
                last_confirmed_on=_local_date(last_confirmed_at, zone),
                freshness=freshness,
                freshness_label=freshness_labels.get(freshness, freshness),
                url=page_url(slug),
            )
            for (
                pk,
                slug,
                name,
                legal_form,
                address,
                postcode,
                commune,
                insee,
                lat,
                lon,
                website,
                email,
                phone,
                short_description,
                last_confirmed_at,
                freshness,
            ) in chunk
        ]


def csv_header() -> list[str]:
    return [
        _("Identifiant"),
        _("Nom"),
        _("Forme juridique"),
        _("Secteurs"),
        _("Adresse"),
        _("Code postal"),
        _("Commune"),
        _("Code INSEE"),
        _("Latitude"),
        _("Longitude"),
        _("Site web"),
        _("E-mail"),
        _("Téléphone"),
        _("Présentation courte"),
        _("Dernière confirmation"),
        _("Fraîcheur"),
        _("Fiche"),
    ]


def _csv_row(actor: PublicActor) -> list[str]:
    safe = neutralise_formula
    # Labels, codes, dates, numbers and URLs are written by the platform: only the texts
    # that people typed (or imported) can carry a formula. A coordinate's minus sign is not one.
    return [
        safe(actor.slug),
        safe(actor.name),
        actor.legal_form_label,
        safe(", ".join(actor.sectors)),
        safe(actor.address),
        safe(actor.postcode),
        safe(actor.commune),
        actor.insee,
        f"{actor.lat:.6f}",
        f"{actor.lon:.6f}",
        safe(actor.website),
        safe(actor.email),
        safe(actor.phone),
        safe(actor.short_description),
        actor.last_confirmed_on.isoformat() if actor.last_confirmed_on else "",
        actor.freshness_label,
        actor.url,
    ]


def csv_stream(queryset: QuerySet, *, request) -> Iterator[str]:
    """The CSV text in pieces of one chunk of rows, byte order mark and header first."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=CSV_DELIMITER, lineterminator="\r\n")
    writer.writerow(csv_header())
    yield "\ufeff" + buffer.getvalue()
    for chunk in public_actors(queryset, request=request):
        buffer.seek(0)
        buffer.truncate()
        writer.writerows(_csv_row(actor) for actor in chunk)
        yield buffer.getvalue()


def _feature(actor: PublicActor) -> dict:
    return {
        "type": "Feature",
        # RFC 7946: longitude first.
        "geometry": {"type": "Point", "coordinates": [round(actor.lon, 6), round(actor.lat, 6)]},
        "properties": {
            "slug": actor.slug,
            "name": actor.name,
            "legal_form": actor.legal_form,
            "legal_form_label": actor.legal_form_label,
            "sectors": actor.sectors,
            "address": actor.address,
            "postcode": actor.postcode,
            "commune": actor.commune,
            "insee": actor.insee,
            "website": actor.website,
            "email": actor.email,
            "phone": actor.phone,
            "short_description": actor.short_description,
            "last_confirmed_on": (
                actor.last_confirmed_on.isoformat() if actor.last_confirmed_on else None
            ),
            "freshness": actor.freshness,
            "freshness_label": actor.freshness_label,
            "url": actor.url,
        },
    }


def geojson_stream(queryset: QuerySet, *, request) -> Iterator[str]:
    """A GeoJSON FeatureCollection in pieces of one chunk of features."""
    yield '{"type":"FeatureCollection","features":['
    separator = ""
    for chunk in public_actors(queryset, request=request):
        yield separator + ",".join(
            json.dumps(_feature(actor), ensure_ascii=False, separators=(",", ":"))
            for actor in chunk
        )
        separator = ","
    yield "]}\n"


def export_filename(extension: str, *, prefix: str = "acteurs-ess") -> str:
    return f"{prefix}-{timezone.localdate().isoformat()}.{extension}"


# --- The animator's export (XLSX) -----------------------------------------------------------

NETWORK_FIELDS = (
    "slug",
    "name",
    "status",
    "legal_form",
    "siret",
    "address",
    "postcode",
    "commune__name",
    "commune__insee",
    "lat",
    "lon",
    "intervention_radius_km",
    "website",
    "email",
    "phone",
    "short_description",
    "headcount_band",
    "turnover_band",
    "volunteers",
    "labels",
    "freshness",
    "last_confirmed_at",
    "created_at",
    "updated_at",
)


def network_header() -> list[str]:
    return [
        _("Identifiant"),
        _("Nom"),
        _("Statut"),
        _("Forme juridique"),
        _("SIRET"),
        _("Secteurs"),
        _("Adresse"),
        _("Code postal"),
        _("Commune"),
        _("Code INSEE"),
        _("Latitude"),
        _("Longitude"),
        _("Rayon d'intervention (km)"),
        _("Site web"),
        _("E-mail public"),
        _("Téléphone"),
        _("Présentation courte"),
        _("Effectif salarié"),
        _("Chiffre d'affaires"),
        _("Bénévoles"),
        _("Labels et agréments"),
        _("Fraîcheur"),
        _("Dernière confirmation"),
        _("E-mails des membres"),
        _("Créé le"),
        _("Modifié le"),
        _("Fiche"),
    ]


def _text_cell(sheet, value: str) -> Cell | str:
    """A text cell: one that a spreadsheet would read as a formula (or an error code) is
    stored as text with Excel's hidden quote prefix, so it shows exactly as typed and stays
    text even when edited. Characters XML cannot hold are dropped."""
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if not value.startswith((*FORMULA_STARTS, "#")):
        return value
    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"
    cell.quotePrefix = True
    return cell


def network_workbook(queryset: QuerySet, *, request) -> tempfile.SpooledTemporaryFile:
    """An XLSX of every actor of `queryset` (all statuses), with the internal fields.

    A workbook is a zip whose index is written last, so it cannot be streamed row by row:
    openpyxl's write-only mode keeps the rows in a temporary file, not in memory, and the
    saved workbook goes to a temporary file too, returned open at its start.
    """
    labels = {
        "status": {value: str(label) for value, label in Status.choices},
        "legal_form": {value: str(label) for value, label in LegalForm.choices},
        "headcount": {value: str(label) for value, label in Capacity.Headcount.choices},
        "turnover": {value: str(label) for value, label in Capacity.Turnover.choices},
        "freshness": {value: str(label) for value, label in Freshness.choices},
    }
    page_url = _page_url_maker(request)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Acteurs"))
    sheet.freeze_panes = "A2"
    titles = network_header()
    # Widths set before the first row (write-only mode), roomy enough for most values.
    for index, title in enumerate(titles, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(12, min(40, len(title) + 4))
    bold = Font(bold=True)
    header = []
    for title in titles:
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = bold
        header.append(cell)
    sheet.append(header)

    text = partial(_text_cell, sheet)
    zone = timezone.get_current_timezone()
    sector_names = _SectorNames()
    rows = 0
    for chunk in _chunks(queryset, NETWORK_FIELDS):
        rows += len(chunk)
        ids = [row[0] for row in chunk]
        sectors, emails = sector_names.of(ids), _member_emails(ids)
        for (
            pk,
            slug,
            name,
            status,
            legal_form,
            siret,
            address,
            postcode,
            commune,
            insee,
            lat,
            lon,
            radius,
            website,
            email,
            phone,
            short_description,
            headcount,
            turnover,
            volunteers,
            actor_labels,
            freshness,
            last_confirmed_at,
            created_at,
            updated_at,
        ) in chunk:
            sheet.append(
                [
                    text(slug),
                    text(name),
                    labels["status"].get(status, status),
                    labels["legal_form"].get(legal_form, legal_form),
                    text(siret),
                    text(", ".join(sectors.get(pk, []))),
                    text(address),
                    text(postcode),
                    text(commune),
                    text(insee),
                    lat,
                    lon,
                    radius,
                    text(website),
                    text(email),
                    text(phone),
                    text(short_description),
                    labels["headcount"].get(headcount, headcount),
                    labels["turnover"].get(turnover, turnover),
                    volunteers,
                    text(actor_labels),
                    labels["freshness"].get(freshness, freshness),
                    _local_date(last_confirmed_at, zone),
                    text(", ".join(emails.get(pk, []))),
                    _naive_local(created_at),
                    _naive_local(updated_at),
                    text(page_url(slug)),
                ]
            )

    # Filter buttons on the header, over every row (written after the rows: write-only mode
    # serialises the filter when the sheet is closed).
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(titles))}{rows + 1}"
    # Past a megabyte, the file goes to disk: a large network's workbook never sits in memory.
    # Returned open: the FileResponse that sends it closes it.
    output = tempfile.SpooledTemporaryFile(max_size=1024 * 1024)  # noqa: SIM115
    workbook.save(output)
    output.seek(0)
    return output
