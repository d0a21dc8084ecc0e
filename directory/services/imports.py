"""Import of an animator's spreadsheet of actors: parse, propose a mapping, check, import.

The flow, each step a service called by the views (directory/views/imports.py) or the task:

1. `batch_create`: the uploaded CSV or XLSX is parsed into text cells kept in an
   `ImportBatch` (no file is stored), the column mapping is proposed from the header names
   and every row is checked.
2. `batch_check`: the animator edits the mapping; the rows are checked again.
3. `import_start`: the animator chooses "all or nothing" or "skip the chosen rows"; the batch
   is claimed and the import queued (`directory.tasks.imports.run_import`).
4. `import_run`: one transaction creates the draft actors, their sectors, invitations and
   history; the invitations are e-mailed after the commit.

Rows are numbered as in the animator's spreadsheet (the header is line 1, the first data
row line 2), so "ligne 12" in an error is the line the animator sees in their software.
"""

import logging
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connection, connections, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from directory.models import (
    Actor,
    ActorChange,
    Commune,
    ImportBatch,
    Invitation,
    LegalForm,
    Network,
    Role,
    Sector,
    Status,
)
from directory.permissions import can_animate
from directory.services import members
from directory.services.actors import actors_insert
from ess_platform.lib.outbox.sending import Owed, owe_many
from ess_platform.lib.siret import normalize_siret, validate_siret
from ess_platform.lib.spreadsheets import MAX_ROWS, parse_upload
from ess_platform.lib.tasks import queue_on_commit
from ess_platform.lib.text import normalize

logger = logging.getLogger(__name__)

# Each erroneous row gets a checkbox in the preview; beyond this, the form would be too
# long to review (and past Django's DATA_UPLOAD_MAX_NUMBER_FIELDS): the file needs fixing.
MAX_LISTED_ERRORS = 500
# Rows inserted per bulk query, and how often the progress is written.
BATCH_SIZE = 1000

# --- Columns and their names -------------------------------------------------------------

# The actor fields a column can feed, in the order the mapping selects list them.
FIELDS: dict[str, str] = {
    "name": gettext_lazy("Nom"),
    "siret": gettext_lazy("SIRET"),
    "legal_form": gettext_lazy("Forme juridique"),
    "commune": gettext_lazy("Commune"),
    "postcode": gettext_lazy("Code postal"),
    "insee": gettext_lazy("Code INSEE de la commune"),
    "address": gettext_lazy("Adresse"),
    "sectors": gettext_lazy("Secteurs"),
    "short_description": gettext_lazy("Présentation courte"),
    "description": gettext_lazy("Présentation détaillée"),
    "keywords": gettext_lazy("Mots-clés"),
    "website": gettext_lazy("Site web"),
    "email": gettext_lazy("E-mail public"),
    "phone": gettext_lazy("Téléphone"),
    "contact_email": gettext_lazy("E-mail du contact (invité à gérer la fiche)"),
}

# Header names networks use, compared normalised (accents, case and punctuation aside).
_ALIASES: dict[str, tuple[str, ...]] = {
    "name": (
        "nom",
        "nom de la structure",
        "nom structure",
        "structure",
        "raison sociale",
        "denomination",
        "denomination sociale",
        "nom de l organisme",
        "organisme",
        "acteur",
        "nom de l acteur",
        "name",
    ),
    "siret": ("siret", "n siret", "no siret", "numero siret", "num siret", "numero de siret"),
    "legal_form": (
        "forme juridique",
        "statut juridique",
        "statut",
        "forme",
        "type de structure",
        "famille",
        "famille ess",
    ),
    "commune": ("commune", "ville", "localite", "nom de la commune", "city"),
    "postcode": ("code postal", "cp", "postcode", "code postal commune"),
    "insee": ("code insee", "insee", "code commune", "code insee commune", "cog"),
    "address": ("adresse", "adresse postale", "rue", "voie", "address", "adresse du siege"),
    "sectors": (
        "secteur",
        "secteurs",
        "secteur d activite",
        "secteurs d activite",
        "activite",
        "filiere",
        "domaine",
        "domaine d activite",
    ),
    "short_description": (
        "presentation courte",
        "description courte",
        "resume",
        "accroche",
        "presentation",
    ),
    "description": ("description", "presentation detaillee", "description detaillee", "objet"),
    "keywords": ("mots cles", "mot cle", "mots clefs", "tags"),
    "website": ("site web", "site internet", "site", "url", "web", "site web url"),
    # A bare "E-mail" column (_BARE_EMAIL) is read as the contact to invite, unless the file
    # also has a contact column: an address the animator holds must not be published
    # without the member's say.
    "email": (
        "e mail public",
        "email public",
        "courriel public",
        "adresse e mail publique",
        "e mail de contact public",
    ),
    "phone": ("telephone", "tel", "tel fixe", "numero de telephone", "phone", "portable"),
    "contact_email": (
        *(_BARE_EMAIL := ("e mail", "email", "mail", "courriel", "adresse e mail", "adresse mail")),
        "e mail du contact",
        "email du contact",
        "e mail contact",
        "email contact",
        "mail contact",
        "courriel du contact",
        "contact e mail",
        "contact email",
        "e mail referent",
        "email referent",
        "mail referent",
        "e mail du responsable",
        "email responsable",
    ),
}
HEADER_ALIASES: dict[str, str] = {
    alias: target for target, aliases in _ALIASES.items() for alias in aliases
}

