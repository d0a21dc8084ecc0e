"""Reading the spreadsheets people keep: CSV (as saved by French office software) and XLSX,
every cell as the text the person sees."""

import csv
import io
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from xml.parsers.expat import ExpatError, ParserCreate

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
MAX_COLUMNS = 100
# An XLSX is a zip: a few kilobytes can hold gigabytes of XML. What a real sheet of
# MAX_FILE_BYTES holds once decompressed stays far below this.
MAX_XLSX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024


def max_lines_read() -> int:
    """Lines of a sheet read at most, blank ones included: a sheet can declare a far row
    (1,048,576) and every line up to it is produced. Blank lines between rows are common,
    this many are not."""
    return MAX_ROWS * 2 + 1000


@dataclass
class ParsedFile:
    headers: list[str]
    # [line in the file, [cells]] for each non-blank data row.
    rows: list[list]


def parse_upload(
    *, name: str, data: bytes, is_known_header: Callable[[str], bool] = lambda header: False
) -> ParsedFile:
    """The header and rows of an uploaded CSV or XLSX file, every cell as text.

    `is_known_header` tells a column name the caller recognises: a first line with none of
    them that looks like data means the header line is missing. Raises ValidationError with
    a French message for a file that cannot be read."""
    if len(data) > MAX_FILE_BYTES:
        raise ValidationError(
            _("Le fichier dépasse %(size)s Mo : découpez-le en plusieurs fichiers.")
            % {"size": MAX_FILE_BYTES // (1024 * 1024)},
            code="too_big",
        )
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension == "xls":
        raise ValidationError(
            _(
                "Le format .xls (Excel 97-2003) n'est pas pris en charge : enregistrez le "
                "fichier au format .xlsx ou .csv."
            ),
            code="bad_type",
        )
    if extension not in ("csv", "txt", "xlsx"):
        raise ValidationError(
            _("Format non pris en charge : envoyez un fichier CSV ou XLSX."), code="bad_type"
        )
    if not data.strip():
        raise ValidationError(_("Le fichier est vide."), code="empty")
    lines = _xlsx_lines(data) if extension == "xlsx" else _csv_lines(data)
    return _split_header(lines, is_known_header)


def _split_header(lines: Iterator[list[str]], is_known_header: Callable[[str], bool]) -> ParsedFile:
    headers: list[str] | None = None
    rows: list[list] = []
    for number, cells in enumerate(lines, start=1):
        if not any(cells):
            continue  # blank lines (often trailing ones in spreadsheets) are not rows
        if headers is None:
            headers = cells
            continue
        if len(rows) >= MAX_ROWS:
            raise ValidationError(
                _("Le fichier contient plus de %(max)s lignes : découpez-le en plusieurs fichiers.")
                % {"max": f"{MAX_ROWS:,}".replace(",", "\u202f")},
                code="too_many_rows",
            )
        rows.append([number, cells])
    if headers is None:
        raise ValidationError(_("Le fichier est vide."), code="empty")
    while headers and not headers[-1]:
        headers.pop()
    if len(headers) > MAX_COLUMNS:
        raise ValidationError(
            _("Le fichier a plus de %(max)s colonnes.") % {"max": MAX_COLUMNS},
            code="too_many_columns",
        )
    if not any(is_known_header(h) for h in headers) and any(_looks_like_data(h) for h in headers):
        raise ValidationError(
            _(
                "La première ligne ressemble à des données : ajoutez une ligne d'en-tête avec "
                "le nom de chaque colonne (Nom, Commune, SIRET…)."
            ),
            code="no_header",
        )
    if not rows:
        raise ValidationError(
            _("Le fichier ne contient aucune ligne de données sous la ligne d'en-tête."),
            code="no_rows",
        )
    width = len(headers)
    for row in rows:
        cells = row[1]
        if len(cells) < width:
            cells.extend([""] * (width - len(cells)))
        elif len(cells) > width:
            # Cells beyond the header have no column to be mapped to: keep them only if
            # they are blank, otherwise give them a column of their own.
            extra = cells[width:]
            if any(extra):
                headers.extend([""] * (len(cells) - width))
                width = len(headers)
            else:
                del cells[width:]
    for row in rows:
        row[1].extend([""] * (width - len(row[1])))
    headers = [h or _("Colonne %(n)s") % {"n": i + 1} for i, h in enumerate(headers)]
    return ParsedFile(headers=headers, rows=rows)


def _looks_like_data(cell: str) -> bool:
    digits = re.sub(r"\D", "", cell)
    return len(digits) >= 5 or "@" in cell


def _decode(data: bytes) -> str:
    """French spreadsheets are saved as UTF-8 (with or without BOM) or Windows-1252."""
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")  # never fails: every byte is a character


def _delimiter(text: str) -> str:
    """The delimiter of the header line: French spreadsheets export with ";" (the comma is
    the decimal separator), others with "," or a tab."""
    first_line = text.split("\n", 1)[0]
    unquoted = re.sub(r'"[^"]*"', "", first_line)
    counts = {d: unquoted.count(d) for d in (";", ",", "\t")}
    best = max(counts, key=lambda d: (counts[d], d == ";"))
    return best if counts[best] else ";"


def _csv_lines(data: bytes) -> Iterator[list[str]]:
    text = _decode(data)
    if "\x00" in text:
        raise ValidationError(
            _("Ce fichier n'est pas un CSV lisible (fichier binaire ?)."), code="bad_type"
        )
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    try:
        for cells in reader:
            yield [_clean(cell) for cell in cells]
    except csv.Error as error:
        raise ValidationError(
            _("Ce fichier CSV est mal formé (ligne %(line)s).") % {"line": reader.line_num},
            code="bad_csv",
        ) from error


def _not_a_workbook() -> ValidationError:
    return ValidationError(_("Ce fichier n'est pas un classeur XLSX lisible."), code="bad_type")


def _damaged_workbook() -> ValidationError:
    return ValidationError(
        _(
            "Ce classeur XLSX est abîmé ou n'a pas été enregistré par un tableur : ouvrez-le "
            "dans votre tableur, enregistrez-le à nouveau au format .xlsx, puis réessayez."
        ),
        code="damaged",
    )


def _xlsx_lines(data: bytes) -> Iterator[list[str]]:
    # Imported on first use: only the animators' imports read XLSX, and openpyxl is heavy
    # to load in every web and worker process.
    from openpyxl import load_workbook

    if not data.startswith(b"PK"):
        raise _not_a_workbook()
    _check_xlsx_archive(data)
    # A damaged or hostile file fails anywhere in openpyxl, while it opens the workbook as
    # while it streams the rows: a bad CRC or deflate stream (BadZipFile, zlib.error),
    # broken XML (ParseError, a SyntaxError), a missing or odd part (KeyError, ValueError,
    # TypeError, IndexError…). Every one of them gets the same answer.
    try:
        # read_only streams the sheet; data_only reads the values formulas last computed.
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:
        raise _damaged_workbook() from error
    try:
        yield from _sheet_lines(workbook)
    except ValidationError:
        raise
    except Exception as error:
        raise _damaged_workbook() from error
    finally:
        workbook.close()


def _sheet_lines(workbook) -> Iterator[list[str]]:
    sheet = workbook.worksheets[0]
    # The <dimension> the file declares is not trusted (A1:XFD1048576 would pad every
    # row to 16,384 cells): rows are read as they are, cut after MAX_COLUMNS + 1 cells
    # (enough for _split_header to see that there are too many columns).
    sheet.reset_dimensions()
    limit = max_lines_read()
    rows = sheet.iter_rows(max_col=MAX_COLUMNS + 1, values_only=True)
    for number, values in enumerate(rows, start=1):
        if number > limit:
            raise ValidationError(
                _(
                    "La feuille contient plus de %(max)s lignes, lignes vides comprises : "
                    "supprimez les lignes vides ou découpez-la en plusieurs fichiers."
                )
                % {"max": f"{limit:,}".replace(",", "\u202f")},
                code="too_many_rows",
            )
        if all(value is None for value in values):
            yield []  # a blank line, the most common one in a padded sheet
        else:
            yield [cell_text(value) for value in values]


def _check_xlsx_archive(data: bytes) -> None:
    """Refuse, before openpyxl reads any of it, a zip that decompresses into more than
    MAX_XLSX_UNCOMPRESSED_BYTES, and a part that declares XML entities."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except Exception as error:  # BadZipFile, or OSError/ValueError on a broken directory
        raise _not_a_workbook() from error
    with archive:
        members = archive.infolist()
        if sum(item.file_size for item in members) > MAX_XLSX_UNCOMPRESSED_BYTES:
            raise ValidationError(
                _(
                    "Ce classeur dépasse %(size)s Mo une fois décompressé : découpez-le en "
                    "plusieurs fichiers."
                )
                % {"size": MAX_XLSX_UNCOMPRESSED_BYTES // (1024 * 1024)},
                code="too_big",
            )
        try:
            hostile = any(_declares_entities(archive, item) for item in members)
        except Exception as error:  # a bad deflate stream or CRC, encryption, a method unknown…
            raise _damaged_workbook() from error
    if hostile:
        raise _damaged_workbook()


class _EntityDeclared(Exception):
    pass


class _RootReached(Exception):
    pass


def _declares_entities(archive: zipfile.ZipFile, item: zipfile.ZipInfo) -> bool:
    """Whether the part `item` declares XML entities, the tool of the "billion laughs" and
    of external entities. The Open Packaging Conventions forbid a DTD in a part and office
    software never writes one: a part that declares entities was made to attack the
    parser. Only the prolog is read (entities are declared before the root element); a
    part that is not XML (an image) says False."""

    def entity(*args):
        raise _EntityDeclared

    def root(*args):
        raise _RootReached

    parser = ParserCreate()
    parser.EntityDeclHandler = entity
    parser.StartElementHandler = root
    with archive.open(item) as member:
        try:
            while chunk := member.read(64 * 1024):
                parser.Parse(chunk, False)
        except _EntityDeclared:
            return True
        except (_RootReached, ExpatError):
            return False
    return False


def cell_text(value) -> str:
    """A spreadsheet cell as the text the animator sees, numbers without a spurious ".0" (a
    SIRET typed as a number is a float in XLSX: 14 digits are exact in a double)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("oui") if value else _("non")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e16:
            return str(int(value))
        return f"{value:.15g}".replace(".", ",")
    if isinstance(value, datetime):
        if value.time() == time(0, 0):
            return value.strftime("%d/%m/%Y")
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return _clean(str(value))


def _clean(text: str) -> str:
    return text.replace("\u00a0", " ").strip()
