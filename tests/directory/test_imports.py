"""The animator's import of a spreadsheet of actors (directory.services.imports and its pages)."""

import io
import time
import zipfile
from datetime import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from stdnum import luhn

from directory import import_rows
from directory.models import (
    Actor,
    ActorChange,
    ImportBatch,
    Invitation,
    LegalForm,
    Role,
    Sector,
    Status,
)
from directory.services import imports as importing
from ess_platform.lib import spreadsheets
from tests.factories import ActorFactory, CommuneFactory, ImportBatchFactory, UserFactory


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


def run(batch, animator, *, mode=ImportBatch.Mode.ALL_OR_NOTHING, skipped=(), capture=None):
    """Start the import and run it (the task is eager, queued on commit)."""
    with capture(execute=True):
        importing.import_start(batch=batch, by=animator, mode=mode, skipped=skipped)
    batch.refresh_from_db()
    return batch


@pytest.fixture
def capture(django_capture_on_commit_callbacks):
    return django_capture_on_commit_callbacks


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
def test_a_new_mapping_is_checked_again(network, animator):
    header = ["Structure", "Ville", "Notes"]
    batch = upload(network, animator, csv_bytes([["A", "Nantes", "Atlantis"]], header=header))
    assert batch.row_errors == {}

    importing.batch_check(batch=batch, by=animator, mapping={"0": "name", "2": "commune"})

    assert errors_of(batch) == {2: ["Commune inconnue : « Atlantis »."]}
    with pytest.raises(ValidationError, match="nom des structures"):
        importing.batch_check(batch=batch, by=animator, mapping={"1": "commune"})
    batch.refresh_from_db()
    assert batch.state == ImportBatch.State.UPLOADED
    with pytest.raises(ValidationError, match="Cet import a déjà été lancé"):
        importing.import_start(batch=batch, by=animator, mode=ImportBatch.Mode.ALL_OR_NOTHING)


# --- Importing -----------------------------------------------------------------------------


ROWS = [
    ["Recyclerie de l'Est", make_siret(11), "Association", "Nantes", "", "contact@est.example"],
    ["Atelier Vélo", "", "SCOP", "Rezé", "", ""],
    ["", "", "", "Nantes", "", ""],  # line 4: no name
    ["Épicerie solidaire", make_siret(12), "", "Rezé", "", "epicerie@example.org"],
]


@pytest.mark.django_db
def test_all_or_nothing_is_refused_while_a_row_has_an_error(network, animator, capture):
    batch = upload(network, animator, csv_bytes(ROWS))

    with pytest.raises(ValidationError, match="Une ligne contient des erreurs"):
        importing.import_start(batch=batch, by=animator, mode=ImportBatch.Mode.ALL_OR_NOTHING)

    batch.refresh_from_db()
    assert batch.state == ImportBatch.State.CHECKED
    assert not Actor.objects.exists()


@pytest.mark.django_db
def test_all_or_nothing_skips_no_row(network, animator):
    batch = upload(network, animator, csv_bytes([["A", "", "", "Nantes", "", ""]] * 1))

    with pytest.raises(ValidationError, match="Tout ou rien » importe toutes les lignes"):
        importing.import_start(
            batch=batch, by=animator, mode=ImportBatch.Mode.ALL_OR_NOTHING, skipped=[2]
        )


@pytest.mark.django_db
def test_skip_mode_requires_every_erroneous_row_to_be_skipped(network, animator):
    batch = upload(network, animator, csv_bytes(ROWS))

    with pytest.raises(ValidationError, match=r"doivent être ignorées : ligne\(s\) 4"):
        importing.import_start(
            batch=batch, by=animator, mode=ImportBatch.Mode.SKIP_CHOSEN, skipped=[2]
        )
    with pytest.raises(ValidationError, match="n'existent pas dans le fichier : 40"):
        importing.import_start(
            batch=batch, by=animator, mode=ImportBatch.Mode.SKIP_CHOSEN, skipped=[4, 40]
        )
    with pytest.raises(ValidationError, match="Aucune ligne à importer"):
        importing.import_start(
            batch=batch, by=animator, mode=ImportBatch.Mode.SKIP_CHOSEN, skipped=[2, 3, 4, 5]
        )


