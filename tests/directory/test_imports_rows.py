"""Reading an import's file and checking its rows (lib.spreadsheets, directory.import_rows)."""

import io
import time
import zipfile
from datetime import datetime

import pytest
from django.core.exceptions import ValidationError
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from directory import import_rows
from directory.models import ImportBatch, LegalForm, Sector
from ess_platform.lib import spreadsheets
from tests.directory.helpers import HEADER, csv_bytes, errors_of, make_siret, upload
from tests.factories import ActorFactory, CommuneFactory

# --- Parsing -------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("delimiter", [";", ",", "\t"])
def test_csv_delimiters_are_detected(network, animator, delimiter):
    data = csv_bytes([["Recyclerie Est", "", "Association", "Nantes", "", ""]], delimiter=delimiter)

    batch = upload(network, animator, data)

    assert batch.headers == HEADER
    assert batch.rows == [[2, ["Recyclerie Est", "", "Association", "Nantes", "", ""]]]


@pytest.mark.django_db
def test_cp1252_csv_keeps_its_accents(network, animator):
    data = csv_bytes([["Épicerie de Rezé", "", "Association", "Rezé", "", ""]], encoding="cp1252")

    batch = upload(network, animator, data)

    assert batch.rows[0][1][0] == "Épicerie de Rezé"
    assert batch.row_errors == {}


@pytest.mark.django_db
def test_utf8_bom_and_quoted_delimiters(network, animator):
    data = '\ufeffNom;Commune;Description\n"Café; associatif";Nantes;"Sur\ndeux lignes"\n'

    batch = upload(network, animator, data.encode("utf-8"))

    assert batch.headers == ["Nom", "Commune", "Description"]
    assert batch.rows[0][1] == ["Café; associatif", "Nantes", "Sur\ndeux lignes"]


def xlsx_bytes(rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.mark.django_db
def test_xlsx_cells_become_text_without_losing_digits(network, animator):
    siret = make_siret(1234567)
    data = xlsx_bytes(
        [
            ["Nom", "SIRET", "Code INSEE", "Code postal", "Téléphone", "Créée le", None],
            ["Atelier Vélo", float(siret), 44109, 4400, 240123456, datetime(2020, 3, 1), None],
            [None, None, None, None, None, None, None],  # trailing blank rows are dropped
        ]
    )

    batch = upload(network, animator, data, name="Acteurs.XLSX")

    assert batch.headers == ["Nom", "SIRET", "Code INSEE", "Code postal", "Téléphone", "Créée le"]
    assert batch.rows == [
        [2, ["Atelier Vélo", siret.lstrip("0"), "44109", "4400", "240123456", "01/03/2020"]]
    ]
    (row,) = import_rows.check_rows(batch)
    assert siret.startswith("0")
    assert row.siret == siret
    # A postcode or phone typed as a number lost its leading zero: put it back.
    assert row.postcode == "04400"
    assert row.values["phone"] == "0240123456"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("acteurs.pdf", b"%PDF-1.4", "Format non pris en charge"),
        ("acteurs.xls", b"\xd0\xcf\x11\xe0", "Le format .xls"),
        ("acteurs.xlsx", b"not a zip file", "n'est pas un classeur XLSX lisible"),
        ("acteurs.xlsx", b"PK\x03\x04broken", "n'est pas un classeur XLSX lisible"),
        ("acteurs.csv", b"", "Le fichier est vide."),
        ("acteurs.csv", b"\r\n;;\r\n", "Le fichier est vide."),
        ("acteurs.csv", b"Nom;Commune\r\n", "aucune ligne de données"),
        (
            "acteurs.csv",
            b"Recyclerie;44109;12345678200010\r\nAutre;44143;\r\n",
            "ressemble à des données",
        ),
    ],
)
def test_unreadable_files_are_refused_in_french(network, animator, name, data, message):
    with pytest.raises(ValidationError) as error:
        upload(network, animator, data, name=name)

    assert message in " ".join(error.value.messages)
    assert not ImportBatch.objects.exists()


@pytest.mark.django_db
def test_size_and_row_limits(network, animator, monkeypatch):
    monkeypatch.setattr(spreadsheets, "MAX_ROWS", 3)
    with pytest.raises(ValidationError, match="plus de 3 lignes"):
        upload(network, animator, csv_bytes([["A", "", "", "Nantes", "", ""]] * 4))

    monkeypatch.setattr(spreadsheets, "MAX_FILE_BYTES", 100)
    with pytest.raises(ValidationError, match="dépasse"):
        upload(network, animator, b"Nom;Commune\r\n" + b"x;Nantes\r\n" * 20)