# Legal forms as spreadsheets write them (normalised) → LegalForm.
_LEGAL_FORM_ALIASES: dict[str, str] = {
    "association": LegalForm.ASSOCIATION,
    "asso": LegalForm.ASSOCIATION,
    "association loi 1901": LegalForm.ASSOCIATION,
    "loi 1901": LegalForm.ASSOCIATION,
    "scop": LegalForm.SCOP,
    "sarl scop": LegalForm.SCOP,
    "sa scop": LegalForm.SCOP,
    "scic": LegalForm.SCIC,
    "sas scic": LegalForm.SCIC,
    "cae": LegalForm.CAE,
    "cooperative d activite et d emploi": LegalForm.CAE,
    "cooperative": LegalForm.COOPERATIVE,
    "autre cooperative": LegalForm.COOPERATIVE,
    "sca": LegalForm.COOPERATIVE,
    "cuma": LegalForm.COOPERATIVE,
    "mutuelle": LegalForm.MUTUAL,
    "mutual": LegalForm.MUTUAL,
    "fondation": LegalForm.FOUNDATION,
    "fonds de dotation": LegalForm.FOUNDATION,
    "esus": LegalForm.ESUS,
    "entreprise agreee esus": LegalForm.ESUS,
    "entreprise esus": LegalForm.ESUS,
    "siae": LegalForm.SIAE,
    "structure d insertion": LegalForm.SIAE,
    "structure d insertion siae": LegalForm.SIAE,
    "aci": LegalForm.SIAE,
    "ei": LegalForm.SIAE,
    "etti": LegalForm.SIAE,
    "ai": LegalForm.SIAE,
    "esat": LegalForm.ESAT_EA,
    "ea": LegalForm.ESAT_EA,
    "entreprise adaptee": LegalForm.ESAT_EA,
    "esat ea": LegalForm.ESAT_EA,
    "esat entreprise adaptee": LegalForm.ESAT_EA,
    "autre": LegalForm.OTHER,
}

_EMAIL = EmailValidator()
_URL = URLValidator(schemes=["http", "https"])
_LIST_SEPARATORS = re.compile(r"[;|\n]+")


def _max_length(field_name: str) -> int:
    return Actor._meta.get_field(field_name).max_length


# --- Mapping -----------------------------------------------------------------------------


def propose_mapping(headers: list[str]) -> dict[str, str]:
    """{column index (as text, JSON keys are text): field} from the header names. A field
    is fed by the first column that names it; the others are left out."""
    mapping: dict[str, str] = {}
    used: set[str] = set()
    names = [normalize(header) for header in headers]
    has_contact_column = any(
        HEADER_ALIASES.get(name) == "contact_email" and name not in _BARE_EMAIL for name in names
    )
    for index, name in enumerate(names):
        target = HEADER_ALIASES.get(name)
        if target == "contact_email" and name in _BARE_EMAIL and has_contact_column:
            target = "email"
        if target and target not in used:
            mapping[str(index)] = target
            used.add(target)
    return mapping


def mapping_errors(mapping: dict[str, str], *, width: int) -> list[str]:
    """Why a mapping cannot be used (empty when it can)."""
    errors = []
    targets = [t for t in mapping.values() if t]
    unknown = [t for t in targets if t not in FIELDS]
    if unknown or any(not (k.isdigit() and int(k) < width) for k in mapping):
        errors.append(_("Correspondance des colonnes invalide."))
    for target in sorted({t for t in targets if targets.count(t) > 1 and t in FIELDS}):
        errors.append(
            _("Le champ « %(field)s » est choisi pour plusieurs colonnes : gardez-en une.")
            % {"field": FIELDS[target]}
        )
    if "name" not in targets:
        errors.append(_("Choisissez la colonne qui donne le nom des structures."))
    if not {"commune", "insee", "postcode"} & set(targets):
        errors.append(
            _("Choisissez la colonne de la commune (ou du code INSEE, ou du code postal).")
        )
    return errors