@pytest.mark.django_db
def test_skip_mode_imports_exactly_the_other_rows_as_drafts(
    network, animator, nantes, reze, capture
):
    batch = upload(network, animator, csv_bytes(ROWS))

    batch = run(batch, animator, mode=ImportBatch.Mode.SKIP_CHOSEN, skipped=[4, 3], capture=capture)

    assert batch.state == ImportBatch.State.DONE
    assert (batch.total, batch.processed, batch.created_count) == (2, 2, 2)
    assert batch.skipped_rows == [3, 4]
    assert batch.finished_at is not None
    actors = {a.name: a for a in Actor.objects.all()}
    assert set(actors) == {"Recyclerie de l'Est", "Épicerie solidaire"}
    est = actors["Recyclerie de l'Est"]
    assert est.status == Status.DRAFT
    assert est.network == network
    assert est.commune == nantes
    assert (est.lat, est.lon) == (nantes.lat, nantes.lon)
    assert est.siret == make_siret(11)
    assert est.legal_form == LegalForm.ASSOCIATION
    assert est.slug == "recyclerie-de-lest"
    assert est.last_confirmed_at is None
    assert "recyclerie" in est.search_text and "nantes" in est.search_text
    assert actors["Épicerie solidaire"].legal_form == LegalForm.OTHER
    # Found by the public search like any other actor, once published.
    assert list(Actor.objects.search("épicerie")) == [actors["Épicerie solidaire"]]


@pytest.mark.django_db
def test_an_import_creates_sectors_history_and_invitations_emailed(network, animator, capture):
    ActorFactory(network=network, name="Atelier", slug="atelier")
    header = ["Nom", "Commune", "Secteur", "E-mail", "E-mail du contact"]
    rows = [
        ["Atelier", "Rezé", "Recyclerie et ressourcerie", "public@a.example", "Marie@A.example"],
        ["Atelier", "Nantes", "reparation", "public@b.example", ""],
        ["Sans e-mail", "Nantes", "", "", ""],
    ]
    batch = upload(network, animator, csv_bytes(rows, header=header), name="réseau 2024.csv")

    batch = run(batch, animator, capture=capture)

    assert batch.state == ImportBatch.State.DONE, batch.error_message
    actors = list(Actor.objects.filter(status=Status.DRAFT).order_by("pk"))
    assert [a.slug for a in actors] == ["atelier-2", "atelier-3", "sans-e-mail"]
    assert [list(a.sectors.values_list("slug", flat=True)) for a in actors] == [
        ["recyclerie"],
        ["reparation"],
        [],
    ]
    changes = ActorChange.objects.filter(source=ActorChange.Source.IMPORT)
    assert sorted(changes.values_list("actor_id", flat=True)) == [a.pk for a in actors]
    assert {(c.by, c.note) for c in changes} == {(animator, "réseau 2024.csv")}
    invitations = Invitation.objects.order_by("actor_id")
    # The contact's address when given, else the public one.
    assert [(i.actor, i.email, i.role) for i in invitations] == [
        (actors[0], "marie@a.example", Role.OWNER),
        (actors[1], "public@b.example", Role.OWNER),
    ]
    assert sorted(m.to[0] for m in mail.outbox) == ["marie@a.example", "public@b.example"]
    message = next(m for m in mail.outbox if m.to == ["public@b.example"])
    assert "Pôle ESS Nantes a ajouté « Atelier »" in message.body
    assert "/espace/invitations/" in message.body
    assert "Confirmez la fiche de Atelier" in message.subject