def xlsx_with_sheet(rows_xml: str, *, dimension: str = "A1:B2") -> bytes:
    """A real workbook whose first sheet is replaced by hand-written XML: what a hostile
    file declares (its <dimension>, far rows and columns) that openpyxl would not write."""
    sheet_xml = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<dimension ref="{dimension}"/><sheetData>{rows_xml}</sheetData></worksheet>'
    )
    source = zipfile.ZipFile(io.BytesIO(xlsx_bytes([["x"]])))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = sheet_xml.encode()
            archive.writestr(item, content)
    return buffer.getvalue()


def text_cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


HEADER_AND_ONE_ROW = (
    f'<row r="1">{text_cell("A1", "Nom")}{text_cell("B1", "Commune")}</row>'
    f'<row r="2">{text_cell("A2", "Atelier Vélo")}{text_cell("B2", "Nantes")}</row>'
)


def parse_xlsx(data: bytes):
    return spreadsheets.parse_upload(name="acteurs.xlsx", data=data)


@pytest.fixture
def cell_budget(monkeypatch):
    """Fail as soon as far more cells are converted than the sheet holds: a padded sheet
    costs 16,384 cells a line, and would take minutes before failing on time."""
    real_cell_text = spreadsheets.cell_text
    calls = 0

    def cell_text(value):
        nonlocal calls
        calls += 1
        assert calls <= 100_000, "the sheet is read cell by cell as its <dimension> says"
        return real_cell_text(value)

    monkeypatch.setattr(spreadsheets, "cell_text", cell_text)


def test_a_declared_dimension_is_not_trusted(cell_budget):
    # A1:XFD1048576 makes openpyxl pad every row to 16,384 cells, down to the last row.
    far_row = f'<row r="3000">{text_cell("A3000", "Recyclerie")}{text_cell("B3000", "Rezé")}</row>'
    data = xlsx_with_sheet(HEADER_AND_ONE_ROW + far_row, dimension="A1:XFD1048576")
    assert len(data) < 10_000

    started = time.monotonic()
    parsed = parse_xlsx(data)

    assert time.monotonic() - started < 5
    assert parsed.headers == ["Nom", "Commune"]
    assert parsed.rows == [[2, ["Atelier Vélo", "Nantes"]], [3000, ["Recyclerie", "Rezé"]]]


def test_a_sheet_declaring_a_million_rows_is_refused_quickly(cell_budget):
    far_cell = f'<row r="1048576">{text_cell("XFD1048576", "x")}</row>'
    data = xlsx_with_sheet(HEADER_AND_ONE_ROW + far_cell, dimension="A1:XFD1048576")
    assert len(data) < 10_000

    started = time.monotonic()
    with pytest.raises(ValidationError) as error:
        parse_xlsx(data)

    assert time.monotonic() - started < 5
    assert error.value.code == "too_many_rows"
    assert "lignes vides comprises" in error.value.messages[0]


def test_blank_lines_count_against_the_lines_read(monkeypatch):
    monkeypatch.setattr(spreadsheets, "MAX_ROWS", 10)
    limit = spreadsheets.max_lines_read()
    cells = text_cell(f"A{limit}", "Dernière") + text_cell(f"B{limit}", "Nantes")
    near = f'<row r="{limit}">{cells}</row>'
    parsed = parse_xlsx(xlsx_with_sheet(HEADER_AND_ONE_ROW + near, dimension=f"A1:B{limit}"))
    assert [line for line, _cells in parsed.rows] == [2, limit]

    beyond = near.replace(f"{limit}", f"{limit + 1}")
    with pytest.raises(ValidationError) as error:
        parse_xlsx(xlsx_with_sheet(HEADER_AND_ONE_ROW + beyond, dimension=f"A1:B{limit + 1}"))
    assert error.value.code == "too_many_rows"


def test_cells_far_to_the_right_are_not_read():
    far_cell = text_cell("XFD2", "perdu")
    rows = HEADER_AND_ONE_ROW.replace("</row>", far_cell + "</row>", 2)
    rows = rows.replace(far_cell, "", 1)  # the header keeps its two columns

    parsed = parse_xlsx(xlsx_with_sheet(rows, dimension="A1:XFD2"))

    assert parsed.headers == ["Nom", "Commune"]
    assert parsed.rows == [[2, ["Atelier Vélo", "Nantes"]]]


def test_a_header_wider_than_the_limit_is_still_refused():
    header = "".join(
        text_cell(f"{get_column_letter(n)}1", f"C{n}")
        for n in range(1, spreadsheets.MAX_COLUMNS + 2)
    )
    rows = f'<row r="1">{header}</row><row r="2">{text_cell("A2", "Atelier")}</row>'
    with pytest.raises(ValidationError) as error:
        parse_xlsx(xlsx_with_sheet(rows, dimension="A1:XFD2"))
    assert error.value.code == "too_many_columns"


