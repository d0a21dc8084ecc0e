"""A listing's photos: up to four, each a real image of at most 3 MB, stored privately and
served only to whoever may see the listing."""

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from cooperation.models import ListingPhoto
from cooperation.services import listings as services
from tests.factories import ActorFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

OFFER = {
    "kind": "offer",
    "nature": "equipment",
    "mode": "loan",
    "title": "Camionnette frigorifique",
    "description": "Une camionnette réfrigérée, prêtée le week-end.",
}


def png(name: str = "camion.png", size: int = 16) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (size, size), "teal").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def status(client, url: str) -> int:
    """The status of a GET, its file closed (a photo is streamed)."""
    response = client.get(url)
    close_file(response)
    return response.status_code


def close_file(response) -> None:
    # Read to the end: the test client then closes the file (response.close() would also
    # close the database connection).
    if response.streaming:
        b"".join(response.streaming_content)


@pytest.fixture(autouse=True)
def _remove_stored_files():
    """The private storage is a real directory: leave nothing behind."""
    yield
    for photo in ListingPhoto.objects.all():
        photo.image.storage.delete(photo.image.name)


@pytest.fixture
def listing(actor, member):
    return services.listing_create(actor=actor, by=member, data=OFFER, publish=True)


@pytest.fixture
def secret(actor, member):
    return services.listing_create(
        actor=actor, by=member, data={**OFFER, "visibility": "network"}, publish=True
    )


def test_a_member_adds_photos_stored_privately_under_an_unguessable_name(listing, member):
    photo = services.listing_photo_add(listing=listing, by=member, image=png("Mon camion.PNG"))

    assert photo.image.name.startswith(f"listings/{listing.pk}/")
    assert photo.image.name.endswith(".png") and "camion" not in photo.image.name
    location = Path(photo.image.storage.location).resolve()
    assert not location.is_relative_to(Path(settings.MEDIA_ROOT).resolve())  # never public
    assert listing.changes.filter(event="photo_added").exists()


def test_a_disguised_file_is_refused(listing, member):
    html = SimpleUploadedFile("photo.png", b"<html><script>alert(1)</script></html>")

    with pytest.raises(ValidationError, match="pas une image lisible"):
        services.listing_photo_add(listing=listing, by=member, image=html)
    assert not ListingPhoto.objects.exists()


def test_an_oversized_file_is_refused(listing, member, monkeypatch):
    big = png()
    big.size = services.PHOTO_MAX_BYTES + 1

    with pytest.raises(ValidationError, match="trop lourd"):
        services.listing_photo_add(listing=listing, by=member, image=big)


def test_four_photos_at_most(listing, member):
    for n in range(services.PHOTOS_PER_LISTING):
        services.listing_photo_add(listing=listing, by=member, image=png(f"{n}.png"))

    with pytest.raises(ValidationError, match="4 photos au plus"):
        services.listing_photo_add(listing=listing, by=member, image=png())
    assert list(listing.photos.values_list("position", flat=True)) == [0, 1, 2, 3]


def test_only_the_structures_members_add_or_remove_photos(listing, member, other_member):
    with pytest.raises(PermissionDenied):
        services.listing_photo_add(listing=listing, by=other_member, image=png())
    photo = services.listing_photo_add(listing=listing, by=member, image=png())
    with pytest.raises(PermissionDenied):
        services.listing_photo_remove(photo=photo, by=other_member)


def test_removing_a_photo_deletes_its_file_once_committed(
    listing, member, django_capture_on_commit_callbacks
):
    photo = services.listing_photo_add(listing=listing, by=member, image=png())
    storage, name = photo.image.storage, photo.image.name

    with django_capture_on_commit_callbacks(execute=True):
        services.listing_photo_remove(photo=photo, by=member)

    assert not ListingPhoto.objects.exists() and not storage.exists(name)


