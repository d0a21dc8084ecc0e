"""The member's profile form: its logo is checked (directory.forms.actors)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from directory.forms.actors import ActorForm
from tests.factories import sector

pytestmark = pytest.mark.django_db


def _image(fmt: str = "PNG", size: tuple[int, int] = (64, 64)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "#1d5f4e").save(buffer, format=fmt)
    return buffer.getvalue()


def _form(nantes, logo):
    data = {
        "name": "Atelier du Coin",
        "legal_form": "association",
        "short_description": "Atelier partagé.",
        "commune": nantes.insee,
        "sectors": [sector("reparation").pk],
        "intervention_radius_km": 10,
    }
    return ActorForm(data, {"logo": logo})


def test_a_png_logo_is_accepted(network, nantes):
    form = _form(nantes, SimpleUploadedFile("logo.png", _image(), content_type="image/png"))
    assert form.is_valid(), form.errors


@pytest.mark.parametrize(
    ("name", "content", "content_type", "message"),
    [
        ("logo.png", b"<?php echo 'x'; ?>", "image/png", "image"),
        ("logo.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>", "image/svg+xml", "image"),
        ("logo.gif", _image("GIF"), "image/gif", "PNG, JPEG ou WebP"),
    ],
)
def test_a_logo_that_is_not_a_safe_bitmap_is_refused(
    network, nantes, name, content, content_type, message
):
    form = _form(nantes, SimpleUploadedFile(name, content, content_type=content_type))
    assert not form.is_valid()
    assert message in " ".join(form.errors["logo"])


def test_a_logo_too_heavy_is_refused(network, nantes, settings):
    settings.LOGO_MAX_BYTES = 100
    form = _form(nantes, SimpleUploadedFile("logo.png", _image(), content_type="image/png"))
    assert not form.is_valid()
    assert "trop lourd" in " ".join(form.errors["logo"])


def test_a_logo_too_large_is_refused(network, nantes):
    big = _image(size=(4100, 10))
    form = _form(nantes, SimpleUploadedFile("logo.png", big, content_type="image/png"))
    assert not form.is_valid()
    assert "trop grand" in " ".join(form.errors["logo"])
