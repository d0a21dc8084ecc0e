"""The member's profile form: its logo, its choices and its version (directory.forms.actors)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from directory.forms.actors import ActorForm
from tests.factories import ActorFactory, sector

pytestmark = pytest.mark.django_db


def _image(fmt: str = "PNG", size: tuple[int, int] = (64, 64)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "#1d5f4e").save(buffer, format=fmt)
    return buffer.getvalue()


def _data(commune) -> dict:
    return {
        "name": "Atelier du Coin",
        "legal_form": "association",
        "short_description": "Atelier partagé.",
        "commune": commune.insee,
        "sectors": [sector("reparation").pk],
        "intervention_radius_km": 10,
    }


def _form(nantes, logo):
    return ActorForm(_data(nantes), {"logo": logo})


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


def test_a_sector_number_too_large_for_the_database_is_a_form_error(network, nantes):
    huge = "9" * 30
    form = ActorForm({**_data(nantes), "sectors": [huge]})

    assert not form.is_valid()
    assert form.errors["sectors"] == [f"«\u00a0{huge}\u00a0» n’est pas une valeur correcte."]


def test_a_siret_already_used_is_left_to_the_service(network, nantes):
    """The model's own check would say "La contrainte « actor_unique_siret » n'est pas
    respectée" and tell that a hidden profile holds the number."""
    ActorFactory(network=network, commune=nantes, siret="73282932000074", draft=True)

    form = ActorForm({**_data(nantes), "siret": "732 829 320 00074"})

    assert form.is_valid(), form.errors


def test_the_form_carries_the_profiles_version(actor):
    page = ActorForm(instance=actor)
    sent = page["updated_at"].value()

    posted = ActorForm({**_data(actor.commune), "updated_at": sent}, instance=actor)

    assert 'type="hidden"' in str(page["updated_at"])
    assert posted.is_valid(), posted.errors
    assert posted.cleaned_data["updated_at"] == actor.updated_at
    assert "updated_at" not in posted.service_data()