# --- Checking ----------------------------------------------------------------------------


@dataclass
class CheckedRow:
    line: int
    values: dict[str, str]
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    commune: Commune | None = None
    legal_form: str = LegalForm.OTHER
    sectors: list[Sector] = field(default_factory=list)
    siret: str = ""
    postcode: str = ""
    website: str = ""

    @property
    def sector_names(self) -> list[str]:
        return [sector.name for sector in self.sectors]


def _commune_key(name: str) -> str:
    """A commune name as spreadsheets vary it: "St-Herblain", "NANTES CEDEX 1", "Rezé (44)"."""
    words = []
    for word in normalize(name).split():
        if word == "cedex" or word.isdigit():
            continue
        words.append({"st": "saint", "ste": "sainte"}.get(word, word))
    return " ".join(words)


def _code(value: str) -> str:
    """A postcode or INSEE code whose leading zero a spreadsheet dropped (01–09)."""
    value = value.replace(" ", "").upper()
    return value.zfill(5) if value.isdigit() and len(value) == 4 else value


class _Territory:
    """The network's communes, looked up by code, name and postcode, in memory."""

    def __init__(self, network: Network):
        communes = list(network.communes.all())
        self.by_insee = {c.insee: c for c in communes}
        self.by_name: dict[str, list[Commune]] = defaultdict(list)
        self.by_postcode: dict[str, list[Commune]] = defaultdict(list)
        for commune in communes:
            self.by_name[_commune_key(commune.name)].append(commune)
            for postcode in commune.postcodes.split():
                self.by_postcode[postcode].append(commune)


