"""Joint needs (group purchasing): the owner of a need opens it to other structures until a
closing date; they join with their own quantity; the network's animators may open it to
registered inhabitants too (a consumers' cooperative).

The closing date is the last day to join or leave (included). The day after, the daily
pass (`joint_needs_close_pass`) e-mails the owner the final total and who joined, and each
participant the total they are part of. The listing itself stays as it was: the owner then
orders, and marks it in discussion or fulfilled as usual.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from cooperation.models import JointParticipation, Listing, ListingChange, ListingKind
from cooperation.models import ListingStatus as L
from cooperation.models.joint_needs import may_join_as_inhabitant, structures_that_may_join
from cooperation.permissions import can_edit_listing
from directory.models import Actor, Membership
from directory.permissions import can_animate, can_edit_actor
from ess_platform.lib import history
from ess_platform.lib.mail import absolute_url
from ess_platform.lib.outbox.sending import owe

EMAILS = "cooperation/joint_needs/emails"
# A pass that did not run for a few days still sends the final totals it owes; older
# closings are left alone (the first run does not e-mail the whole history).
CLOSE_CATCH_UP_DAYS = 7


def _today() -> date:
    return timezone.localdate()


def _url(listing: Listing) -> str:
    return absolute_url(reverse("cooperation:listing_detail", args=[listing.pk]))


def _record(listing: Listing, *, by, event: str, note: str = "") -> None:
    history.record(ListingChange, listing=listing, by=by, event=event, note=note, changes={})


def is_closed(listing: Listing, *, today: date | None = None) -> bool:
    """Past its closing date: nobody joins, changes a quantity or leaves any more."""
    today = today or _today()
    return listing.joint_closes_on is not None and today > listing.joint_closes_on


def _check_open_for_participants(listing: Listing) -> None:
    if not listing.is_joint:
        raise ValidationError(_("Ce besoin n'est pas un besoin groupé."))
    if is_closed(listing):
        raise ValidationError(
            _("Le groupement est clos depuis le %(date)s.")
            % {"date": formats.date_format(listing.joint_closes_on, "j F Y")}
        )


@transaction.atomic
def joint_need_open(*, listing: Listing, closes_on: date, by: AbstractBaseUser) -> Listing:
    """The owner opens a need (draft or open) to other structures until `closes_on`, or
    moves that date while the group is still open."""
    if not can_edit_listing(by, listing):
        raise PermissionDenied
    listing = Listing.objects.select_for_update().get(pk=listing.pk)
    if listing.kind != ListingKind.NEED:
        raise ValidationError(_("Seul un besoin peut être groupé : une offre ne se rejoint pas."))
    if listing.status not in (L.DRAFT, L.OPEN):
        raise ValidationError(_("Seul un besoin en brouillon ou ouvert peut être groupé."))
    if listing.is_joint and is_closed(listing):
        raise ValidationError(_("Le groupement est déjà clos : publiez un nouveau besoin."))
    if closes_on <= _today():
        raise ValidationError({"closes_on": _("La date de clôture doit être à venir.")})
    if listing.expires_at and closes_on > timezone.localdate(listing.expires_at):
        raise ValidationError(
            {
                "closes_on": _(
                    "Le groupement doit se clore avant que l'annonce quitte le catalogue "
                    "(le %(date)s) : renouvelez-la d'abord."
                )
                % {"date": formats.date_format(timezone.localdate(listing.expires_at), "j F Y")}
            }
        )
    event = "joint_moved" if listing.is_joint else "joint_opened"
    listing.is_joint, listing.joint_closes_on = True, closes_on
    listing.save(update_fields=["is_joint", "joint_closes_on", "updated_at"])
    _record(listing, by=by, event=event, note=closes_on.isoformat())
    return listing


@transaction.atomic
def joint_need_open_to_inhabitants(
    *, listing: Listing, open: bool, by: AbstractBaseUser
) -> Listing:
    """The network's animators (only they) let registered inhabitants join, or stop new
    inhabitants from joining: those already in stay counted."""
    if not can_animate(by, listing.actor.network_id):
        raise PermissionDenied
    listing = Listing.objects.select_for_update().get(pk=listing.pk)
    if open and not listing.is_joint:
        raise ValidationError(_("Ce besoin n'est pas un besoin groupé."))
    if listing.open_to_inhabitants != open:
        listing.open_to_inhabitants = open
        listing.save(update_fields=["open_to_inhabitants", "updated_at"])
        _record(listing, by=by, event="joint_inhabitants" if open else "joint_structures_only")
    return listing


def _visible_live(listing: Listing, by: AbstractBaseUser) -> bool:
    return Listing.objects.live().visible_to(by).filter(pk=listing.pk).exists()


@transaction.atomic
def joint_need_join(
    *,
    listing: Listing,
    by: AbstractBaseUser,
    quantity: Decimal,
    actor: Actor | None = None,
    note: str = "",
) -> JointParticipation:
    """`by` joins for `actor` (a published structure they are a member of, not the owner),
    or as an inhabitant (`actor` None) where the animators opened the need to them. Joining
    again changes the quantity. The owner's members hear of it in their daily digest."""
    if not by.is_authenticated or not _visible_live(listing, by):
        raise PermissionDenied
    listing = Listing.objects.select_for_update().select_related("actor").get(pk=listing.pk)
    _check_open_for_participants(listing)
    if actor is not None:
        if actor.pk == listing.actor_id:
            raise ValidationError(
                _("Ce besoin est celui de votre structure : sa quantité se modifie dans l'annonce.")
            )
        if not structures_that_may_join(listing, by).filter(pk=actor.pk).exists():
            if not can_edit_actor(by, actor):
                raise PermissionDenied
            raise ValidationError(
                _(
                    "Cette structure ne peut pas rejoindre ce besoin groupé (non publiée, ou "
                    "d'un autre réseau pour un besoin réservé à ses membres)."
                )
            )
        existing = JointParticipation.objects.filter(listing=listing, actor=actor)
    else:
        if not listing.open_to_inhabitants:
            raise ValidationError(_("Ce besoin groupé est réservé aux structures."))
        if not may_join_as_inhabitant(listing, by):
            raise ValidationError(
                _("Ce besoin est celui de votre structure : sa quantité se modifie dans l'annonce.")
            )
        existing = JointParticipation.objects.filter(listing=listing, actor=None, user=by)
    if quantity is None or quantity <= 0:
        raise ValidationError({"quantity": _("La quantité doit être positive.")})
    participation = existing.select_for_update().first() or JointParticipation(
        listing=listing, actor=actor
    )
    participation.user, participation.quantity, participation.note = by, quantity, note.strip()
    participation.full_clean()
    participation.save()
    _tell_owner(listing, participation)
    return participation


