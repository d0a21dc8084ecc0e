"""A damaged or hostile XLSX is refused in French, never a 500 (ess_platform.lib.spreadsheets).

Each file is a real workbook with one part broken by hand, the way a crashed download, a
failing disk or an attacker leaves it."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from openpyxl import Workbook

from ess_platform.lib import spreadsheets

SHEET = "xl/worksheets/sheet1.xml"
LAST_NAME = "Derniere structure"
DAMAGED = "Ce classeur XLSX est abîmé"


def workbook_bytes(rows: int = 3) -> bytes:
    """A workbook of `rows` data rows, its texts inline in the sheet (not shared strings),
    so that breaking the sheet breaks the rows."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Nom", "Commune"])
    for n in range(rows - 1):
        sheet.append([f"Structure numero {n}", "Nantes"])
    sheet.append([LAST_NAME, "Nantes"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def rewritten(data: bytes, *, sheet=None, stored: bool = False) -> bytes:
    """`data` with its sheet's XML passed through `sheet`, every part deflated (or stored)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    method = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == SHEET and sheet is not None:
                content = sheet(content)
            archive.writestr(item.filename, content, compress_type=method)
    return buffer.getvalue()


def parse(data: bytes):
    return spreadsheets.parse_upload(name="acteurs.xlsx", data=data)


def truncated_xml() -> bytes:
    """The sheet cut in the middle of its rows, as an interrupted copy leaves it."""
    return rewritten(workbook_bytes(50), sheet=lambda xml: xml[: len(xml) * 2 // 3])


def entities() -> bytes:
    """A "billion laughs": nested entities that expand into gigabytes of text."""
    laughs = (
        '<!ENTITY l0 "'
        + "ha" * 50
        + '">'
        + "".join(f'<!ENTITY l{n} "{f"&l{n - 1};" * 10}">' for n in range(1, 8))
    )

    def attack(xml: bytes) -> bytes:
        text = xml.decode()
        root = text.index("<worksheet")
        text = f"{text[:root]}<!DOCTYPE worksheet [{laughs}]>{text[root:]}"
        return text.replace(LAST_NAME, "&l7;").encode()

    return rewritten(workbook_bytes(), sheet=attack)


def bad_crc() -> bytes:
    """One character of the sheet changed after its checksum was computed. The sheet is
    larger than what openpyxl reads when it opens the workbook, so the checksum fails
    while the rows are read."""
    data = rewritten(workbook_bytes(2000), stored=True)
    assert data.count(LAST_NAME.encode()) == 1
    return data.replace(LAST_NAME.encode(), LAST_NAME.upper().encode())


def bad_deflate() -> bytes:
    """The sheet's compressed stream starts with a block of a type that does not exist."""
    data = bytearray(rewritten(workbook_bytes()))
    item = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo(SHEET)
    header = item.header_offset
    name_length = int.from_bytes(data[header + 26 : header + 28], "little")
    extra_length = int.from_bytes(data[header + 28 : header + 30], "little")
    start = header + 30 + name_length + extra_length
    data[start : start + 8] = b"\xff" * 8
    return bytes(data)


MALFORMED = {
    "truncated_xml": truncated_xml,
    "entities": entities,
    "bad_crc": bad_crc,
    "bad_deflate": bad_deflate,
}


def test_the_intact_workbook_is_read():
    for data in (workbook_bytes(), rewritten(workbook_bytes(2000), stored=True)):
        parsed = parse(data)
        assert parsed.headers == ["Nom", "Commune"]
        assert parsed.rows[-1][1] == [LAST_NAME, "Nantes"]


@pytest.mark.parametrize("kind", MALFORMED)
def test_a_malformed_workbook_is_refused_in_french(kind):
    with pytest.raises(ValidationError) as error:
        parse(MALFORMED[kind]())

    assert error.value.code == "damaged"
    assert DAMAGED in error.value.messages[0]
    assert "enregistrez-le à nouveau au format .xlsx" in error.value.messages[0]


def test_entities_are_refused_before_the_parser_expands_them():
    """Even entities too small to trip the XML parser's own limit: a workbook never
    declares any."""

    def small_entity(xml: bytes) -> bytes:
        text = xml.decode()
        root = text.index("<worksheet")
        text = f'{text[:root]}<!DOCTYPE worksheet [<!ENTITY e "Atelier">]>{text[root:]}'
        return text.replace(LAST_NAME, "&e;").encode()

    with pytest.raises(ValidationError) as error:
        parse(rewritten(workbook_bytes(), sheet=small_entity))

    assert error.value.code == "damaged"


def test_a_zip_that_is_not_a_workbook_keeps_its_own_message():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<document/>")

    with pytest.raises(ValidationError) as error:
        parse(buffer.getvalue())

    assert DAMAGED in error.value.messages[0]
    with pytest.raises(ValidationError, match="n'est pas un classeur XLSX lisible"):
        parse(b"PK\x03\x04 not a zip")