class _Checker:
    """Checks every row against the territory, the existing actors and the rest of the file,
    with a fixed number of queries whatever the number of rows."""

    def __init__(self, batch: ImportBatch, mapping: dict[str, str]):
        self.batch = batch
        self.columns = {target: int(index) for index, target in mapping.items() if target}
        self.territory = _Territory(batch.network)
        self.sectors = {}
        for sector in Sector.objects.all():
            self.sectors.setdefault(normalize(sector.name), sector)
            self.sectors.setdefault(normalize(sector.slug), sector)

    def rows(self) -> list[CheckedRow]:
        rows = [self._row(line, cells) for line, cells in self.batch.rows]
        self._locate(rows)
        self._find_duplicates(rows)
        return rows

    def _row(self, line: int, cells: list[str]) -> CheckedRow:
        values = {target: cells[index] for target, index in self.columns.items()}
        row = CheckedRow(line=line, values=values)
        name = values.get("name", "")
        if not name:
            row.errors.append(_("Nom manquant."))
        elif len(name) > _max_length("name"):
            row.errors.append(
                _("Nom trop long (%(max)s caractères au plus).") % {"max": _max_length("name")}
            )
        self._siret(row)
        self._legal_form(row)
        self._sectors(row)
        self._contacts(row)
        for target in ("address", "keywords", "short_description"):
            limit = _max_length(target)
            if len(values.get(target, "")) > limit:
                row.errors.append(
                    _("« %(field)s » trop long (%(max)s caractères au plus).")
                    % {"field": FIELDS[target], "max": limit}
                )
        postcode = _code(values.get("postcode", ""))
        if postcode and not re.fullmatch(r"\d{5}", postcode):
            row.errors.append(_("Code postal invalide : « %(value)s ».") % {"value": postcode})
        row.postcode = postcode
        return row

    def _siret(self, row: CheckedRow) -> None:
        raw = row.values.get("siret", "")
        siret = normalize_siret(raw)
        if not siret:
            return
        if siret.isdigit() and len(siret) == 13:
            siret = siret.zfill(14)  # typed as a number, it lost its leading zero
        try:
            validate_siret(siret)
        except ValidationError:
            row.errors.append(
                _(
                    "SIRET invalide : « %(value)s » ; attendu : 14 chiffres avec une clé "
                    "de contrôle valide."
                )
                % {"value": raw}
            )
            return
        row.siret = siret

    def _legal_form(self, row: CheckedRow) -> None:
        raw = row.values.get("legal_form", "")
        if not raw:
            return
        key = normalize(raw)
        legal_form = _LEGAL_FORM_ALIASES.get(key)
        if legal_form is None:
            with translation.override(settings.LANGUAGE_CODE):
                labels = {normalize(str(label)): value for value, label in LegalForm.choices}
            legal_form = labels.get(key)
        if legal_form is None:
            row.warnings.append(
                _("Forme juridique inconnue « %(value)s » : enregistrée comme « Autre ».")
                % {"value": raw}
            )
            legal_form = LegalForm.OTHER
        row.legal_form = legal_form

    def _sectors(self, row: CheckedRow) -> None:
        """Sectors by name or slug, separated by ";" (a comma only where the whole part is
        not itself a sector name: "Circuits courts, AMAP et magasins de producteurs")."""
        for part in _LIST_SEPARATORS.split(row.values.get("sectors", "")):
            part = part.strip()
            if not part:
                continue
            sector = self.sectors.get(normalize(part))
            pieces = [p.strip() for p in part.split(",") if p.strip()]
            if sector is not None:
                found = [sector]
            elif len(pieces) > 1 and all(normalize(p) in self.sectors for p in pieces):
                found = [self.sectors[normalize(p)] for p in pieces]
            else:
                row.warnings.append(_("Secteur inconnu « %(value)s » : ignoré.") % {"value": part})
                continue
            for sector in found:
                if sector not in row.sectors:
                    row.sectors.append(sector)

    def _contacts(self, row: CheckedRow) -> None:
        for target in ("email", "contact_email"):
            value = row.values.get(target, "")
            if not value:
                continue
            try:
                _EMAIL(value)
            except ValidationError:
                row.errors.append(_("E-mail invalide : « %(value)s ».") % {"value": value})
        website = row.values.get("website", "")
        if website:
            url = website if "://" in website else f"https://{website}"
            try:
                _URL(url)
                if len(url) > _max_length("website"):
                    raise ValidationError("too long")
            except ValidationError:
                row.errors.append(_("Site web invalide : « %(value)s ».") % {"value": website})
            else:
                row.website = url
        phone = row.values.get("phone", "")
        # A phone typed as a number lost its leading zero: 240123456 is 02 40 12 34 56.
        if re.fullmatch(r"[1-9]\d{8}", phone):
            row.values["phone"] = phone = "0" + phone
        if len(phone) > _max_length("phone"):
            row.errors.append(
                _("Téléphone trop long (%(max)s caractères au plus).")
                % {"max": _max_length("phone")}
            )

    def _locate(self, rows: list[CheckedRow]) -> None:
        """The commune of each row: by INSEE code, else by name (and postcode when given),
        else by postcode alone; each must lie in the network's territory."""
        territory = self.territory
        # Communes named or coded in the file but outside the territory, for a precise message.
        codes = {_code(r.values.get("insee", "")) for r in rows} - set(territory.by_insee) - {""}
        keys = (
            {_commune_key(r.values.get("commune", "")) for r in rows}
            - set(territory.by_name)
            - {""}
        )
        outside_codes = (
            dict(Commune.objects.filter(insee__in=codes).values_list("insee", "name"))
            if codes
            else {}
        )
        outside_names = (
            set(Commune.objects.filter(search_name__in=keys).values_list("search_name", flat=True))
            if keys
            else set()
        )
        for row in rows:
            insee = _code(row.values.get("insee", ""))
            name = row.values.get("commune", "")
            if insee:
                row.commune = territory.by_insee.get(insee)
                if row.commune is None:
                    if insee in outside_codes:
                        row.errors.append(
                            _("La commune %(name)s (%(code)s) est hors du territoire du réseau.")
                            % {"name": outside_codes[insee], "code": insee}
                        )
                    else:
                        row.errors.append(
                            _("Code INSEE inconnu : « %(value)s ».") % {"value": insee}
                        )
            elif name:
                key = _commune_key(name)
                candidates = territory.by_name.get(key, [])
                if row.postcode and candidates:
                    with_postcode = [c for c in candidates if row.postcode in c.postcodes.split()]
                    # A postcode that fits none of the namesakes is more likely a typo than
                    # a pointer to another commune: keep the name's candidates then.
                    candidates = with_postcode or candidates
                if len(candidates) == 1:
                    row.commune = candidates[0]
                elif candidates:
                    row.errors.append(
                        _(
                            "Plusieurs communes du territoire s'appellent « %(value)s » : "
                            "précisez le code postal ou le code INSEE."
                        )
                        % {"value": name}
                    )
                elif key in outside_names:
                    row.errors.append(
                        _("La commune « %(value)s » est hors du territoire du réseau.")
                        % {"value": name}
                    )
                else:
                    row.errors.append(_("Commune inconnue : « %(value)s ».") % {"value": name})
            elif row.postcode:
                candidates = territory.by_postcode.get(row.postcode, [])
                if len(candidates) == 1:
                    row.commune = candidates[0]
                elif candidates:
                    row.errors.append(
                        _(
                            "Le code postal %(value)s couvre plusieurs communes du territoire : "
                            "précisez la commune."
                        )
                        % {"value": row.postcode}
                    )
                else:
                    row.errors.append(
                        _("Aucune commune du territoire n'a le code postal %(value)s.")
                        % {"value": row.postcode}
                    )
            else:
                row.errors.append(_("Commune manquante."))

    def _find_duplicates(self, rows: list[CheckedRow]) -> None:
        """Duplicates of an existing actor (same SIRET, or same normalised name in the same
        commune) and of an earlier row of the file."""
        network_id = self.batch.network_id
        sirets = [r.siret for r in rows if r.siret]
        existing_sirets = {}
        for chunk in _chunks(sirets, 2000):
            for siret, name, actor_network in Actor.objects.filter(siret__in=chunk).values_list(
                "siret", "name", "network_id"
            ):
                existing_sirets[siret] = (name, actor_network)
        commune_ids = {r.commune.pk for r in rows if r.commune is not None}
        existing_names = {}
        for chunk in _chunks(sorted(commune_ids), 500):
            for name, commune_id, actor_network in Actor.objects.filter(
                commune_id__in=chunk
            ).values_list("name", "commune_id", "network_id"):
                existing_names.setdefault((normalize(name), commune_id), (name, actor_network))
        seen_sirets: dict[str, int] = {}
        seen_names: dict[tuple[str, str], int] = {}
        for row in rows:
            if row.siret:
                if row.siret in existing_sirets:
                    name, actor_network = existing_sirets[row.siret]
                    if actor_network == network_id:
                        message = _(
                            "Doublon : ce SIRET est déjà celui de la fiche « %(name)s »."
                        ) % {"name": name}
                    else:
                        message = _(
                            "Doublon : ce SIRET est déjà celui d'une structure d'un autre réseau."
                        )
                    row.errors.append(message)
                elif row.siret in seen_sirets:
                    row.errors.append(
                        _("Doublon dans le fichier : même SIRET qu'à la ligne %(line)s.")
                        % {"line": seen_sirets[row.siret]}
                    )
                else:
                    seen_sirets[row.siret] = row.line
            name_key = normalize(row.values.get("name", ""))
            if row.commune is None or not name_key:
                continue
            key = (name_key, row.commune.pk)
            if key in existing_names:
                name, actor_network = existing_names[key]
                if actor_network == network_id:
                    message = _("Doublon : la fiche « %(name)s » existe déjà à %(commune)s.") % {
                        "name": name,
                        "commune": row.commune.name,
                    }
                else:
                    message = _(
                        "Doublon : une structure de ce nom existe déjà à %(commune)s "
                        "(dans un autre réseau)."
                    ) % {"commune": row.commune.name}
                row.errors.append(message)
            elif key in seen_names:
                row.errors.append(
                    _("Doublon dans le fichier : même nom et même commune qu'à la ligne %(line)s.")
                    % {"line": seen_names[key]}
                )
            else:
                seen_names[key] = row.line


