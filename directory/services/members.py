"""Members of a structure: join requests, invitations, and the e-mails they send."""

from datetime import timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from directory.models import Actor, Invitation, JoinRequest, Membership, Role
from directory.permissions import can_manage_members
from ess_platform.lib.outbox.sending import owe
from ess_platform.lib.signed_links import sign, unsign

INVITATION_SALT = "directory.invitation"
# Invitations are e-mails sent in the platform's name: capped per person and hour.
INVITATIONS_PER_HOUR = 20
INVITATION_MAX_AGE = timedelta(days=14)


def _managers_emails(actor: Actor) -> list[str]:
    """Who answers a join request: the actor's owners and its network's animators."""
    owners = Membership.objects.filter(actor=actor, role=Role.OWNER).values_list(
        "user__email", flat=True
    )
    animators = actor.network.animators.values_list("email", flat=True)
    return sorted({e for e in [*owners, *animators] if e})


def invitation_token(invitation: Invitation) -> str:
    return sign(invitation.pk, salt=INVITATION_SALT)


def invitation_from_token(token: str) -> Invitation:
    """Raises InvalidLink for a forged or stale link, Invitation.DoesNotExist for a
    withdrawn one."""
    pk = unsign(token, salt=INVITATION_SALT, max_age=INVITATION_MAX_AGE)
    return Invitation.objects.select_related("actor").get(pk=pk)


def invitation_url(invitation: Invitation) -> str:
    return reverse("directory:invitation_accept", kwargs={"token": invitation_token(invitation)})


@transaction.atomic
def join_request_create(*, actor: Actor, by: AbstractBaseUser, message: str = "") -> JoinRequest:
    if Membership.objects.filter(actor=actor, user=by).exists():
        raise ValidationError(_("Vous agissez déjà pour cette structure."))
    if JoinRequest.objects.filter(actor=actor, user=by, state=JoinRequest.State.PENDING).exists():
        raise ValidationError(_("Votre demande est déjà en attente de réponse."))
    join_request = JoinRequest.objects.create(actor=actor, user=by, message=message)
    owe(
        key=f"directory.join_request.created:{join_request.pk}",
        to=_managers_emails(actor),
        template="directory/members/emails/join_request_created",
        context={"join_request": join_request, "url": reverse("directory:my_actors")},
    )
    return join_request


@transaction.atomic
def join_request_decide(
    *, join_request: JoinRequest, by: AbstractBaseUser, accept: bool
) -> JoinRequest:
    if not can_manage_members(by, join_request.actor):
        raise PermissionDenied
    updated = JoinRequest.objects.filter(
        pk=join_request.pk, state=JoinRequest.State.PENDING
    ).update(
        state=JoinRequest.State.ACCEPTED if accept else JoinRequest.State.REFUSED,
        decided_by=by,
        decided_at=timezone.now(),
    )
    if not updated:
        raise ValidationError(_("Cette demande a déjà été traitée."))
    join_request.refresh_from_db()
    if accept:
        Membership.objects.get_or_create(
            user=join_request.user, actor=join_request.actor, defaults={"role": Role.EDITOR}
        )
    owe(
        key=f"directory.join_request.decided:{join_request.pk}",
        to=[join_request.user.email],
        template="directory/members/emails/join_request_decided",
        context={"join_request": join_request, "url": reverse("directory:my_actors")},
    )
    return join_request


@transaction.atomic
def invitation_create(
    *, actor: Actor, by: AbstractBaseUser, email: str, role: str = Role.EDITOR
) -> Invitation:
    """An owner invites a person by e-mail to act for the structure."""
    if not can_manage_members(by, actor):
        raise PermissionDenied
    email = email.strip().lower()
    if Membership.objects.filter(actor=actor, user__email__iexact=email).exists():
        raise ValidationError({"email": _("Cette personne agit déjà pour la structure.")})
    if Invitation.objects.filter(actor=actor, email=email, accepted_at__isnull=True).exists():
        raise ValidationError(
            {"email": _("Une invitation attend déjà la réponse de cette personne.")}
        )
    # Invitations are e-mails sent in the platform's name: cap them per person.
    recent = Invitation.objects.filter(
        invited_by=by, created_at__gte=timezone.now() - timedelta(hours=1)
    ).count()
    if recent >= INVITATIONS_PER_HOUR:
        raise ValidationError(
            {"email": _("Trop d'invitations envoyées en une heure : réessayez plus tard.")}
        )
    invitation = Invitation.objects.create(actor=actor, email=email, role=role, invited_by=by)
    owe(
        key=f"directory.invitation:{invitation.pk}",
        to=[invitation.email],
        template="directory/members/emails/invitation",
        context={"invitation": invitation, "url": invitation_url(invitation)},
    )
    return invitation


@transaction.atomic
def invitation_accept(*, invitation: Invitation, by: AbstractBaseUser) -> Membership:
    """The invited person, signed in with the invited address, joins the structure."""
    if not by.is_authenticated or by.email.lower() != invitation.email.lower():
        raise PermissionDenied
    claimed = Invitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True).update(
        accepted_at=timezone.now(), accepted_by=by
    )
    if not claimed:
        raise ValidationError(_("Cette invitation a déjà été utilisée."))
    membership, _created = Membership.objects.get_or_create(
        user=by, actor=invitation.actor, defaults={"role": invitation.role}
    )
    return membership
