"""Correction reports: anyone says that a field of a published profile is wrong and proposes
the right value; the actor's members (or the network's animators) accept it, which applies
the value through `services.actor_update` (history, confirmation), or reject it with a reason.
"""

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from directory.models import Actor, ActorChange, CorrectionReport, Membership, Status
from directory.permissions import can_edit_actor
from directory.services import actors as services
from directory.services import history
from ess_platform.lib import ratelimit
from ess_platform.lib.mail import absolute_url
from ess_platform.lib.outbox.sending import owe

# Plain text fields of the public page; the others (commune, sectors, choices, logo) are
# easier to fix from the profile form than to describe in a report.
REPORTABLE_FIELDS = (
    "name",
    "short_description",
    "description",
    "website",
    "email",
    "phone",
    "address",
    "postcode",
    "opening_hours",
    "keywords",
    "labels",
    "offer",
    "local_currencies",
)
# A person reports a few errors; a robot many. Counted per client address (an IPv6 address
# per /64 network): see ess_platform.lib.ratelimit.
REPORTS_PER_HOUR_PER_IP = 5
RATE_WINDOW_SECONDS = 60 * 60


class TooManyReports(ratelimit.RateLimited):
    """This IP sent more reports than REPORTS_PER_HOUR_PER_IP within the hour."""


def reportable_field_choices() -> list[tuple[str, str]]:
    return [(field, history.field_label(field)) for field in REPORTABLE_FIELDS]


def can_decide_reports(user: AbstractBaseUser, actor: Actor) -> bool:
    """Whoever edits the profile decides on its reports: any member, the network's
    animators (and the platform's admins)."""
    return can_edit_actor(user, actor)


def _rate_limit(ip: str) -> None:
    try:
        ratelimit.hit(
            "corrections:reports",
            ip,
            limit=REPORTS_PER_HOUR_PER_IP,
            window_seconds=RATE_WINDOW_SECONDS,
        )
    except ratelimit.RateLimited:
        raise TooManyReports from None


def clean_proposed_value(*, actor: Actor, field: str, value: str):
    """The proposed value checked as the profile form and the model would check it (URL and
    e-mail formats, lengths, required fields). Raises ValidationError with French messages."""
    model_field = Actor._meta.get_field(field)
    form_field = model_field.formfield()
    try:
        cleaned = form_field.clean(value)
        cleaned = model_field.clean(cleaned, actor)
    except ValidationError as error:
        raise ValidationError({"proposed_value": error.messages}) from None
    return cleaned


@transaction.atomic
def correction_report_create(
    *,
    actor: Actor,
    field: str,
    proposed_value: str,
    comment: str = "",
    reporter_email: str = "",
    by: AbstractBaseUser | None,
    ip: str,
    honeypot: str = "",
) -> CorrectionReport | None:
    """Record a report on a published profile, with the value shown at that moment.

    Returns None, storing nothing, when the honeypot field was filled: the robot is answered
    as if the report had been accepted, so it learns nothing. Raises TooManyReports past the
    limit per IP.
    """
    if actor.status != Status.PUBLISHED:
        raise PermissionDenied
    if field not in REPORTABLE_FIELDS:
        raise ValidationError({"field": _("Cette information ne peut pas être signalée.")})
    _rate_limit(ip)
    if honeypot:
        return None
    current_value = history.display_value(actor, field)
    proposed_value = proposed_value.strip()
    if proposed_value == current_value.strip():
        raise ValidationError(
            {"proposed_value": _("La valeur proposée est identique à celle affichée.")}
        )
    # Checked now so the reporter can fix it, and again on acceptance (the rules may change).
    clean_proposed_value(actor=actor, field=field, value=proposed_value)
    report = CorrectionReport(
        actor=actor,
        field=field,
        current_value=current_value,
        proposed_value=proposed_value,
        comment=comment.strip(),
        reporter=by if by is not None and by.is_authenticated else None,
        reporter_email=reporter_email.strip(),
    )
    report.full_clean()
    report.save()
    _tell_members(report)
    return report


def _tell_members(report: CorrectionReport) -> None:
    """Owe the structure's members (or, when it has none, its network's animators: they
    decide then) an e-mail about the new report, with the link to decide on it."""
    actor = report.actor
    to = Membership.objects.emails_of(actor.pk)
    if not to:
        to = actor.network.animator_emails()
    with translation.override(settings.LANGUAGE_CODE):
        label = history.field_label(report.field)
    owe(
        key=f"directory.correction.created:{report.pk}",
        to=to,
        template="directory/corrections/emails/created",
        context={
            "report": report,
            "field_label": label,
            "url": absolute_url(
                reverse("directory:correction_report_list", kwargs={"slug": actor.slug})
            ),
        },
    )


def _claim(report: CorrectionReport, *, by: AbstractBaseUser, state: str, reason: str = ""):
    """Decide once: a conditional update on the open state, so a double click or two
    members deciding at the same time apply a single decision."""
    claimed = CorrectionReport.objects.filter(pk=report.pk, state=CorrectionReport.State.OPEN)
    if not claimed.update(
        state=state, decided_by=by, decided_at=timezone.now(), decision_reason=reason
    ):
        raise ValidationError(_("Ce signalement a déjà été traité."))
    report.refresh_from_db()


def _tell_reporter(report: CorrectionReport) -> None:
    """Owe the person who reported (and left an address) an e-mail with the outcome."""
    if not report.reporter_email:
        return
    with translation.override(settings.LANGUAGE_CODE):
        label = history.field_label(report.field)
    owe(
        key=f"directory.correction.decided:{report.pk}",
        to=[report.reporter_email],
        template="directory/corrections/emails/decided",
        context={
            "report": report,
            "field_label": label,
            "url": absolute_url(reverse("directory:actor_detail", args=[report.actor.slug])),
        },
    )


@transaction.atomic
def correction_report_accept(*, report: CorrectionReport, by: AbstractBaseUser) -> CorrectionReport:
    """Apply the proposed value to the profile (recorded in its history; the data counts as
    confirmed). An invalid value cannot be accepted: the report stays open."""
    actor = report.actor
    if not can_decide_reports(by, actor):
        raise PermissionDenied
    value = clean_proposed_value(actor=actor, field=report.field, value=report.proposed_value)
    _claim(report, by=by, state=CorrectionReport.State.ACCEPTED)
    services.actor_update(
        actor=actor,
        by=by,
        data={report.field: value},
        source=ActorChange.Source.CORRECTION,
        note=_("Signalement n° %(number)s") % {"number": report.pk},
    )
    _tell_reporter(report)
    return report


@transaction.atomic
def correction_report_reject(
    *, report: CorrectionReport, by: AbstractBaseUser, reason: str
) -> CorrectionReport:
    if not can_decide_reports(by, report.actor):
        raise PermissionDenied
    reason = reason.strip()
    if not reason:
        raise ValidationError(
            {"decision_reason": _("Dites pourquoi ce signalement est refusé : son auteur le lira.")}
        )
    _claim(report, by=by, state=CorrectionReport.State.REJECTED, reason=reason[:2000])
    _tell_reporter(report)
    return report
