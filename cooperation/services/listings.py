"""A listing's life: drafted by a member for its structure, published for three months,
renewed in one click, in discussion, fulfilled with partners, withdrawn; and the daily pass
that reminds owners a week before expiry and takes expired listings out of the catalogue.

Every move goes through `_move`: checked against models.listings.TRANSITIONS, claimed by
a conditional update (a double click or the daily pass at the same time cannot apply it
twice) and recorded in the listing's history.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cooperation.models.listings import (
    TRANSITIONS,
    Listing,
    ListingChange,
    ListingPhoto,
    ListingStatus,
    PriceKind,
)
from cooperation.permissions import can_edit_listing
from cooperation.services.cooperations import cooperations_propose
from directory.models import Actor, Membership, Status
from directory.permissions import can_edit_actor
from directory.services.search import search_words_add
from ess_platform.lib import geo, history
from ess_platform.lib.mail import absolute_url
from ess_platform.lib.outbox.sending import owe
from ess_platform.lib.states import claim_move
from ess_platform.lib.tasks import queue_on_commit
from ess_platform.lib.text import normalize
from ess_platform.lib.uploads import MEGABYTE, checked_image

L = ListingStatus
EDITABLE_FIELDS = (
    "kind",
    "nature",
    "mode",
    "audience",
    "title",
    "description",
    "quantity",
    "unit",
    "available_from",
    "available_until",
    "recurrence",
    "commune",
    "area_km",
    "price_kind",
    "price",
    "visibility",
)
# A week's notice before a listing leaves the catalogue.
EXPIRY_NOTICE_DAYS = 7
PHOTOS_PER_LISTING = 4
PHOTO_MAX_BYTES = 3 * MEGABYTE
PHOTO_MAX_PIXELS = 6000


def listing_lifetime() -> timedelta:
    return timedelta(days=settings.LISTING_LIFETIME_DAYS)


def _record(listing: Listing, *, by, event: str, note: str = "", changes=None) -> None:
    history.record(
        ListingChange, listing=listing, by=by, event=event, note=note, changes=changes or {}
    )


def _move(listing: Listing, *, to: str, by, event: str, note: str = "", **fields) -> Listing:
    """Move to `to` if allowed from the state read now; save `fields` with it; record it."""
    old = claim_move(listing, to=to, transitions=TRANSITIONS, noun=_("Une annonce"), **fields)
    _record(
        listing,
        by=by,
        event=event,
        note=note,
        changes={"status": [str(L(old).label), str(L(to).label)]},
    )
    return listing


def _check(listing: Listing) -> None:
    """The rules a form cannot see alone: a price for a priced listing, dates in order."""
    if listing.price_kind == PriceKind.AMOUNT and listing.price is None:
        raise ValidationError(
            {"price": _("Indiquez le prix, ou choisissez « Gratuit » ou « À discuter ».")}
        )
    if listing.price_kind != PriceKind.AMOUNT:
        listing.price = None
    if (
        listing.available_from
        and listing.available_until
        and listing.available_until < listing.available_from
    ):
        raise ValidationError({"available_until": _("La fin de disponibilité précède son début.")})
    listing.full_clean(exclude=["sectors", "partners"])


@transaction.atomic
def listing_create(
    *,
    actor: Actor,
    by: AbstractBaseUser,
    data: dict,
    sectors=(),
    publish: bool = False,
    alert: bool = True,
) -> Listing:
    """A member drafts a listing for its structure (published at once with `publish`).
    The place is the structure's address unless another commune is given; the sectors are
    the structure's unless others are chosen."""
    if not can_edit_actor(by, actor):
        raise PermissionDenied
    unknown = set(data) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    listing = Listing(actor=actor, created_by=by, **data)
    if listing.commune_id is None or listing.commune_id == actor.commune_id:
        listing.commune_id, listing.lat, listing.lon = actor.commune_id, actor.lat, actor.lon
    else:
        listing.lat, listing.lon = listing.commune.lat, listing.commune.lon
    geo.validate_in_france(listing.lat, listing.lon)
    _check(listing)
    listing.save()
    listing.sectors.set(list(sectors) or list(actor.sectors.all()))
    listing_refresh_search(listing)
    _record(listing, by=by, event="created")
    if publish:
        listing = listing_publish(listing=listing, by=by, alert=alert)
    return listing