def test_a_zip_bomb_is_refused_before_it_is_read():
    data = xlsx_bytes([["Nom", "Commune"], ["Atelier Vélo", "Nantes"]])
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in source.infolist():
            archive.writestr(item, source.read(item.filename))
        # Never read by openpyxl, but nothing says the sheet would not be this big.
        archive.writestr(
            "xl/media/padding.bin", b"\0" * (spreadsheets.MAX_XLSX_UNCOMPRESSED_BYTES + 1)
        )
    data = buffer.getvalue()
    assert len(data) < spreadsheets.MAX_FILE_BYTES

    with pytest.raises(ValidationError) as error:
        parse_xlsx(data)

    assert error.value.code == "too_big"
    assert "une fois décompressé" in error.value.messages[0]


# --- Mapping -------------------------------------------------------------------------------


def test_mapping_is_proposed_from_header_names():
    headers = [
        "N° SIRET",
        "RAISON SOCIALE",
        "Ville",
        "CP",
        "Code Insee",
        "Adresse postale",
        "Site Internet",
        "Tél.",
        "Courriel",
        "Secteur d'activité",
        "Statut juridique",
        "Description",
        "Mots-clés",
        "E-mail du contact",
        "Nom",  # the name is already fed by "Raison sociale"
        "Remarques internes",
    ]

    mapping = import_rows.propose_mapping(headers)

    assert mapping == {
        "0": "siret",
        "1": "name",
        "2": "commune",
        "3": "postcode",
        "4": "insee",
        "5": "address",
        "6": "website",
        "7": "phone",
        "8": "email",
        "9": "sectors",
        "10": "legal_form",
        "11": "description",
        "12": "keywords",
        "13": "contact_email",
    }


def test_a_bare_email_column_is_the_contact_to_invite_never_published_by_default():
    assert import_rows.propose_mapping(["Nom", "Commune", "E-mail"]) == {
        "0": "name",
        "1": "commune",
        "2": "contact_email",
    }
    assert import_rows.propose_mapping(["Nom", "Courriel", "E-mail référent"]) == {
        "0": "name",
        "1": "email",
        "2": "contact_email",
    }
    assert import_rows.propose_mapping(["E-mail public"]) == {"0": "email"}


def test_a_mapping_needs_a_name_and_a_commune_and_each_field_once():
    assert import_rows.mapping_errors({"0": "name", "1": "commune"}, width=2) == []
    errors = import_rows.mapping_errors({"0": "siret", "1": "siret"}, width=2)
    assert "Le champ « SIRET » est choisi pour plusieurs colonnes : gardez-en une." in errors
    assert "Choisissez la colonne qui donne le nom des structures." in errors
    assert any("colonne de la commune" in e for e in errors)
    assert import_rows.mapping_errors({"5": "name", "0": "commune"}, width=2)


# --- Checking ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_every_row_error_is_explained_in_french(network, animator, other_network, nantes):
    CommuneFactory(insee="44162", name="Saint-Herblain")  # outside the network's territory
    CommuneFactory(insee="44190", name="Saint-Sébastien-sur-Loire", postcodes="44230")
    header = ["Nom", "SIRET", "Commune", "Code INSEE", "Code postal", "E-mail", "Site web"]
    rows = [
        ["", "", "Nantes", "", "", "", ""],
        ["Mauvais SIRET", "123 456 789", "Nantes", "", "", "", ""],
        ["Hors territoire", "", "Saint-Herblain", "", "", "", ""],
        ["Code hors territoire", "", "", "69123", "", "", ""],
        ["Commune inconnue", "", "Atlantis", "", "", "", ""],
        ["Code inconnu", "", "", "99999", "", "", ""],
        ["Sans commune", "", "", "", "", "", ""],
        ["Mauvais e-mail", "", "Nantes", "", "", "pas-une-adresse", ""],
        ["Mauvais site", "", "Nantes", "", "", "", "http://"],
        ["Mauvais code postal", "", "Nantes", "", "ABCDE", "", ""],
        ["Bonne ligne", "", "nantes cedex 1", "", "", "", "monasso.fr"],
    ]

    batch = upload(network, animator, csv_bytes(rows, header=header))

    assert errors_of(batch) == {
        2: ["Nom manquant."],
        3: [
            "SIRET invalide : « 123 456 789 » ; attendu : 14 chiffres avec une clé de contrôle "
            "valide."
        ],
        4: ["La commune « Saint-Herblain » est hors du territoire du réseau."],
        5: ["La commune Lyon (69123) est hors du territoire du réseau."],
        6: ["Commune inconnue : « Atlantis »."],
        7: ["Code INSEE inconnu : « 99999 »."],
        8: ["Commune manquante."],
        9: ["E-mail invalide : « pas-une-adresse »."],
        10: ["Site web invalide : « http:// »."],
        11: ["Code postal invalide : « ABCDE »."],
    }
    assert batch.state == ImportBatch.State.CHECKED


