"""The daily admission pass: applications waiting too long for their quorum, and progress
commitments coming due.

Idempotent like the freshness pass: every reminder is owed through the outbox under a key
naming its occasion (an application's round and a reviewer; a commitment and its stage),
so a rerun, a second worker or tomorrow's pass never sends the same reminder twice. The
query count grows with the number of late applications, not with the network's size.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from cooperation.models import (
    AdmissionPolicy,
    Application,
    ApplicationStatus,
    Assignment,
    ConflictOfInterest,
    Opinion,
    ProgressCommitment,
    Reviewer,
)
from cooperation.models.reviews import decision_blockers
from cooperation.services.applications import application_url, member_emails
from directory.models import Network
from ess_platform.lib.mail import absolute_url
from ess_platform.lib.outbox.sending import owe

S = ApplicationStatus
COMMITMENT_NOTICE_DAYS = 7


@dataclass
class ReminderReport:
    late_applications: int = 0
    reviewer_reminders: int = 0
    commitment_reminders: int = 0
    details: list[str] = field(default_factory=list)


def late_applications(
    *, as_of: datetime | None = None, network: Network | None = None
) -> list[Application]:
    """Applications (of one network, or all) waiting for opinions longer than their
    network's delay, quorum unmet: the review queue flags them, the pass reminds their
    reviewers. Each comes with `blockers`, what it still waits for."""
    as_of = as_of or timezone.now()
    waiting = Application.objects.filter(
        status__in=[S.SUBMITTED, S.UNDER_REVIEW, S.APPEALED], review_started_at__isnull=False
    ).select_related("actor__network")
    if network is not None:
        waiting = waiting.of_network(network)
    late = []
    delays: dict[int, int] = {}  # one policy read per network, not per application
    for application in waiting:
        network_id = application.actor.network_id
        if network_id not in delays:
            policy = AdmissionPolicy.for_network(application.actor.network)
            delays[network_id] = policy.reminder_after_days
        if application.review_started_at + timedelta(days=delays[network_id]) > as_of:
            continue
        application.blockers = decision_blockers(application)
        if application.blockers:
            late.append(application)
    return late


def _reviewers_to_remind(application: Application) -> list[Reviewer]:
    """The assigned reviewers who gave no opinion yet; when nobody of a college is
    assigned, every free reviewer of the colleges that gave no opinion."""
    opinions = Opinion.objects.filter(application=application, round=application.round)
    given = set(opinions.values_list("reviewer_id", flat=True))
    assigned = list(
        Reviewer.objects.filter(
            assignments__application=application, assignments__round=application.round
        ).select_related("user", "college")
    )
    pending = [r for r in assigned if r.pk not in given]
    covered = {r.college_id for r in assigned} | set(
        opinions.values_list("reviewer__college_id", flat=True)
    )
    conflicted = ConflictOfInterest.objects.filter(actor=application.actor).values("reviewer")
    others = (
        Reviewer.objects.of_network(application.actor.network)
        .exclude(college_id__in=covered)
        .exclude(pk__in=conflicted)
        .exclude(user__memberships__actor=application.actor)
        .select_related("user", "college")
    )
    # The rest of services.reviews.review_conflict, in the query: no reviewer a member of
    # another structure of the same legal entity, none of the first round on appeal.
    siren = (application.actor.siret or "")[:9]
    if siren:
        others = others.exclude(user__memberships__actor__siret__startswith=siren)
    if application.round > 1:
        first = Assignment.objects.filter(application=application, round=1).values("reviewer")
        others = others.exclude(pk__in=first)
    return pending + list(others)


@transaction.atomic
def admission_reminders_send(*, as_of: datetime | None = None) -> ReminderReport:
    as_of = as_of or timezone.now()
    report = ReminderReport()
    for application in late_applications(as_of=as_of):
        report.late_applications += 1
        for reviewer in _reviewers_to_remind(application):
            if owe(
                key=f"cooperation.reminder:{application.pk}:{application.round}:{reviewer.pk}",
                to=[reviewer.user.email],
                template="cooperation/reviews/emails/reminder",
                context={
                    "application": application,
                    "reviewer": reviewer,
                    "blockers": application.blockers,
                    "url": application_url(application),
                },
            ):
                report.reviewer_reminders += 1
    today = timezone.localdate(as_of)
    commitments = ProgressCommitment.objects.filter(
        done_at__isnull=True, due_on__lte=today + timedelta(days=COMMITMENT_NOTICE_DAYS)
    ).select_related("application__actor__network")
    for commitment in commitments:
        stage = "overdue" if commitment.due_on < today else "due"
        application = commitment.application
        sent_to_members = owe(
            key=f"cooperation.commitment.{stage}:{commitment.pk}",
            to=member_emails(application),
            template="cooperation/applications/emails/commitment_due",
            context={
                "commitment": commitment,
                "actor": application.actor,
                "overdue": stage == "overdue",
                "url": application_url(application),
            },
        )
        if stage == "overdue":
            owe(
                key=f"cooperation.commitment.overdue.animators:{commitment.pk}",
                to=application.actor.network.animator_emails(),
                template="cooperation/applications/emails/commitment_due",
                context={
                    "commitment": commitment,
                    "actor": application.actor,
                    "overdue": True,
                    "url": absolute_url(
                        reverse("cooperation:review_queue", args=[application.actor.network.slug])
                    ),
                },
            )
        report.commitment_reminders += int(sent_to_members)
    return report