def _chunks(items: list, size: int) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def check_rows(batch: ImportBatch, mapping: dict[str, str] | None = None) -> list[CheckedRow]:
    """Every row of the batch, read through the mapping and checked."""
    return _Checker(batch, batch.mapping if mapping is None else mapping).rows()


def row_warnings(batch: ImportBatch) -> list[tuple[int, str]]:
    """(line, warning) pairs: what will be imported differently from the file (an unknown
    legal form becomes "Autre", an unknown sector is left out). Reads no actor."""
    checker = _Checker(batch, batch.mapping)
    return [
        (line, warning)
        for line, cells in batch.rows
        for warning in checker._row(line, cells).warnings
    ]


# --- Services ----------------------------------------------------------------------------


def batch_create(*, network: Network, by: AbstractBaseUser, name: str, data: bytes) -> ImportBatch:
    """Parse an uploaded file, propose the mapping and check the rows."""
    if not can_animate(by, network):
        raise PermissionDenied
    parsed = parse_upload(
        name=name, data=data, is_known_header=lambda header: normalize(header) in HEADER_ALIASES
    )
    batch = ImportBatch(
        network=network,
        created_by=by,
        filename=name[:255],
        headers=parsed.headers,
        rows=parsed.rows,
        mapping=propose_mapping(parsed.headers),
        total=len(parsed.rows),
    )
    _apply_check(batch, batch.mapping)
    batch.save()
    return batch


