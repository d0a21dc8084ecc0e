"""Checks for files people upload: `checked_image` (logos, photos) and `checked_document`
(tender documents).

The kind of a file is read from its content, never from its name or the content type the
browser declared: both are chosen by the sender. The file is then renamed with the extension
of what it really is, because the extension decides the content type the file is later served
with: a PNG sent as "poly.pdf" is stored as "poly.png", and an HTML page sent as "logo.png"
is refused rather than served to browsers that would sniff and run it.

Messages are French (the source language), through gettext.
"""

import warnings
import zipfile
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.text import get_text_list, slugify
from django.utils.translation import gettext as _
from PIL import Image

MEGABYTE = 1024 * 1024

# Pillow's format name → (extension, content type, name shown to people).
IMAGE_FORMATS = {
    "PNG": (".png", "image/png", "PNG"),
    "JPEG": (".jpg", "image/jpeg", "JPEG"),
    "WEBP": (".webp", "image/webp", "WebP"),
}
DOCUMENT_FORMATS = {
    "pdf": ("application/pdf", "PDF"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "DOCX"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "XLSX"),
    "odt": ("application/vnd.oasis.opendocument.text", "ODT"),
    "ods": ("application/vnd.oasis.opendocument.spreadsheet", "ODS"),
}
# The content type of an office file's main part, as its [Content_Types].xml declares it. The
# macro-enabled variants (docm, xlsm) declare other types and are refused.
OOXML_MAIN_PARTS = {
    b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": "docx",
    b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": "xlsx",
}
# An office file's small members are read whole; more than this is not a real one (and
# reading no further keeps a zip bomb from filling the memory).
ZIP_MEMBER_MAX_BYTES = MEGABYTE
STEM_MAX_LENGTH = 80


def _check_size(upload: UploadedFile, max_bytes: int) -> None:
    if upload.size > max_bytes:
        raise ValidationError(
            _("Le fichier est trop lourd (%(size)s) : %(max)s au plus.")
            % {"size": filesizeformat(upload.size), "max": filesizeformat(max_bytes)},
            code="file_too_large",
        )


def _renamed(upload: UploadedFile, *, extension: str, content_type: str) -> UploadedFile:
    """The upload with a safe name (ASCII, no path, no dots) ending in `extension`, and the
    content type of what it really is (storages such as S3 serve it with that type)."""
    stem = slugify(Path(upload.name or "").stem)[:STEM_MAX_LENGTH].strip("-_") or "fichier"
    upload.name = f"{stem}{extension}"
    upload.content_type = content_type
    upload.seek(0)
    return upload


def _opened(upload: UploadedFile, *, decode: bool) -> tuple[str | None, tuple[int, int]]:
    """The format and dimensions of the image in `upload`, read by Pillow from the content.

    Without `decode`, verify() checks the structure without decoding the pixels (for a PNG,
    every chunk's checksum) but checks nothing of some formats' data (JPEG's) and leaves the
    image unusable. With `decode`, every pixel is decoded, which refuses a truncated file."""
    upload.seek(0)
    with Image.open(upload) as image:
        if decode:
            image.load()
        else:
            image.verify()
        return image.format, image.size


