"""Downloads of the directory: the public CSV and GeoJSON, and the animator's XLSX.

What is about actors lives here: which fields, in which columns, with which labels. The
writing (CSV for French spreadsheets, formula neutralisation, GeoJSON, XLSX) is shared by
every app: ess_platform/lib/exports.py.

Every export reads its rows as plain tuples, CHUNK_SIZE at a time, and fetches the sectors
(and, for the XLSX, the members' e-mails) once per chunk: the query count follows the number
of chunks, never the number of actors, and memory holds one chunk.

Coordinates are written with a decimal point and 6 decimals, as GeoJSON and the API give
them: a decimal comma would break the other readers, and 6 decimals never read as a date.
"""

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from decimal import Decimal
from tempfile import SpooledTemporaryFile

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from directory.models import Actor, Capacity, Freshness, LegalForm, Membership, Sector, Status
from ess_platform.lib.exports import (
    chunked_values,
    csv_stream,
    geojson_point,
    geojson_stream,
    xlsx_workbook,
)

# Rows read and written per round: a few megabytes of tuples, one query for their sectors.
CHUNK_SIZE = 2000
# The public downloads' file names: acteurs-ess-<date>.csv or .geojson.
PUBLIC_FILENAME_PREFIX = "acteurs-ess"


# --- Reading --------------------------------------------------------------------------------


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


def public_actors(queryset: QuerySet, *, request) -> Iterator[PublicActor]:
    """The published actors of `queryset` (which the caller filtered), one by one,
    read CHUNK_SIZE at a time.

    The labels are translated here, once, in the language of the request.
    """
    queryset = queryset.published()
    legal_forms = {value: str(label) for value, label in LegalForm.choices}
    freshness_labels = {value: str(label) for value, label in Freshness.choices}
    page_url = _page_url_maker(request)
    zone = timezone.get_current_timezone()
    sector_names = _SectorNames()
    for chunk in chunked_values(queryset, ("pk", *PUBLIC_FIELDS), size=CHUNK_SIZE):
        sectors = sector_names.of([row[0] for row in chunk])
        yield from (
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
        )


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


def _csv_row(actor: PublicActor) -> list:
    # Text cells are neutralised by csv_stream(); the coordinates are numbers (a Decimal
    # keeps the 6 decimals), so a longitude's minus sign stays as it is.
    return [
        actor.slug,
        actor.name,
        actor.legal_form_label,
        ", ".join(actor.sectors),
        actor.address,
        actor.postcode,
        actor.commune,
        actor.insee,
        Decimal(f"{actor.lat:.6f}"),
        Decimal(f"{actor.lon:.6f}"),
        actor.website,
        actor.email,
        actor.phone,
        actor.short_description,
        actor.last_confirmed_on.isoformat() if actor.last_confirmed_on else "",
        actor.freshness_label,
        actor.url,
    ]


def public_csv(queryset: QuerySet, *, request) -> Iterator[str]:
    """The public CSV of the published actors of `queryset`, in pieces."""
    rows = (_csv_row(actor) for actor in public_actors(queryset, request=request))
    return csv_stream(csv_header(), rows)


def _feature(actor: PublicActor) -> dict:
    return {
        "type": "Feature",
        "geometry": geojson_point(actor.lat, actor.lon),
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


def public_geojson(queryset: QuerySet, *, request) -> Iterator[str]:
    """The public GeoJSON FeatureCollection of the published actors of `queryset`, in pieces."""
    return geojson_stream(_feature(actor) for actor in public_actors(queryset, request=request))


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


def _network_rows(queryset: QuerySet, *, request) -> Iterator[list]:
    labels = {
        "status": {value: str(label) for value, label in Status.choices},
        "legal_form": {value: str(label) for value, label in LegalForm.choices},
        "headcount": {value: str(label) for value, label in Capacity.Headcount.choices},
        "turnover": {value: str(label) for value, label in Capacity.Turnover.choices},
        "freshness": {value: str(label) for value, label in Freshness.choices},
    }
    page_url = _page_url_maker(request)
    zone = timezone.get_current_timezone()
    sector_names = _SectorNames()
    for chunk in chunked_values(queryset, ("pk", *NETWORK_FIELDS), size=CHUNK_SIZE):
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
            yield [
                slug,
                name,
                labels["status"].get(status, status),
                labels["legal_form"].get(legal_form, legal_form),
                siret,
                ", ".join(sectors.get(pk, [])),
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
                labels["headcount"].get(headcount, headcount),
                labels["turnover"].get(turnover, turnover),
                volunteers,
                actor_labels,
                # Freshness is the daily pass's reading of published profiles only: a draft
                # (an imported one has never been confirmed) is not "à jour".
                labels["freshness"].get(freshness, freshness) if status == Status.PUBLISHED else "",
                _local_date(last_confirmed_at, zone),
                ", ".join(emails.get(pk, [])),
                created_at,
                updated_at,
                page_url(slug),
            ]


def network_workbook(queryset: QuerySet, *, request) -> SpooledTemporaryFile:
    """An XLSX of every actor of `queryset` (all statuses), with the internal fields,
    returned open at its start (see xlsx_workbook)."""
    return xlsx_workbook(
        network_header(), _network_rows(queryset, request=request), sheet_title=_("Acteurs")
    )