def batch_check(
    *, batch: ImportBatch, by: AbstractBaseUser, mapping: dict[str, str]
) -> ImportBatch:
    """The animator's mapping replaces the proposed one; the rows are checked again."""
    if not can_animate(by, batch.network_id):
        raise PermissionDenied
    if batch.state not in (ImportBatch.State.UPLOADED, ImportBatch.State.CHECKED):
        raise ValidationError(_("Cet import a déjà été lancé."))
    mapping = {k: v for k, v in mapping.items() if v}
    errors = mapping_errors(mapping, width=len(batch.headers))
    batch.mapping = mapping
    if errors:
        # Saved all the same, so the animator's choices are kept on the page.
        batch.state = ImportBatch.State.UPLOADED
        batch.row_errors = {}
        batch.save(update_fields=["mapping", "state", "row_errors"])
        raise ValidationError(errors)
    _apply_check(batch, mapping)
    batch.save(update_fields=["mapping", "state", "row_errors", "error_message"])
    return batch


def _apply_check(batch: ImportBatch, mapping: dict[str, str]) -> list[CheckedRow]:
    if mapping_errors(mapping, width=len(batch.headers)):
        batch.state = ImportBatch.State.UPLOADED
        batch.row_errors = {}
        return []
    rows = check_rows(batch, mapping)
    batch.row_errors = {str(row.line): row.errors for row in rows if row.errors}
    batch.state = ImportBatch.State.CHECKED
    batch.error_message = ""
    return rows


def parse_line_numbers(text: str) -> set[int]:
    """ "3, 8-10 ; 12" → {3, 8, 9, 10, 12}. Raises ValidationError on anything else."""
    lines: set[int] = set()
    for part in re.split(r"[\s,;]+", text.strip()):
        if not part:
            continue
        match = re.fullmatch(r"(\d+)(?:-(\d+))?", part)
        if not match:
            raise ValidationError(
                _("« %(value)s » n'est pas un numéro de ligne (exemple : 3, 8-10).")
                % {"value": part}
            )
        first = int(match[1])
        last = int(match[2] or first)
        if last < first or last - first > MAX_ROWS:
            raise ValidationError(_("Plage de lignes invalide : « %(value)s ».") % {"value": part})
        lines.update(range(first, last + 1))
    return lines


def _format_lines(lines: Iterable[int], limit: int = 20) -> str:
    lines = sorted(lines)
    text = ", ".join(str(n) for n in lines[:limit])
    return text + ("…" if len(lines) > limit else "")