@pytest.mark.django_db
def test_communes_are_found_by_code_name_and_postcode(animator, network, nantes, reze):
    homonym = CommuneFactory(insee="44999", name="Rezé", postcodes="44400")
    network.communes.add(homonym)
    nantes.postcodes = "44000 44100"
    nantes.save()
    reze.postcodes = "44400"
    reze.save()
    header = ["Nom", "Commune", "Code INSEE", "Code postal"]
    rows = [
        ["Par code", "", "44109", ""],
        ["Par nom", "NANTES", "", ""],
        ["Par code postal", "", "", "44100"],
        ["Deux Rezé", "Rezé", "", ""],
        ["Deux Rezé, même code postal", "Rezé", "", "44400"],
    ]

    batch = upload(network, animator, csv_bytes(rows, header=header))
    checked = import_rows.check_rows(batch)

    assert [row.commune for row in checked[:3]] == [nantes, nantes, nantes]
    assert errors_of(batch)[5] == [
        "Plusieurs communes du territoire s'appellent « Rezé » : précisez le code postal "
        "ou le code INSEE."
    ]
    assert 6 in errors_of(batch)


@pytest.mark.django_db
def test_duplicates_of_existing_actors_and_within_the_file(
    network, animator, other_network, nantes, reze
):
    siret, other_siret, new_siret = make_siret(1), make_siret(2), make_siret(3)
    ActorFactory(network=network, commune=nantes, name="Recyclerie du Port", siret=siret)
    ActorFactory(network=other_network, commune=reze, name="Ailleurs", siret=other_siret)
    rows = [
        ["Nouvelle structure", siret, "", "Nantes", "", ""],
        ["Autre structure", other_siret, "", "Nantes", "", ""],
        ["RECYCLERIE DU PORT !", "", "", "Nantes", "", ""],
        ["Recyclerie du Port", "", "", "Rezé", "", ""],  # same name, another commune: fine
        ["Première", new_siret, "", "Nantes", "", ""],
        ["Seconde", new_siret, "", "Nantes", "", ""],
        ["Café Vélo", "", "", "Rezé", "", ""],
        ["Café vélo", "", "", "Rezé", "", ""],
    ]

    batch = upload(network, animator, csv_bytes(rows))

    assert errors_of(batch) == {
        2: ["Doublon : ce SIRET est déjà celui de la fiche « Recyclerie du Port »."],
        3: ["Doublon : ce SIRET est déjà celui d'une structure d'un autre réseau."],
        4: ["Doublon : la fiche « Recyclerie du Port » existe déjà à Nantes."],
        7: ["Doublon dans le fichier : même SIRET qu'à la ligne 6."],
        9: ["Doublon dans le fichier : même nom et même commune qu'à la ligne 8."],
    }


@pytest.mark.django_db
def test_legal_forms_and_sectors_are_read_with_warnings(network, animator):
    header = ["Nom", "Commune", "Forme juridique", "Secteurs"]
    rows = [
        ["A", "Nantes", "SCOP", '"Recyclerie et ressourcerie; textile"'],
        ["B", "Nantes", "Association loi 1901", "Circuits courts, AMAP et magasins de producteurs"],
        ["C", "Nantes", "GIE", "Astronautique"],
        ["D", "Nantes", "", ""],
    ]

    batch = upload(network, animator, csv_bytes(rows, header=header))
    checked = import_rows.check_rows(batch)

    assert batch.row_errors == {}
    assert [row.legal_form for row in checked] == [
        LegalForm.SCOP,
        LegalForm.ASSOCIATION,
        LegalForm.OTHER,
        LegalForm.OTHER,
    ]
    assert checked[0].sector_names == ["Recyclerie et ressourcerie", "Textile et friperie"]
    assert checked[1].sector_names == ["Circuits courts, AMAP et magasins de producteurs"]
    assert import_rows.row_warnings(batch) == [
        (4, "Forme juridique inconnue « GIE » : enregistrée comme « Autre »."),
        (4, "Secteur inconnu « Astronautique » : ignoré."),
    ]


@pytest.mark.django_db
def test_sectors_exist_for_the_import_tests():
    assert Sector.objects.filter(slug="recyclerie").exists()