@pytest.mark.django_db
def test_the_invitation_link_lets_the_contact_take_over_the_draft(
    client, network, animator, capture
):
    rows = [["Recyclerie de l'Est", "", "", "Nantes", "", "marie@example.org"]]
    batch = run(upload(network, animator, csv_bytes(rows)), animator, capture=capture)
    assert batch.created_count == 1
    link = next(line for line in mail.outbox[0].body.splitlines() if "/invitations/" in line)
    marie = UserFactory(username="marie", email="marie@example.org")
    client.force_login(marie)

    response = client.post(link.removeprefix("http://127.0.0.1:8000").strip())

    assert response.status_code == 302
    actor = Actor.objects.get(name="Recyclerie de l'Est")
    assert actor.memberships.get().user == marie
    assert actor.memberships.get().role == Role.OWNER


@pytest.mark.django_db
def test_a_failure_mid_way_leaves_no_actor_behind(network, animator, capture, monkeypatch):
    monkeypatch.setattr(importing, "BATCH_SIZE", 2)
    rows = [[f"Structure {n}", "", "", "Nantes", "", f"s{n}@example.org"] for n in range(5)]
    batch = upload(network, animator, csv_bytes(rows))
    calls = []
    real_bulk_create = Invitation.objects.bulk_create

    def failing_second_batch(objs, **kwargs):
        calls.append(len(objs))
        if len(calls) == 2:
            raise RuntimeError("database went away")
        return real_bulk_create(objs, **kwargs)

    monkeypatch.setattr(Invitation.objects, "bulk_create", failing_second_batch)

    batch = run(batch, animator, capture=capture)

    assert calls == [2, 2]  # the first batch was inserted before the failure
    assert batch.state == ImportBatch.State.FAILED
    assert "aucune fiche n'a été créée" in batch.error_message
    assert (batch.processed, batch.created_count) == (0, 0)
    assert not Actor.objects.exists()
    assert not Invitation.objects.exists()
    assert not ActorChange.objects.exists()
    assert mail.outbox == []


@pytest.mark.django_db
def test_rows_that_became_duplicates_after_the_check_stop_the_import(
    network, animator, nantes, capture
):
    batch = upload(
        network, animator, csv_bytes([["Recyclerie de l'Est", "", "", "Nantes", "", ""]])
    )
    ActorFactory(network=network, commune=nantes, name="Recyclerie de l’Est")

    batch = run(batch, animator, capture=capture)

    assert batch.state == ImportBatch.State.CHECKED
    assert "De nouvelles erreurs" in batch.error_message
    assert errors_of(batch) == {
        2: ["Doublon : la fiche « Recyclerie de l’Est » existe déjà à Nantes."]
    }
    assert Actor.objects.count() == 1


@pytest.mark.django_db
def test_progress_is_written_per_batch(network, animator, capture, monkeypatch):
    monkeypatch.setattr(importing, "BATCH_SIZE", 2)
    written = []
    monkeypatch.setattr(importing._ProgressWriter, "write", lambda self, n: written.append(n))
    rows = [[f"Structure {n}", "", "", "Nantes", "", ""] for n in range(5)]

    batch = run(upload(network, animator, csv_bytes(rows)), animator, capture=capture)

    assert written == [2, 4, 5]
    assert (batch.processed, batch.total) == (5, 5)


@pytest.mark.django_db
def test_a_batch_is_started_once(network, animator):
    batch = ImportBatchFactory(
        network=network, created_by=animator, rows=[[2, ["A", "Nantes"]]], done=True
    )

    with pytest.raises(ValidationError, match="déjà été lancé"):
        importing.import_start(batch=batch, by=animator, mode=ImportBatch.Mode.ALL_OR_NOTHING)
    importing.import_run(batch.pk)  # a redelivered task does nothing

    assert Actor.objects.count() == 1


@pytest.mark.django_db
def test_services_refuse_people_who_do_not_animate_the_network(
    network, animator, other_animator, member
):
    data = csv_bytes([["A", "", "", "Nantes", "", ""]])
    for person in (other_animator, member):
        with pytest.raises(PermissionDenied):
            upload(network, person, data)
    batch = upload(network, animator, data)
    with pytest.raises(PermissionDenied):
        importing.batch_check(batch=batch, by=other_animator, mapping=batch.mapping)
    with pytest.raises(PermissionDenied):
        importing.import_start(batch=batch, by=other_animator, mode="all")