@transaction.atomic
def listing_update(*, listing: Listing, by: AbstractBaseUser, data: dict, sectors=None) -> Listing:
    if not can_edit_listing(by, listing):
        raise PermissionDenied
    listing = Listing.objects.select_for_update().get(pk=listing.pk)
    if listing.status in (L.FULFILLED, L.WITHDRAWN):
        raise ValidationError(_("Une annonce close ne se modifie plus."))
    unknown = set(data) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    tracked = list(data) + (["sectors"] if sectors is not None else [])
    before = history.snapshot(listing, tracked)
    for field, value in data.items():
        setattr(listing, field, value)
    if "commune" in data:
        if listing.commune_id == listing.actor.commune_id:
            listing.lat, listing.lon = listing.actor.lat, listing.actor.lon
        else:
            listing.lat, listing.lon = listing.commune.lat, listing.commune.lon
    _check(listing)
    listing.save()
    if sectors is not None:
        listing.sectors.set(sectors)
    listing_refresh_search(listing)
    changes = history.diff(before, history.snapshot(listing, tracked))
    if changes:
        _record(listing, by=by, event="edited", changes=changes)
    return listing


def listing_search_text(listing: Listing, sector_names: list[str]) -> str:
    """The normalised text the catalogue's search reads (Listing.search_text). Labels in
    the site's language whoever saves: an English-speaking editor must not turn "Prêt" into
    "Loan" in the French search."""
    with translation.override(settings.LANGUAGE_CODE):
        labels = [str(listing.get_nature_display()), str(listing.get_mode_display())]
    parts = [
        listing.title,
        listing.description,
        listing.unit,
        listing.recurrence,
        listing.commune.name if listing.commune_id else "",
        *labels,
        *sector_names,
    ]
    return normalize(" ".join(p for p in parts if p))


def listing_refresh_search(listing: Listing) -> None:
    """Recompute the search text (after any change of the fields or sectors it covers) and
    add its words to the typo vocabulary shared with the directory. A part of the writes
    that change it, not a write of its own: no permission to check here."""
    sector_names = list(listing.sectors.values_list("name", flat=True))
    listing.search_text = listing_search_text(listing, sector_names)
    Listing.objects.filter(pk=listing.pk).update(search_text=listing.search_text)
    search_words_add(listing.search_text)


@transaction.atomic
def listing_photo_add(
    *, listing: Listing, by: AbstractBaseUser, image, alt: str = ""
) -> ListingPhoto:
    """A photo for the listing, up to PHOTOS_PER_LISTING: checked from its content (a
    whole PNG, JPEG or WebP of at most PHOTO_MAX_BYTES) and stored privately."""
    if not can_edit_listing(by, listing):
        raise PermissionDenied
    # Locked: two uploads at once cannot both take the fourth place.
    listing = Listing.objects.select_for_update().get(pk=listing.pk)
    if listing.status in (L.FULFILLED, L.WITHDRAWN):
        raise ValidationError(_("Une annonce close ne se modifie plus."))
    photos = list(listing.photos.values_list("position", flat=True))
    if len(photos) >= PHOTOS_PER_LISTING:
        raise ValidationError(
            _("Une annonce a %(count)d photos au plus : retirez-en une d'abord.")
            % {"count": PHOTOS_PER_LISTING}
        )
    image = checked_image(image, max_bytes=PHOTO_MAX_BYTES, max_pixels=PHOTO_MAX_PIXELS)
    photo = ListingPhoto(
        listing=listing, image=image, alt=alt.strip(), position=max(photos, default=-1) + 1
    )
    photo.full_clean(exclude=["image"])
    photo.save()
    _record(listing, by=by, event="photo_added")
    return photo


@transaction.atomic
def listing_photo_remove(*, photo: ListingPhoto, by: AbstractBaseUser) -> None:
    """The photo goes, and its file once the removal is committed (a rollback keeps both)."""
    if not can_edit_listing(by, photo.listing):
        raise PermissionDenied
    storage, name = photo.image.storage, photo.image.name
    listing = photo.listing
    photo.delete()
    _record(listing, by=by, event="photo_removed")
    transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def listing_publish(*, listing: Listing, by: AbstractBaseUser, alert: bool = True) -> Listing:
    """Into the catalogue for LISTING_LIFETIME_DAYS (three months by default). Only a
    published structure's listings are shown: a draft structure's wait for its admission.
    `alert=False`: nobody is alerted (the demo's load, whose members are fictional)."""
    if not can_edit_listing(by, listing):
        raise PermissionDenied
    if listing.actor.status != Status.PUBLISHED:
        raise ValidationError(
            _("La structure n'est pas encore publiée dans l'annuaire : ses annonces attendront.")
        )
    now = timezone.now()
    listing = _move(
        listing,
        to=L.OPEN,
        by=by,
        event="published",
        published_at=now,
        expires_at=now + listing_lifetime(),
    )
    if alert:
        # The members of the structures it matches hear of it (their alert preferences).
        queue_on_commit("cooperation.tasks.alerts.alert_new_listing", listing.pk)
    return listing


