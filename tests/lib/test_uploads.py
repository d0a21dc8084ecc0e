import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from ess_platform.lib.uploads import MEGABYTE, checked_document, checked_image

LIMITS = {"max_bytes": MEGABYTE, "max_pixels": 1000}


def _image(fmt: str = "PNG", size: tuple[int, int] = (64, 64)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "#1d5f4e").save(buffer, format=fmt)
    return buffer.getvalue()


def _truncated_jpeg() -> bytes:
    """A JPEG cut in its pixel data: its header is whole, so verify() alone accepts it."""
    buffer = io.BytesIO()
    Image.effect_noise((200, 200), 64).convert("RGB").save(buffer, format="JPEG")
    return buffer.getvalue()[: len(buffer.getvalue()) // 2]


def _upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _refusal(check, upload, **kwargs) -> str:
    with pytest.raises(ValidationError) as error:
        check(upload, **kwargs)
    return " ".join(error.value.messages)


@pytest.mark.parametrize(
    ("fmt", "extension", "content_type"),
    [("PNG", ".png", "image/png"), ("JPEG", ".jpg", "image/jpeg"), ("WEBP", ".webp", "image/webp")],
)
def test_an_image_is_named_after_its_content(fmt, extension, content_type):
    upload = checked_image(_upload("Logo Éco.pdf", _image(fmt), "application/pdf"), **LIMITS)
    assert upload.name == f"logo-eco{extension}"
    assert upload.content_type == content_type
    assert upload.read() == _image(fmt)  # readable from the start, as storage will read it


def test_a_png_with_html_appended_is_stored_as_a_png():
    polyglot = _image() + b"<html><script>alert(document.cookie)</script></html>"
    upload = checked_image(_upload("page.html", polyglot, "text/html"), **LIMITS)
    assert upload.name == "page.png" and upload.content_type == "image/png"


def test_a_name_without_a_usable_stem_gets_a_neutral_one():
    upload = checked_image(_upload("«?».png", _image()), **LIMITS)
    assert upload.name == "fichier.png"


@pytest.mark.parametrize(
    "content",
    [
        b"<html><body>not an image</body></html>",
        b"<svg xmlns='http://www.w3.org/2000/svg'/>",
        _image()[:-40],  # truncated: no IEND chunk
        _truncated_jpeg(),
    ],
    ids=["html", "svg", "truncated-png", "truncated-jpeg"],
)
def test_what_is_not_a_whole_image_is_refused(content):
    message = _refusal(checked_image, _upload("x.png", content, "image/png"), **LIMITS)
    assert "pas une image lisible" in message


def test_an_image_of_another_format_is_refused():
    message = _refusal(checked_image, _upload("x.gif", _image("GIF"), "image/gif"), **LIMITS)
    assert "PNG, JPEG ou WebP" in message


def test_the_allowed_formats_are_the_callers():
    upload = _upload("x.jpg", _image("JPEG"))
    message = _refusal(checked_image, upload, allowed_formats={"PNG"}, **LIMITS)
    assert "au format PNG." in message


def test_an_image_with_too_many_pixels_on_a_side_is_refused():
    message = _refusal(checked_image, _upload("x.png", _image(size=(1001, 10))), **LIMITS)
    assert "trop grande" in message and "1000 pixels" in message


def test_an_image_too_heavy_is_refused():
    message = _refusal(checked_image, _upload("x.png", _image()), max_bytes=100, max_pixels=1000)
    assert "trop lourd (158\xa0octets) : 100\xa0octets au plus" in message


def test_a_pdf_is_known_by_its_signature():
    pdf = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    upload = checked_document(_upload("Cahier des charges.docx", pdf), max_bytes=MEGABYTE)
    assert upload.name == "cahier-des-charges.pdf"
    assert upload.content_type == "application/pdf"


def test_a_docx_is_known_by_its_content_types():
    docx = _zip(
        {
            "[Content_Types].xml": (
                b'<?xml version="1.0"?><Types><Override PartName="/word/document.xml" '
                b'ContentType="application/vnd.openxmlformats-officedocument.'
                b'wordprocessingml.document.main+xml"/></Types>'
            ),
            "word/document.xml": b"<w:document/>",
        }
    )
    upload = checked_document(_upload("offre", docx), max_bytes=MEGABYTE)
    assert upload.name == "offre.docx"


def test_an_ods_is_known_by_its_mimetype():
    ods = _zip({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet"})
    assert checked_document(_upload("prix.xlsx", ods), max_bytes=MEGABYTE).name == "prix.ods"


@pytest.mark.parametrize(
    "content",
    [
        _zip({"index.html": b"<html></html>"}),
        _zip({"[Content_Types].xml": b"<Types/>"}),  # Office Open XML, but no document
        _zip({"mimetype": b"application/epub+zip"}),
        b"<html>%PDF-</html>",
        _image(),
    ],
    ids=["zip", "empty-ooxml", "epub", "html", "png"],
)
def test_other_files_are_refused_as_documents(content):
    message = _refusal(checked_document, _upload("dossier.pdf", content), max_bytes=MEGABYTE)
    assert "PDF, DOCX, XLSX, ODT ou ODS" in message


def test_the_allowed_kinds_are_the_callers():
    ods = _zip({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet"})
    message = _refusal(
        checked_document, _upload("x.ods", ods), max_bytes=MEGABYTE, allowed=("pdf",)
    )
    assert "au format PDF." in message


def test_a_document_too_heavy_is_refused():
    message = _refusal(checked_document, _upload("x.pdf", b"%PDF-" + b"0" * 200), max_bytes=100)
    assert "trop lourd" in message