def test_line_numbers_are_parsed():
    assert importing.parse_line_numbers(" 3, 8-10 ;12 ") == {3, 8, 9, 10, 12}
    assert importing.parse_line_numbers("") == set()
    with pytest.raises(ValidationError, match="n'est pas un numéro de ligne"):
        importing.parse_line_numbers("trois")


# --- Pages ---------------------------------------------------------------------------------


def urls(network, batch) -> dict[str, str]:
    kwargs = {"network_slug": network.slug, "batch_id": batch.pk}
    return {
        "upload": reverse("directory:import_upload", kwargs={"network_slug": network.slug}),
        "detail": reverse("directory:import_detail", kwargs=kwargs),
        "mapping": reverse("directory:import_mapping", kwargs=kwargs),
        "start": reverse("directory:import_start", kwargs=kwargs),
        "progress": reverse("directory:import_progress", kwargs=kwargs),
    }


@pytest.mark.django_db
def test_the_animator_uploads_previews_and_imports_in_the_browser_flow(
    client, network, animator, capture
):
    client.force_login(animator)
    upload_url = reverse("directory:import_upload", kwargs={"network_slug": network.slug})
    assert client.get(upload_url).status_code == 200

    response = client.post(
        upload_url, {"file": SimpleUploadedFile("acteurs.csv", csv_bytes(ROWS), "text/csv")}
    )
    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == urls(network, batch)["detail"]

    page = client.get(response["Location"]).content.decode()
    assert "Recyclerie de l&#x27;Est" in page
    assert "Nom manquant." in page
    assert 'name="skip" value="4" id="skip-4"' in page and "checked" in page
    assert "au centre de leur commune" in page

    response = client.post(urls(network, batch)["start"], {"mode": "all"})
    assert response.status_code == 400
    assert "Une ligne contient des erreurs" in response.content.decode()

    with capture(execute=True):
        response = client.post(
            urls(network, batch)["start"], {"mode": "skip", "skip": ["4"], "other_lines": "3"}
        )
    assert response.status_code == 302
    assert Actor.objects.filter(status=Status.DRAFT).count() == 2

    page = client.get(urls(network, batch)["detail"]).content.decode()
    assert "Import terminé : 2 fiches créées en brouillon." in page
    assert "<progress" in page
    assert "hx-trigger" not in page  # done: the page stops polling


@pytest.mark.django_db
def test_the_progress_block_polls_while_the_import_runs(client, network, animator):
    batch = ImportBatchFactory(network=network, created_by=animator, checked=True)
    ImportBatch.objects.filter(pk=batch.pk).update(
        state=ImportBatch.State.RUNNING, total=10, processed=4
    )
    client.force_login(animator)

    page = client.get(urls(network, batch)["detail"]).content.decode()
    fragment = client.get(urls(network, batch)["progress"]).content.decode()

    assert '<progress id="import-progress-bar" max="10" value="4">' in page
    assert 'hx-trigger="every 1s"' in fragment
    assert "vendor/htmx/htmx.min.js" in page
    assert "<html" not in fragment


@pytest.mark.django_db
def test_the_mapping_form_changes_the_mapping(client, network, animator):
    batch = ImportBatchFactory(
        network=network,
        created_by=animator,
        headers=["Structure", "Lieu"],
        rows=[[2, ["A", "Nantes"]]],
    )
    assert batch.state == ImportBatch.State.UPLOADED  # "Lieu" is not a known column name
    client.force_login(animator)
    assert (
        "Choisissez la colonne de la commune"
        in client.get(urls(network, batch)["detail"]).content.decode()
    )

    response = client.post(urls(network, batch)["mapping"], {"col_0": "name", "col_1": "name"})
    assert response.status_code == 400
    assert "choisi pour plusieurs colonnes" in response.content.decode()

    response = client.post(urls(network, batch)["mapping"], {"col_0": "name", "col_1": "commune"})
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.mapping == {"0": "name", "1": "commune"}
    assert batch.state == ImportBatch.State.CHECKED