def import_start(
    *, batch: ImportBatch, by: AbstractBaseUser, mode: str, skipped: Iterable[int] = ()
) -> ImportBatch:
    """Validate the animator's choice, claim the batch and queue the import.

    All or nothing is refused while a row has an error; in "skip" mode every erroneous
    row must be among the skipped ones (valid rows may be skipped too)."""
    if not can_animate(by, batch.network_id):
        raise PermissionDenied
    if batch.state != ImportBatch.State.CHECKED:
        raise ValidationError(_("Cet import a déjà été lancé, ou sa correspondance est à revoir."))
    error_lines = {int(line) for line in batch.row_errors}
    file_lines = {line for line, _cells in batch.rows}
    skipped = set(skipped)
    if mode == ImportBatch.Mode.ALL_OR_NOTHING:
        if error_lines:
            raise ValidationError(
                ngettext(
                    "Une ligne contient des erreurs : corrigez le fichier, ou choisissez "
                    "d'ignorer les lignes en erreur.",
                    "%(count)s lignes contiennent des erreurs : corrigez le fichier, ou "
                    "choisissez d'ignorer les lignes en erreur.",
                    len(error_lines),
                )
                % {"count": len(error_lines)}
            )
        if skipped:
            raise ValidationError(
                _(
                    "« Tout ou rien » importe toutes les lignes : pour en ignorer, choisissez "
                    "« Ignorer les lignes choisies »."
                )
            )
    elif mode == ImportBatch.Mode.SKIP_CHOSEN:
        if len(error_lines) > MAX_LISTED_ERRORS:
            raise ValidationError(
                _(
                    "Trop de lignes en erreur (%(count)s) pour les choisir une à une : "
                    "corrigez le fichier."
                )
                % {"count": len(error_lines)}
            )
        unknown = skipped - file_lines
        if unknown:
            raise ValidationError(
                _("Ces lignes n'existent pas dans le fichier : %(lines)s.")
                % {"lines": _format_lines(unknown)}
            )
        kept_errors = error_lines - skipped
        if kept_errors:
            raise ValidationError(
                _("Les lignes en erreur doivent être ignorées : ligne(s) %(lines)s.")
                % {"lines": _format_lines(kept_errors)}
            )
    else:
        raise ValidationError(_("Choisissez un mode d'import."))
    to_import = len(file_lines - skipped)
    if not to_import:
        raise ValidationError(_("Aucune ligne à importer."))
    # Conditional update: a double click or a second animator does not start it twice.
    claimed = ImportBatch.objects.filter(pk=batch.pk, state=ImportBatch.State.CHECKED).update(
        state=ImportBatch.State.RUNNING,
        mode=mode,
        skipped_rows=sorted(skipped),
        total=to_import,
        processed=0,
        created_count=0,
        error_message="",
    )
    if not claimed:
        raise ValidationError(_("Cet import a déjà été lancé."))
    queue_on_commit("directory.tasks.imports.run_import", batch.pk)
    batch.refresh_from_db()
    return batch


class _ProgressWriter:
    """Writes `processed` where a polling page can read it while the import's transaction
    is still open.

    The import holds one transaction so that a failure leaves nothing behind (committing
    each batch and deleting them on failure would show half an import to readers, and a
    killed worker could not delete anything). Its own writes are invisible to others until
    the commit, so the progress goes through a second database connection in autocommit:
    on PostgreSQL a nested `transaction.atomic()` is a savepoint of the same transaction,
    not a separate one. On SQLite (the embedded default) the import runs inline in the
    request, nobody polls meanwhile, and a second connection would wait for the single
    writer's lock: the progress is then only written at the end.

    The import's transaction must not lock the batch row before its last progress write,
    or the two connections would wait for each other.
    """

    def __init__(self, batch_id: int):
        self.batch_id = batch_id
        self.connection = None
        if connection.vendor == "postgresql":
            self.connection = connections.create_connection(DEFAULT_DB_ALIAS)

    def write(self, processed: int) -> None:
        if self.connection is None:
            return
        table = self.connection.ops.quote_name(ImportBatch._meta.db_table)
        try:
            with self.connection.cursor() as cursor:
                # Should a caller's outer transaction hold the batch row, waiting for it
                # would wait for ourselves: give up on the progress instead.
                cursor.execute("SET lock_timeout = '2s'")
                cursor.execute(
                    f"UPDATE {table} SET processed = %s WHERE id = %s", [processed, self.batch_id]
                )
        except DatabaseError:
            logger.warning("Import %s: progress not written", self.batch_id, exc_info=True)
            self.close()
            self.connection = None

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()


def import_run(batch_id: int) -> None:
    """Create the draft actors of a claimed batch: all its chosen rows, or none.

    Idempotent: a batch that is not running (done, failed, or never claimed) is left
    alone; a worker killed half-way leaves it running with nothing created (the transaction
    is rolled back), and the redelivered task runs it again from the start."""
    batch = ImportBatch.objects.select_related("network", "created_by").get(pk=batch_id)
    if batch.state != ImportBatch.State.RUNNING:
        return
    progress = _ProgressWriter(batch.pk)
    try:
        rows = check_rows(batch)
        skipped = set(batch.skipped_rows)
        chosen = [row for row in rows if row.line not in skipped]
        new_errors = {str(row.line): row.errors for row in chosen if row.errors}
        if new_errors:
            # Something changed since the check (an actor created meanwhile…): back to the
            # preview with the new errors, nothing imported.
            ImportBatch.objects.filter(pk=batch.pk).update(
                state=ImportBatch.State.CHECKED,
                row_errors={str(r.line): r.errors for r in rows if r.errors},
                processed=0,
                error_message=_(
                    "De nouvelles erreurs sont apparues depuis la vérification : rien n'a été "
                    "importé. Vérifiez les lignes signalées puis relancez l'import."
                ),
            )
            return
        with transaction.atomic():
            invitation_ids = _create_actors(batch, chosen, progress)
            # Only now does this transaction touch the batch row (see _ProgressWriter).
            ImportBatch.objects.filter(pk=batch.pk).update(
                state=ImportBatch.State.DONE,
                processed=len(chosen),
                created_count=len(chosen),
                finished_at=timezone.now(),
                error_message="",
            )
            _owe_invitations(invitation_ids)
    except Exception:
        # Never a half import nor a 500: the transaction is rolled back, the page says so.
        logger.exception("Import %s failed", batch_id)
        ImportBatch.objects.filter(pk=batch.pk).update(
            state=ImportBatch.State.FAILED,
            processed=0,
            created_count=0,
            finished_at=timezone.now(),
            error_message=_(
                "L'import a échoué et aucune fiche n'a été créée. Réessayez plus tard ; si "
                "l'erreur persiste, contactez l'administrateur de la plateforme."
            ),
        )
    finally:
        progress.close()


