"""The rows of an animator's spreadsheet, read against the territory and the directory.

Proposes which column feeds which field (`propose_mapping`), says what is wrong with a
mapping (`mapping_errors`), and checks every row (`check_rows`): SIRET, legal form, sectors,
contacts, commune of the territory, duplicates of existing actors and of earlier rows. It
reads and writes nothing but the rows it returns; directory/services/imports.py does the
writes.

What makes a duplicate here is the strict rule that blocks an import: the same SIRET, or the
same normalised name in the same commune. The profile form's softer hint ("a structure that
may already exist", ActorQuerySet.possible_duplicates) only warns.

Rows are numbered as in the animator's spreadsheet (the header is line 1, the first data
row line 2), so "ligne 12" in an error is the line the animator sees in their software.
"""

import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from directory.models import Actor, Commune, ImportBatch, LegalForm, Network, Sector
from ess_platform.lib.siret import normalize_siret, validate_siret
from ess_platform.lib.text import normalize

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


def max_length(field_name: str) -> int:
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
        elif len(name) > max_length("name"):
            row.errors.append(
                _("Nom trop long (%(max)s caractères au plus).") % {"max": max_length("name")}
            )
        self._siret(row)
        self._legal_form(row)
        self._sectors(row)
        self._contacts(row)
        for target in ("address", "keywords", "short_description"):
            limit = max_length(target)
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
                if len(url) > max_length("website"):
                    raise ValidationError("too long")
            except ValidationError:
                row.errors.append(_("Site web invalide : « %(value)s ».") % {"value": website})
            else:
                row.website = url
        phone = row.values.get("phone", "")
        # A phone typed as a number lost its leading zero: 240123456 is 02 40 12 34 56.
        if re.fullmatch(r"[1-9]\d{8}", phone):
            row.values["phone"] = phone = "0" + phone
        if len(phone) > max_length("phone"):
            row.errors.append(
                _("Téléphone trop long (%(max)s caractères au plus).")
                % {"max": max_length("phone")}
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
        for chunk in chunks(sirets, 2000):
            for siret, name, actor_network in Actor.objects.filter(siret__in=chunk).values_list(
                "siret", "name", "network_id"
            ):
                existing_sirets[siret] = (name, actor_network)
        commune_ids = {r.commune.pk for r in rows if r.commune is not None}
        existing_names = {}
        for chunk in chunks(sorted(commune_ids), 500):
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


def chunks(items: list, size: int) -> Iterator[list]:
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