@pytest.mark.django_db
def test_upload_errors_are_shown_on_the_form(client, network, animator):
    client.force_login(animator)
    url = reverse("directory:import_upload", kwargs={"network_slug": network.slug})

    response = client.post(url, {"file": SimpleUploadedFile("acteurs.ods", b"data")})

    assert response.status_code == 200
    assert (
        "Format non pris en charge : envoyez un fichier CSV ou XLSX." in response.content.decode()
    )
    assert not ImportBatch.objects.exists()


@pytest.mark.django_db
def test_pages_are_for_the_networks_animators_only(
    client, network, animator, other_animator, member
):
    batch = ImportBatchFactory(
        network=network, created_by=animator, rows=[[2, ["A", "Nantes"]]], checked=True
    )
    actors_before = Actor.objects.count()  # the member's own
    pages = urls(network, batch)
    posts = {"mapping": {"col_0": "name", "col_3": "commune"}, "start": {"mode": "all"}}

    for name, url in pages.items():
        response = client.get(url)
        assert response.status_code == 302 and "/comptes/login/" in response["Location"], name
    for person in (other_animator, member):
        client.force_login(person)
        for name, url in pages.items():
            if name in posts:
                assert client.post(url, posts[name]).status_code == 404, (person, name)
                assert client.get(url).status_code == 405, (person, name)
            else:
                assert client.get(url).status_code == 404, (person, name)
        assert client.post(pages["upload"], {}).status_code == 404
    # Another network's batch through one's own network's URL: 404 too.
    client.force_login(other_animator)
    other_urls = urls(other_animator.animated_networks.get(), batch)
    assert client.get(other_urls["detail"]).status_code == 404
    batch.refresh_from_db()
    assert batch.state == ImportBatch.State.CHECKED
    assert Actor.objects.count() == actors_before

    admin = UserFactory(username="admin", is_superuser=True, is_staff=True)
    client.force_login(admin)
    assert client.get(pages["detail"]).status_code == 200


@pytest.mark.django_db
def test_sectors_exist_for_the_import_tests():
    assert Sector.objects.filter(slug="recyclerie").exists()


# --- PostgreSQL: a large file, progress seen from outside the import's transaction ----------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_progress_is_visible_to_other_connections_while_nothing_else_is(
    network, animator, monkeypatch
):
    from django.db import DEFAULT_DB_ALIAS, connections

    rows = [
        [
            f"Structure {n}",
            make_siret(100 + n),
            "Association",
            "Nantes" if n % 2 else "Rezé",
            "",
            f"s{n}@example.org",
        ]
        for n in range(2000)
    ]
    batch = upload(network, animator, csv_bytes(rows))
    assert batch.row_errors == {}
    observer = connections.create_connection(DEFAULT_DB_ALIAS)
    seen = []
    real_write = importing._ProgressWriter.write

    def write_and_look(self, processed):
        real_write(self, processed)
        with observer.cursor() as cursor:
            cursor.execute("SELECT processed FROM directory_importbatch WHERE id = %s", [batch.pk])
            (visible_progress,) = cursor.fetchone()
            cursor.execute("SELECT count(*) FROM directory_actor")
            (visible_actors,) = cursor.fetchone()
        seen.append((processed, visible_progress, visible_actors))

    monkeypatch.setattr(importing._ProgressWriter, "write", write_and_look)
    try:
        importing.import_start(batch=batch, by=animator, mode=ImportBatch.Mode.ALL_OR_NOTHING)
    finally:
        observer.close()

    batch.refresh_from_db()
    assert batch.state == ImportBatch.State.DONE, batch.error_message
    # Progress committed at each batch of rows; the actors only at the end, all at once.
    assert seen == [(1000, 1000, 0), (2000, 2000, 0)]
    assert Actor.objects.filter(network=network, status=Status.DRAFT).count() == 2000
    assert Invitation.objects.count() == 2000
    assert len(mail.outbox) == 2000
