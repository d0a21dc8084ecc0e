"""E-mails of the directory, rendered from templates in French (the site's language)."""

from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from directory.models import Invitation, JoinRequest, Membership, Role

INVITATION_SALT = "directory.invitation"
INVITATION_MAX_AGE = 60 * 60 * 24 * 14  # two weeks


def _send(*, template: str, context: dict, to: list[str]) -> None:
    if not to:
        return
    with translation.override(settings.LANGUAGE_CODE):
        context = {**context, "site_url": settings.SITE_URL}
        subject = render_to_string(f"directory/emails/{template}_subject.txt", context).strip()
        body = render_to_string(f"directory/emails/{template}.txt", context)
    send_mail(subject, body, None, to)


def _managers_emails(join_request: JoinRequest) -> list[str]:
    actor = join_request.actor
    owners = Membership.objects.filter(actor=actor, role=Role.OWNER).values_list(
        "user__email", flat=True
    )
    animators = actor.network.animators.values_list("email", flat=True)
    return sorted({e for e in [*owners, *animators] if e})


def join_request_created(join_request_id: int) -> None:
    join_request = JoinRequest.objects.select_related("actor__network", "user").get(
        pk=join_request_id
    )
    _send(
        template="join_request_created",
        context={"join_request": join_request, "url": reverse("directory:my_actors")},
        to=_managers_emails(join_request),
    )


def join_request_decided(join_request_id: int) -> None:
    join_request = JoinRequest.objects.select_related("actor", "user").get(pk=join_request_id)
    _send(
        template="join_request_decided",
        context={"join_request": join_request, "url": reverse("directory:my_actors")},
        to=[join_request.user.email],
    )


def invitation_token(invitation: Invitation) -> str:
    return signing.dumps(invitation.pk, salt=INVITATION_SALT)


def invitation_from_token(token: str) -> Invitation:
    """Raises signing.BadSignature (or SignatureExpired) for a forged or stale link."""
    pk = signing.loads(token, salt=INVITATION_SALT, max_age=INVITATION_MAX_AGE)
    return Invitation.objects.select_related("actor").get(pk=pk)


def invitation_sent(invitation_id: int) -> None:
    invitation = Invitation.objects.select_related("actor", "invited_by").get(pk=invitation_id)
    url = reverse("directory:invitation_accept", kwargs={"token": invitation_token(invitation)})
    _send(
        template="invitation", context={"invitation": invitation, "url": url}, to=[invitation.email]
    )