def test_the_photo_is_served_privately_to_whoever_sees_the_listing(client, listing, member):
    photo = services.listing_photo_add(listing=listing, by=member, image=png())
    url = reverse("cooperation:listing_photo", args=[listing.pk, photo.pk])

    response = client.get(url)

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Cache-Control"].startswith("private")
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    page = client.get(reverse("cooperation:listing_detail", args=[listing.pk])).content.decode()
    assert url in page  # the listing's page shows it


def test_a_members_only_listings_photo_is_a_404_to_others(
    client, secret, member, other_member, other_network
):
    photo = services.listing_photo_add(listing=secret, by=member, image=png())
    url = reverse("cooperation:listing_photo", args=[secret.pk, photo.pk])
    lyon = ActorFactory(network=other_network, commune=other_network.communes.get())

    assert status(client, url) == 404
    client.force_login(MembershipFactory(actor=lyon, user=UserFactory()).user)
    assert status(client, url) == 404
    client.force_login(other_member)  # the same network
    assert status(client, url) == 200


def test_a_withdrawn_listings_photo_is_seen_by_its_structure_only(client, listing, member):
    photo = services.listing_photo_add(listing=listing, by=member, image=png())
    services.listing_withdraw(listing=listing, by=member)
    url = reverse("cooperation:listing_photo", args=[listing.pk, photo.pk])

    assert status(client, url) == 404
    client.force_login(member)
    assert status(client, url) == 200
    # A photo asked for under another listing's number is not found.
    other_url = reverse("cooperation:listing_photo", args=[listing.pk + 1, photo.pk])
    assert status(client, other_url) == 404


def test_the_edit_page_adds_and_removes_photos(
    client, listing, member, django_capture_on_commit_callbacks
):
    client.force_login(member)
    edit = reverse("cooperation:listing_edit", args=[listing.pk])

    response = client.post(
        reverse("cooperation:listing_photo_add", args=[listing.pk]),
        {"image": png(), "alt": "La camionnette, de face"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == edit
    photo = listing.photos.get()
    assert photo.alt == "La camionnette, de face"
    page = response.content.decode()
    assert "Photo ajoutée." in page and "La camionnette, de face" in page

    response = client.post(
        reverse("cooperation:listing_photo_add", args=[listing.pk]),
        {"image": SimpleUploadedFile("x.png", b"not an image")},
        follow=True,
    )
    assert "pas une image lisible" in response.content.decode()
    assert listing.photos.count() == 1

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("cooperation:listing_photo_delete", args=[listing.pk, photo.pk]))
    assert not listing.photos.exists()
    assert not photo.image.storage.exists(photo.image.name)


def test_others_cannot_post_photos(client, listing, other_member):
    client.force_login(other_member)

    response = client.post(
        reverse("cooperation:listing_photo_add", args=[listing.pk]), {"image": png()}
    )

    assert response.status_code == 403 and not listing.photos.exists()


def test_an_out_of_range_or_foreign_photo_address_is_a_404(client, listing, member, secret):
    photo = services.listing_photo_add(listing=listing, by=member, image=png())
    other = services.listing_photo_add(listing=secret, by=member, image=png())

    assert status(client, f"/catalogue/99999999999999999999/photos/{photo.pk}/") == 404
    # A public listing's address with a members-only listing's photo: still hidden.
    assert status(client, f"/catalogue/{listing.pk}/photos/{other.pk}/") == 404


def test_the_partners_of_a_fulfilled_listing_see_its_photos(client, listing, member, other_member):
    photo = services.listing_photo_add(listing=listing, by=member, image=png())
    partner = other_member.memberships.get().actor
    services.listing_fulfil(listing=listing, by=member, partners=[partner])
    url = reverse("cooperation:listing_photo", args=[listing.pk, photo.pk])

    assert status(client, url) == 404  # no longer in the catalogue
    client.force_login(other_member)
    assert status(client, reverse("cooperation:listing_detail", args=[listing.pk])) == 200
    assert status(client, url) == 200