def _create_actors(
    batch: ImportBatch, rows: list[CheckedRow], progress: _ProgressWriter
) -> list[int]:
    """Insert the rows as draft actors of the network, through the same function as every
    new actor (services.actors.actors_insert); returns the invitations' ids."""
    by = batch.created_by
    invitation_ids: list[int] = []
    done = 0
    for chunk_rows in _chunks(rows, BATCH_SIZE):
        actors = actors_insert(
            actors=[_actor_of(batch, row) for row in chunk_rows],
            sectors=[row.sectors for row in chunk_rows],
            by=by,
            source=ActorChange.Source.IMPORT,
            note=batch.filename,
        )
        # Imported by the network's animator, not by a member: the per-hour cap of
        # services.members.invitation_create (which stops a member from spamming through
        # the platform) would stop a network of 300 structures at 20. These go to the
        # addresses of the network's own spreadsheet, once per new actor.
        invitations = Invitation.objects.bulk_create(
            [
                Invitation(actor=actor, email=email.lower(), role=Role.OWNER, invited_by=by)
                for actor, row in zip(actors, chunk_rows, strict=True)
                if (email := (row.values.get("contact_email") or row.values.get("email", "")))
            ],
            batch_size=BATCH_SIZE,
        )
        invitation_ids.extend(invitation.pk for invitation in invitations)
        done += len(actors)
        progress.write(done)
    return invitation_ids


def _actor_of(batch: ImportBatch, row: CheckedRow) -> Actor:
    values = row.values
    description = values.get("description", "")
    short = values.get("short_description", "") or _summary(description)
    return Actor(
        network=batch.network,
        name=values["name"],
        legal_form=row.legal_form,
        siret=row.siret,
        short_description=short,
        description=description,
        keywords=values.get("keywords", ""),
        website=row.website,
        email=values.get("email", "").lower(),
        phone=values.get("phone", ""),
        address=values.get("address", ""),
        postcode=row.postcode,
        commune=row.commune,
        # The commune's point: geocoding thousands of addresses would take the import
        # past a minute and hammer the geocoder; the member places the pin when completing.
        lat=row.commune.lat,
        lon=row.commune.lon,
        status=Status.DRAFT,
        # Nobody who knows the structure has confirmed these details yet (a network's
        # spreadsheet may be years old): the clock starts when a member confirms or edits
        # them, or when the animator publishes the profile (services._set_confirmed).
        last_confirmed_at=None,
    )


def _summary(description: str) -> str:
    """The short presentation a long description begins with, cut at a word."""
    limit = _max_length("short_description")
    if len(description) <= limit:
        return description
    return description[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:.") + "…"


def _owe_invitations(invitation_ids: list[int]) -> int:
    """Record, in the import's transaction, the e-mail inviting each row's contact to
    confirm and complete the profile; the outbox sends them once the import is committed,
    each once, whatever happens to the worker."""
    invitations = Invitation.objects.filter(pk__in=invitation_ids).select_related(
        "actor__network", "invited_by"
    )
    return owe_many(
        [
            Owed(
                key=f"directory.invitation:{invitation.pk}",
                to=[invitation.email],
                template="directory/imports/emails/invitation",
                context={
                    "invitation": invitation,
                    "actor": invitation.actor,
                    "network": invitation.actor.network,
                    "url": members.invitation_url(invitation),
                    "valid_days": members.INVITATION_MAX_AGE.days,
                },
            )
            for invitation in invitations
        ]
    )
