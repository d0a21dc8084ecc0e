"""Downloads every app writes: CSV and XLSX for spreadsheets, GeoJSON for maps, and names.

The app chooses the rows; these helpers write them the same way everywhere. Each takes an
iterable of rows and never holds more than a batch of them: read a large queryset with
`chunked_values()` and fetch what the rows need once per chunk, so that the query count
follows the number of chunks, never the number of rows.

CSV choices, for the spreadsheets of French users (the people who download them most):
- UTF-8 with a byte order mark: without it Excel reads the accents as Latin-1;
- `;` as delimiter: French Excel's list separator (the decimal separator is the comma), so
  a double-click opens one column per field; every CSV reader takes the delimiter as an
  option;
- text cells starting with = + - @ (or a tab or carriage return) are prefixed with a
  quote, so a spreadsheet shows them instead of running them as formulas (CSV injection).
  Every `str` cell is text; give numbers as numbers (int, float, Decimal), whose minus sign
  is not a formula.
"""

import csv
import io
import json
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from itertools import islice

from django.db.models import QuerySet
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

CSV_DELIMITER = ";"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
GEOJSON_CONTENT_TYPE = "application/geo+json"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# First characters a spreadsheet reads as the start of a formula (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Rows (or features) per piece of a streamed body: pieces of a few hundred kilobytes.
ROWS_PER_PIECE = 1000
# Past this size, a workbook being saved goes to disk instead of memory.
XLSX_MAX_MEMORY_BYTES = 1024 * 1024


def neutralise_formula(value: str) -> str:
    """Text a spreadsheet shows as typed instead of evaluating it."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def export_filename(*, prefix: str, extension: str) -> str:
    """`<prefix>-<today>.<extension>`, today in the platform's time zone."""
    return f"{prefix}-{timezone.localdate().isoformat()}.{extension}"


def chunked_values(queryset: QuerySet, fields: Sequence[str], *, size: int) -> Iterator[list]:
    """The rows of `queryset` as tuples of `fields`, in lists of `size`.

    Plain tuples read through `.iterator()`: memory holds one chunk, not the queryset. The
    caller chooses `size` for what it fetches per chunk (one query for a chunk's related
    rows, say), and puts "pk" in `fields` to fetch them.
    """
    rows = queryset.values_list(*fields).iterator(chunk_size=size)
    while chunk := list(islice(rows, size)):
        yield chunk


def _pieces(items: Iterable, size: int = ROWS_PER_PIECE) -> Iterator[list]:
    items = iter(items)
    while piece := list(islice(items, size)):
        yield piece


# --- CSV ------------------------------------------------------------------------------------


def csv_stream(header: list[str], rows: Iterable[list]) -> Iterator[str]:
    """The CSV text in pieces of ROWS_PER_PIECE rows, byte order mark and header first.

    Every `str` cell goes through neutralise_formula(); other values are written with
    `str()` (None as an empty cell).
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=CSV_DELIMITER, lineterminator="\r\n")
    writer.writerow(header)
    yield "\ufeff" + buffer.getvalue()
    for piece in _pieces(rows):
        buffer.seek(0)
        buffer.truncate()
        writer.writerows(
            [neutralise_formula(cell) if isinstance(cell, str) else cell for cell in row]
            for row in piece
        )
        yield buffer.getvalue()


# --- GeoJSON --------------------------------------------------------------------------------


def geojson_point(lat: float, lon: float) -> dict:
    """A GeoJSON Point: longitude first (RFC 7946), to 6 decimals (about 10 cm)."""
    return {"type": "Point", "coordinates": [round(lon, 6), round(lat, 6)]}


def geojson_stream(features: Iterable[dict]) -> Iterator[str]:
    """A GeoJSON FeatureCollection in pieces of ROWS_PER_PIECE features."""
    yield '{"type":"FeatureCollection","features":['
    separator = ""
    for piece in _pieces(features):
        yield separator + ",".join(
            json.dumps(feature, ensure_ascii=False, separators=(",", ":")) for feature in piece
        )
        separator = ","
    yield "]}\n"


# --- XLSX -----------------------------------------------------------------------------------


def xlsx_text_cell(sheet, value: str) -> Cell | str:
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


def _xlsx_value(sheet, value):
    if isinstance(value, str):
        return xlsx_text_cell(sheet, value)
    if isinstance(value, datetime) and timezone.is_aware(value):
        # Spreadsheets know no time zones: the platform's local time, as on its pages.
        return timezone.localtime(value).replace(tzinfo=None)
    return value


def default_widths(header: Sequence[str]) -> list[float]:
    """Column widths from the titles, roomy enough for most values."""
    return [max(12, min(40, len(title) + 4)) for title in header]


def xlsx_workbook(
    header: list[str],
    rows: Iterable[list],
    *,
    sheet_title: str,
    widths: Sequence[float] | None = None,
) -> tempfile.SpooledTemporaryFile:
    """An XLSX of one sheet: a bold header, frozen, with filter buttons over every row.

    Every `str` cell is text (xlsx_text_cell), never a formula; aware datetimes are written
    in the platform's local time; numbers, dates and None as they are. `widths` defaults to
    default_widths(header).

    A workbook is a zip whose index is written last, so it cannot be streamed row by row:
    openpyxl's write-only mode keeps the rows in a temporary file, not in memory, and the
    saved workbook goes to a temporary file too, returned open at its start (the
    FileResponse that sends it closes it).
    """
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title)
    sheet.freeze_panes = "A2"
    # Widths set before the first row: write-only mode writes them first.
    for index, width in enumerate(widths or default_widths(header), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    bold = Font(bold=True)
    header_cells = []
    for title in header:
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)

    count = 0
    for row in rows:
        sheet.append([_xlsx_value(sheet, value) for value in row])
        count += 1

    # Filter buttons on the header, over every row (set after the rows: write-only mode
    # serialises the filter when the sheet is closed).
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(header))}{count + 1}"
    output = tempfile.SpooledTemporaryFile(max_size=XLSX_MAX_MEMORY_BYTES)  # noqa: SIM115
    workbook.save(output)
    output.seek(0)
    return output