def _tell_owner(listing: Listing, participation: JointParticipation) -> None:
    today = _today()
    context = {
        "listing": listing,
        "participation": participation,
        "total": JointParticipation.objects.joint_total(listing),
        "url": _url(listing),
    }
    for email in Membership.objects.emails_of(listing.actor_id):
        owe(
            key=(
                f"cooperation.joint_need.joined:{participation.pk}:{participation.quantity}"
                f":{today.isoformat()}:{email}"
            ),
            to=[email],
            template=f"{EMAILS}/joined",
            context=context,
            digest_day=today,
        )


@transaction.atomic
def joint_need_leave(*, listing: Listing, by: AbstractBaseUser, actor: Actor | None = None) -> None:
    """`by` takes `actor` (or themselves, as an inhabitant) out of the group, until it
    closes: after that, the owner counts on the final total."""
    if actor is not None and not can_edit_actor(by, actor):
        raise PermissionDenied
    if not by.is_authenticated:
        raise PermissionDenied
    listing = Listing.objects.select_for_update().get(pk=listing.pk)
    _check_open_for_participants(listing)
    participations = JointParticipation.objects.filter(listing=listing)
    if actor is not None:
        participations = participations.filter(actor=actor)
    else:
        participations = participations.filter(actor=None, user=by)
    if not participations.delete()[0]:
        raise ValidationError(_("Vous ne participez pas à ce besoin groupé."))


# --- The day after the closing date ------------------------------------------------------


@dataclass
class CloseReport:
    owners: int = 0
    participants: int = 0


def _closed_yesterday_or_before(today: date):
    """Joint needs whose closing date has passed within the catch-up window (a withdrawn
    or draft one owes nothing)."""
    return (
        Listing.objects.filter(
            is_joint=True,
            joint_closes_on__lt=today,
            joint_closes_on__gte=today - timedelta(days=CLOSE_CATCH_UP_DAYS),
        )
        .exclude(status__in=[L.DRAFT, L.WITHDRAWN])
        .select_related("actor")
    )


def joint_needs_close_pass(*, today: date | None = None) -> CloseReport:
    """The daily pass: for each joint need closed since the last run, e-mail the owner's
    members the final total and the participants (structures and inhabitants, with their
    addresses, so the owner can organise the purchase), and each participant the total.
    Each e-mail is keyed by listing, closing date and recipient: a rerun, or two passes at
    once, owe it once; a closing date moved later owes a new one at the new date."""
    today = today or _today()
    report = CloseReport()
    for listing in _closed_yesterday_or_before(today).iterator(chunk_size=200):
        with transaction.atomic():
            participations = list(
                JointParticipation.objects.of_listing(listing).select_related("actor", "user")
            )
            context = {
                "listing": listing,
                "total": JointParticipation.objects.joint_total(listing),
                "structures": [p for p in participations if p.actor_id],
                "inhabitants": [p for p in participations if not p.actor_id],
                "url": _url(listing),
            }
            prefix = f"cooperation.joint_need.closed:{listing.pk}:{listing.joint_closes_on}"
            if owe(
                key=f"{prefix}:owner",
                to=Membership.objects.emails_of(listing.actor_id),
                template=f"{EMAILS}/closed_owner",
                context=context,
            ):
                report.owners += 1
            for participation in participations:
                email = participation.user.email
                if email and owe(
                    key=f"{prefix}:{participation.pk}",
                    to=[email],
                    template=f"{EMAILS}/closed_participant",
                    context={**context, "participation": participation},
                ):
                    report.participants += 1
    return report