@transaction.atomic
def listing_renew(*, listing: Listing, by: AbstractBaseUser) -> Listing:
    """Three more months from now, in one click: an expired listing comes back into the
    catalogue."""
    if not can_edit_listing(by, listing):
        raise PermissionDenied
    listing = Listing.objects.select_for_update().get(pk=listing.pk)
    expires_at = timezone.now() + listing_lifetime()
    if listing.status == L.EXPIRED:
        return _move(listing, to=L.OPEN, by=by, event="renewed", expires_at=expires_at)
    if listing.status not in (L.OPEN, L.IN_DISCUSSION):
        raise ValidationError(_("Seule une annonce ouverte ou expirée se renouvelle."))
    Listing.objects.filter(pk=listing.pk).update(expires_at=expires_at, updated_at=timezone.now())
    listing.refresh_from_db()
    _record(listing, by=by, event="renewed")
    return listing


@transaction.atomic
def listing_withdraw(*, listing: Listing, by: AbstractBaseUser, reason: str = "") -> Listing:
    if not can_edit_listing(by, listing):
        raise PermissionDenied
    return _move(listing, to=L.WITHDRAWN, by=by, event="withdrawn", note=reason.strip())


@transaction.atomic
def listing_discuss(*, listing: Listing, by: AbstractBaseUser, discussing: bool = True) -> Listing:
    """The owner marks the listing in discussion (or open again)."""
    if not can_edit_listing(by, listing):
        raise PermissionDenied
    to = L.IN_DISCUSSION if discussing else L.OPEN
    return _move(listing, to=to, by=by, event="discussion" if discussing else "reopened")


@transaction.atomic
def listing_fulfil(
    *, listing: Listing, by: AbstractBaseUser, partners: list[Actor] = ()
) -> Listing:
    """Fulfilled, naming the partner structures when there are any (not the owner itself)."""
    if not can_edit_listing(by, listing):
        raise PermissionDenied
    partners = [p for p in partners if p.pk != listing.actor_id]
    if any(p.status != Status.PUBLISHED for p in partners):
        raise ValidationError(_("Un partenaire doit être une structure publiée de l'annuaire."))
    listing = _move(
        listing,
        to=L.FULFILLED,
        by=by,
        event="fulfilled",
        note=", ".join(p.name for p in partners),
    )
    listing.partners.set(partners)
    cooperations_propose(listing=listing, partners=partners, by=by)
    return listing


@dataclass
class ExpiryReport:
    reminded: int = 0
    expired: int = 0


def _owner_emails(listing: Listing) -> list[str]:
    return Membership.objects.emails_of(listing.actor_id)


def listings_expiry_pass(*, as_of: datetime | None = None) -> ExpiryReport:
    """The daily pass: remind the owners of listings expiring within a week (once per
    listing and expiry date: renewing starts a new cycle), and mark expired those past
    their date (each claimed by a conditional update, so two passes cannot both do it)."""
    as_of = as_of or timezone.now()
    report = ExpiryReport()
    expiring = Listing.objects.expiring(as_of=as_of, within_days=EXPIRY_NOTICE_DAYS)
    for listing in expiring.select_related("actor").iterator(chunk_size=500):
        with transaction.atomic():
            if owe(
                key=f"cooperation.listing.expiring:{listing.pk}:{listing.expires_at.isoformat()}",
                to=_owner_emails(listing),
                template="cooperation/listings/emails/expiring",
                context={
                    "listing": listing,
                    "url": absolute_url(reverse("cooperation:listing_detail", args=[listing.pk])),
                },
            ):
                report.reminded += 1
    past = Listing.objects.past_expiry(as_of=as_of).values_list("pk", flat=True)
    for pk in past.iterator(chunk_size=500):
        with transaction.atomic():
            # Read again under lock: renewed since the list was read, it stays open.
            listing = Listing.objects.select_for_update().filter(pk=pk).past_expiry(as_of=as_of)
            listing = listing.first()
            if listing is None:
                continue
            try:
                _move(listing, to=L.EXPIRED, by=None, event="expired")
            except ValidationError:
                continue  # closed meanwhile
            report.expired += 1
    return report