def checked_image(
    upload: UploadedFile,
    *,
    allowed_formats: frozenset[str] | set[str] = frozenset({"PNG", "JPEG", "WEBP"}),
    max_bytes: int,
    max_pixels: int,
) -> UploadedFile:
    """The upload, renamed after its format, if it is a whole image of one of
    `allowed_formats` (Pillow's names, among IMAGE_FORMATS) of at most `max_bytes` and at most
    `max_pixels` pixels on its longer side. Raises ValidationError otherwise.

    The dimensions are read from the header before the pixels are decoded, so decoding never
    takes more than max_pixels² pixels of memory."""
    if unknown := set(allowed_formats) - IMAGE_FORMATS.keys():
        raise ValueError(f"No extension known for {unknown}: add them to IMAGE_FORMATS.")
    _check_size(upload, max_bytes)
    too_large = ValidationError(
        _("L'image est trop grande : %(max)s pixels de côté au plus.") % {"max": max_pixels},
        code="image_too_large",
    )
    try:
        with warnings.catch_warnings():
            # Pillow warns above its own pixel limit; max_pixels is the rule here.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image_format, size = _opened(upload, decode=False)
            if image_format in allowed_formats and max(size) <= max_pixels:
                _opened(upload, decode=True)
    except Image.DecompressionBombError:
        raise too_large from None
    except Exception:  # Pillow raises many kinds of errors on a damaged or hostile file
        raise ValidationError(
            _("Le fichier n'est pas une image lisible : il est abîmé ou d'un autre type."),
            code="invalid_image",
        ) from None
    if image_format not in allowed_formats:
        labels = [
            label for name, (_ext, _type, label) in IMAGE_FORMATS.items() if name in allowed_formats
        ]
        raise ValidationError(
            _("L'image doit être au format %(formats)s.") % {"formats": get_text_list(labels)},
            code="image_format",
        )
    if max(size) > max_pixels:
        raise too_large
    extension, content_type, _label = IMAGE_FORMATS[image_format]
    return _renamed(upload, extension=extension, content_type=content_type)


def _read_member(archive: zipfile.ZipFile, name: str) -> bytes | None:
    try:
        info = archive.getinfo(name)
    except KeyError:
        return None
    if info.file_size > ZIP_MEMBER_MAX_BYTES:
        return None
    with archive.open(info) as member:
        return member.read(ZIP_MEMBER_MAX_BYTES)


def _office_kind(upload: UploadedFile) -> str | None:
    """The kind of an office file: odt or ods from the `mimetype` member of OpenDocument, docx
    or xlsx from the main part declared in the `[Content_Types].xml` of Office Open XML; None
    for any other file."""
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            mimetype = _read_member(archive, "mimetype")
            if mimetype is not None:
                mimetype = mimetype.strip()
                for kind in ("odt", "ods"):
                    if mimetype == DOCUMENT_FORMATS[kind][0].encode():
                        return kind
                return None
            content_types = _read_member(archive, "[Content_Types].xml")
            if content_types is None:
                return None
            for main_part, kind in OOXML_MAIN_PARTS.items():
                if main_part in content_types:
                    return kind
    except Exception:  # a damaged or hostile zip fails in many ways (checksum, encryption…)
        return None
    return None


def checked_document(
    upload: UploadedFile,
    *,
    max_bytes: int,
    allowed: tuple[str, ...] = ("pdf", "docx", "xlsx", "odt", "ods"),
) -> UploadedFile:
    """The upload, renamed after its kind, if it is a document of one of the `allowed` kinds
    (among DOCUMENT_FORMATS) of at most `max_bytes`. Raises ValidationError otherwise.

    A PDF is known by its "%PDF-" signature, an office file by its zip container: the
    `mimetype` member of OpenDocument, the `[Content_Types].xml` of Office Open XML. Only the
    kind is checked: the document is not parsed further."""
    if unknown := set(allowed) - DOCUMENT_FORMATS.keys():
        raise ValueError(f"Unknown document kinds {unknown}: add them to DOCUMENT_FORMATS.")
    _check_size(upload, max_bytes)
    upload.seek(0)
    kind = "pdf" if upload.read(5) == b"%PDF-" else _office_kind(upload)
    if kind not in allowed:
        labels = [label for name, (_type, label) in DOCUMENT_FORMATS.items() if name in allowed]
        raise ValidationError(
            _("Le document doit être au format %(formats)s.") % {"formats": get_text_list(labels)},
            code="document_format",
        )
    return _renamed(upload, extension=f".{kind}", content_type=DOCUMENT_FORMATS[kind][0])


def private_storage():
    """The storage of files that only some people may read (settings.STORAGES["private"]):
    outside MEDIA_ROOT, so never served from the public media URL; a view that checks who
    asks streams them. A callable, so that tests and deployments can swap it."""
    return storages["private"]
