"""The download writers every app shares: what a person opening the file sees."""

import csv
import io
import json
from datetime import UTC, date, datetime
from decimal import Decimal

from openpyxl import load_workbook

from ess_platform.lib.exports import ROWS_PER_PIECE, csv_stream, geojson_stream, xlsx_workbook

BOM = "\ufeff"


def csv_text(header, rows) -> str:
    return "".join(csv_stream(header, rows))


class TestCsv:
    def test_opens_in_french_excel_one_column_per_field(self):
        text = csv_text(["Nom", "Ville"], [["Café; coopératif", "Nantes"]])

        assert text.startswith(BOM)  # else Excel reads the accents as Latin-1
        assert text.removeprefix(BOM) == 'Nom;Ville\r\n"Café; coopératif";Nantes\r\n'

    def test_text_that_a_spreadsheet_would_run_is_shown_as_typed(self):
        formulas = ['=HYPERLINK("https://evil.example")', "+33 2 40", "-1 rue", "@SUM(A1)"]
        text = csv_text(["Texte"], [[value] for value in [*formulas, "\tx", "\rx", "Sûr"]])

        rows = list(csv.reader(io.StringIO(text.removeprefix(BOM)), delimiter=";"))

        assert [row[0] for row in rows[1:]] == [
            *("'" + value for value in formulas),
            "'\tx",
            "'\rx",
            "Sûr",
        ]

    def test_numbers_keep_their_sign_and_none_is_empty(self):
        text = csv_text(["a", "b", "c", "d"], [[Decimal("-1.553600"), -3, None, date(2024, 5, 1)]])

        assert text.removeprefix(BOM).splitlines()[1] == "-1.553600;-3;;2024-05-01"

    def test_every_row_of_a_long_export(self):
        rows = ([f"ligne {n}"] for n in range(ROWS_PER_PIECE * 2 + 1))

        pieces = list(csv_stream(["Ligne"], rows))

        lines = "".join(pieces).removeprefix(BOM).splitlines()
        assert len(pieces) > 2  # streamed, not built in memory as one string
        assert lines[-1] == f"ligne {ROWS_PER_PIECE * 2}"
        assert len(lines) == ROWS_PER_PIECE * 2 + 2


class TestGeoJson:
    def test_a_valid_collection_whatever_its_size(self):
        for count in (0, 1, ROWS_PER_PIECE * 2 + 1):
            features = ({"type": "Feature", "properties": {"n": n}} for n in range(count))

            body = json.loads("".join(geojson_stream(features)))

            assert body["type"] == "FeatureCollection"
            assert [f["properties"]["n"] for f in body["features"]] == list(range(count))


def open_sheet(header, rows, **kwargs):
    output = xlsx_workbook(header, rows, sheet_title="Feuille", **kwargs)
    with output:
        return load_workbook(io.BytesIO(output.read()))["Feuille"]


class TestXlsx:
    def test_bold_frozen_header_with_filters_over_every_row(self):
        sheet = open_sheet(["Nom", "Commune", "Effectif"], [["A", "Nantes", 3], ["B", "Rezé", 5]])

        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref == "A1:C3"
        assert all(cell.font.bold for cell in sheet[1])
        assert [cell.value for cell in sheet[3]] == ["B", "Rezé", 5]

    def test_columns_are_wide_enough_to_read_the_titles(self):
        sheet = open_sheet(["Nom", "Présentation courte"], [], widths=None)

        assert sheet.column_dimensions["A"].width == 12
        assert sheet.column_dimensions["B"].width == len("Présentation courte") + 4
        assert open_sheet(["Nom"], [], widths=[30]).column_dimensions["A"].width == 30

    def test_formulas_and_error_codes_stay_text(self):
        sheet = open_sheet(["Texte"], [["=1+1"], ["#N/A"], ["-5 %"], ["Sûr\x00"]])

        formula, error, minus, plain = (sheet.cell(row=n, column=1) for n in range(2, 6))
        assert (formula.value, formula.data_type, formula.quotePrefix) == ("=1+1", "s", True)
        assert (error.value, error.data_type) == ("#N/A", "s")
        assert (minus.value, minus.data_type) == ("-5 %", "s")
        assert plain.value == "Sûr"  # a character XML cannot hold is dropped

    def test_times_in_the_platform_s_time_zone(self, settings):
        settings.TIME_ZONE = "Europe/Paris"

        sheet = open_sheet(["Créé le"], [[datetime(2024, 7, 1, 22, 30, tzinfo=UTC)]])

        assert sheet["A2"].value == datetime(2024, 7, 2, 0, 30)
