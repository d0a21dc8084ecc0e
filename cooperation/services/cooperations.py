"""The evidence of cooperation: proposed when a listing is fulfilled with partners,
confirmed (or contested) by the partner, evaluated by each side, shown or hidden by each.

Only the people of a side act for it (its members): the evidence a network shows of its
impact is what the structures themselves said, not what an animator typed for them.
The partner's answer is claimed by a conditional update on the proposed state (TRANSITIONS
in models.cooperations), so a double click or two members at once answer once.
"""

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cooperation.models import Cooperation, CooperationStatus, Evaluation, Listing
from cooperation.models.cooperations import TRANSITIONS
from cooperation.permissions import can_edit_listing
from directory.models import Actor, Membership
from ess_platform.lib.mail import absolute_url
from ess_platform.lib.outbox.sending import owe

C = CooperationStatus
EVALUATION_FIELDS = ("brought", "would_do_again", "quantity", "value_eur", "hours", "jobs")
REASON_MAX_LENGTH = 1000


def is_member(user: AbstractBaseUser, actor: Actor | int) -> bool:
    """`user` acts for the structure (a member of it, whatever the role)."""
    actor_id = actor.pk if isinstance(actor, Actor) else actor
    return (
        user.is_authenticated and Membership.objects.filter(user=user, actor_id=actor_id).exists()
    )


def side_of(cooperation: Cooperation, actor: Actor) -> str:
    """ "owner" or "partner"; a structure that is neither is refused."""
    if actor.pk == cooperation.owner_id:
        return "owner"
    if actor.pk == cooperation.partner_id:
        return "partner"
    raise PermissionDenied


def _url(cooperation: Cooperation) -> str:
    return absolute_url(reverse("cooperation:cooperation_detail", args=[cooperation.pk]))


@transaction.atomic
def cooperations_propose(*, listing: Listing, partners: list[Actor], by: AbstractBaseUser) -> None:
    """One cooperation per partner, to confirm by the partner's members (e-mailed).

    Called by services.listings.listing_fulfil inside its transaction. Proposing twice for
    the same partner creates and owes nothing more."""
    if not can_edit_listing(by, listing):
        raise PermissionDenied
    today = timezone.localdate()
    for partner in partners:
        if partner.pk == listing.actor_id:
            continue
        cooperation, _created = Cooperation.objects.get_or_create(
            listing=listing,
            partner=partner,
            defaults={"owner_id": listing.actor_id, "nature": listing.nature, "happened_on": today},
        )
        owe(
            key=f"cooperation.cooperation.proposed:{cooperation.pk}",
            to=Membership.objects.emails_of(partner.pk),
            template="cooperation/cooperations/emails/proposed",
            context={
                "listing": listing,
                "owner": listing.actor,
                "partner": partner,
                "url": _url(cooperation),
            },
        )


def _answer(cooperation: Cooperation, *, to: str, **fields) -> Cooperation:
    """Move a proposed cooperation to `to`, claimed on the state read in the database: the
    second of two clicks finds it answered and changes nothing."""
    current = Cooperation.objects.filter(pk=cooperation.pk).values_list("status", flat=True).first()
    if current is None or to not in TRANSITIONS[current]:
        raise ValidationError(
            _("Cette coopération a déjà reçu une réponse : « %(status)s ».")
            % {"status": C(current).label if current else "—"}
        )
    moved = Cooperation.objects.filter(pk=cooperation.pk, status=current).update(
        status=to, **fields
    )
    if not moved:
        raise ValidationError(_("Elle a changé entre-temps : rechargez la page."))
    cooperation.refresh_from_db()
    return cooperation


@transaction.atomic
def cooperation_confirm(*, cooperation: Cooperation, by: AbstractBaseUser) -> Cooperation:
    """The partner's member confirms: it becomes evidence; the owner's members hear of it."""
    if not is_member(by, cooperation.partner_id):
        raise PermissionDenied
    cooperation = _answer(cooperation, to=C.CONFIRMED, confirmed_at=timezone.now(), confirmed_by=by)
    owe(
        key=f"cooperation.cooperation.confirmed:{cooperation.pk}",
        to=Membership.objects.emails_of(cooperation.owner_id),
        template="cooperation/cooperations/emails/confirmed",
        context={
            "cooperation": cooperation,
            "listing": cooperation.listing,
            "partner": cooperation.partner,
            "url": _url(cooperation),
        },
    )
    return cooperation


@transaction.atomic
def cooperation_decline(
    *, cooperation: Cooperation, by: AbstractBaseUser, reason: str = ""
) -> Cooperation:
    """The partner's member contests it (it did not happen, or not like this): it never
    counts. The owner's members get the reason by e-mail."""
    if not is_member(by, cooperation.partner_id):
        raise PermissionDenied
    reason = reason.strip()
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError(
            {"reason": _("%(max)d caractères au plus.") % {"max": REASON_MAX_LENGTH}}
        )
    cooperation = _answer(cooperation, to=C.DECLINED)
    owe(
        key=f"cooperation.cooperation.declined:{cooperation.pk}",
        to=Membership.objects.emails_of(cooperation.owner_id),
        template="cooperation/cooperations/emails/declined",
        context={
            "cooperation": cooperation,
            "listing": cooperation.listing,
            "partner": cooperation.partner,
            "reason": reason,
            "url": _url(cooperation),
        },
    )
    return cooperation


@transaction.atomic
def evaluation_save(
    *, cooperation: Cooperation, actor: Actor, data: dict, by: AbstractBaseUser
) -> Evaluation:
    """One side's short evaluation (written again as often as it likes), once confirmed."""
    side_of(cooperation, actor)
    if not is_member(by, actor):
        raise PermissionDenied
    unknown = set(data) - set(EVALUATION_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    # The cooperation's row is locked first: two first saves at once (a double click)
    # wait for each other instead of both inserting the side's evaluation.
    status = (
        Cooperation.objects.select_for_update()
        .values_list("status", flat=True)
        .get(pk=cooperation.pk)
    )
    if status != C.CONFIRMED:
        raise ValidationError(_("Une coopération s'évalue une fois confirmée par le partenaire."))
    evaluation = (
        Evaluation.objects.select_for_update().filter(cooperation=cooperation, actor=actor).first()
    ) or Evaluation(cooperation=cooperation, actor=actor)
    for field, value in data.items():
        setattr(evaluation, field, value)
    evaluation.by = by
    evaluation.full_clean(validate_unique=False)
    evaluation.save()
    return evaluation


@transaction.atomic
def cooperation_visibility_set(
    *, cooperation: Cooperation, actor: Actor, shown: bool, by: AbstractBaseUser
) -> Cooperation:
    """Whether this side lets the cooperation show on the structures' public pages (it
    shows only when both sides let it)."""
    side = side_of(cooperation, actor)
    if not is_member(by, actor):
        raise PermissionDenied
    field = f"shown_by_{side}"
    Cooperation.objects.filter(pk=cooperation.pk).update(**{field: bool(shown)})
    cooperation.refresh_from_db()
    return cooperation
