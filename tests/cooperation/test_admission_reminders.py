"""The daily admission pass (services.reminders, its Celery task and its command): reviewers
of applications waiting too long for their quorum, and progress commitments coming due."""

import io
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from cooperation.models import AdmissionPolicy, Application, ProgressCommitment, Stakeholder
from cooperation.services import applications as applying
from cooperation.services import reviews as reviewing
from cooperation.services.reminders import admission_reminders_send, late_applications
from cooperation.tasks.admission import send_admission_reminders
from tests.cooperation.helpers import (
    ReviewerFactory,
    application_path,
    assign,
    emails_to,
    give_opinions,
    make_siret,
    settle,
)
from tests.factories import ActorFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def days_later(days: int):
    """Noon, `days` from today: far enough from midnight that the day is the same in UTC
    and in local time, whatever the hour the tests run."""
    return timezone.localtime().replace(hour=12, minute=0, second=0) + timedelta(days=days)


@pytest.fixture
def run_pass(on_commit):
    """Run the pass at `as_of` as a committed transaction would; returns its report and the
    e-mails it sent, by recipient."""

    def run(as_of):
        before = len(mail.outbox)
        with on_commit():
            report = admission_reminders_send(as_of=as_of)
        sent: dict[str, list] = {}
        for message in mail.outbox[before:]:
            for address in message.to:
                sent.setdefault(address, []).append(message)
        return report, sent

    return run


def _waiting_since(application: Application, days: int) -> None:
    Application.objects.filter(pk=application.pk).update(
        review_started_at=timezone.now() - timedelta(days=days)
    )


# --- Applications waiting for their quorum --------------------------------------------------


def test_reviewers_of_a_late_application_are_reminded_of_what_is_missing(
    network,
    other_network,
    under_review,
    applicant,
    animator,
    candidate,
    peer,
    consumer,
    official,
    employee,
    run_pass,
):
    assign(under_review, [consumer], by=animator)
    give_opinions(under_review, [consumer])
    settle()
    # Not reminded: another reviewer of a college that gave its opinion, reviewers who may not
    # review this structure, a reviewer of another network.
    another_consumer = ReviewerFactory(network=network, stakeholder=Stakeholder.CONSUMERS)
    declared = ReviewerFactory(network=network, stakeholder=Stakeholder.NGO)
    reviewing.conflict_declare(reviewer=declared, actor=applicant, by=declared.user)
    member = ReviewerFactory(network=network, stakeholder=Stakeholder.RESEARCH)
    MembershipFactory(actor=applicant, user=member.user)
    sibling = ActorFactory(network=network, siret=make_siret("12345678", establishment=2))
    same_entity = ReviewerFactory(network=network, stakeholder=Stakeholder.NGO)
    MembershipFactory(actor=sibling, user=same_entity.user)
    stranger = ReviewerFactory(network=other_network, stakeholder=Stakeholder.GOVERNMENT)

    report, sent = run_pass(days_later(16))

    # The assigned peer who gave no opinion yet, and the free reviewers of the colleges that
    # gave none.
    assert set(sent) == {peer.user.email, official.user.email, employee.user.email}
    assert (report.late_applications, report.reviewer_reminders) == (1, 3)
    (message,) = sent[peer.user.email]
    assert "Atelier Vélo Solidaire" in message.subject
    assert "il manque 2 avis" in message.body
    assert "Structures pairs de l'ESS" in message.body
    assert application_path(under_review) in message.body
    for nobody in (another_consumer, declared, member, same_entity, stranger):
        assert not emails_to(nobody.user.email)


def test_a_reminder_is_never_sent_twice(under_review, peer, consumer, run_pass):
    _report, first = run_pass(days_later(16))
    assert set(first) == {peer.user.email, consumer.user.email}

    for as_of in (days_later(16), days_later(17), days_later(40)):
        report, sent = run_pass(as_of)
        assert sent == {}
        assert (report.late_applications, report.reviewer_reminders) == (1, 0)


def test_a_submitted_application_nobody_took_reminds_every_college(
    submitted, peer, consumer, run_pass
):
    report, sent = run_pass(days_later(16))

    assert set(sent) == {peer.user.email, consumer.user.email}
    assert report.late_applications == 1


def test_nothing_is_late_before_the_networks_delay(network, under_review, peer, run_pass):
    report, sent = run_pass(days_later(14))
    assert sent == {} and report.late_applications == 0

    AdmissionPolicy.objects.create(network=network, reminder_after_days=7)
    report, sent = run_pass(days_later(8))
    assert set(sent) == {peer.user.email} and report.late_applications == 1


def test_an_application_with_its_quorum_and_its_visit_is_not_late(decidable, run_pass):
    report, sent = run_pass(days_later(30))

    assert sent == {}
    assert report.late_applications == 0
    assert late_applications(as_of=days_later(30)) == []


def test_a_decided_application_is_not_late(refused, run_pass):
    report, sent = run_pass(days_later(30))

    assert sent == {} and report.late_applications == 0


def test_the_wait_pauses_while_the_structure_is_asked_and_starts_again_when_it_answers(
    under_review, animator, candidate, peer, run_pass
):
    _waiting_since(under_review, 20)
    applying.application_request_information(
        application=under_review, by=animator, request="Vos comptes 2024."
    )
    settle()

    report, sent = run_pass(days_later(0))
    assert sent == {} and report.late_applications == 0

    applying.application_provide_information(
        application=under_review, by=candidate, answer="Les voici."
    )
    settle()

    report, sent = run_pass(days_later(1))
    assert sent == {} and report.late_applications == 0
    _report, sent = run_pass(days_later(16))
    assert set(sent) == {peer.user.email}


def test_an_appeal_reminds_only_reviewers_of_the_second_round(
    network, refused, candidate, peer, consumer, official, second_peer, run_pass
):
    applying.application_appeal(application=refused, by=candidate, arguments="Nouveaux statuts.")
    settle()

    report, sent = run_pass(days_later(16))

    assert set(sent) == {second_peer.user.email}
    assert report.late_applications == 1


# --- Progress commitments -------------------------------------------------------------------


@pytest.fixture
def plan(decidable, animator):
    """Admitted with two commitments: one due in 10 days, one in 60."""
    today = timezone.localdate()
    application = applying.application_decide(
        application=decidable,
        by=animator,
        decision="admitted_with_plan",
        commitments=[
            ("Publier nos comptes sur notre site", today + timedelta(days=10)),
            ("Former deux bénévoles à la réparation", today + timedelta(days=60)),
        ],
    )
    settle()
    return application


def test_a_commitment_coming_due_reminds_the_members_once(plan, candidate, animator, run_pass):
    report, sent = run_pass(days_later(2))
    assert sent == {} and report.commitment_reminders == 0

    report, sent = run_pass(days_later(4))

    assert set(sent) == {candidate.email}
    (message,) = sent[candidate.email]
    assert "bientôt" in message.subject
    assert "Publier nos comptes sur notre site" in message.body
    assert "Former deux bénévoles" not in message.body
    assert report.commitment_reminders == 1
    for as_of in (days_later(4), days_later(5), days_later(10)):
        report, sent = run_pass(as_of)
        assert sent == {} and report.commitment_reminders == 0


def test_an_overdue_commitment_reminds_the_members_and_the_animators_once(
    plan, candidate, animator, run_pass
):
    run_pass(days_later(4))

    report, sent = run_pass(days_later(11))

    assert set(sent) == {candidate.email, animator.email}
    assert all("en retard" in messages[0].subject for messages in sent.values())
    assert "Publier nos comptes sur notre site" in sent[animator.email][0].body
    assert report.commitment_reminders == 1
    for as_of in (days_later(11), days_later(12)):
        report, sent = run_pass(as_of)
        assert sent == {} and report.commitment_reminders == 0


def test_a_commitment_kept_is_not_reminded(plan, run_pass):
    ProgressCommitment.objects.update(done_at=timezone.now())

    report, sent = run_pass(days_later(90))

    assert sent == {} and report.commitment_reminders == 0


# --- The command and the daily job ----------------------------------------------------------


def test_the_command_runs_the_pass_and_says_what_it_did(under_review, peer, consumer):
    _waiting_since(under_review, 20)
    out = io.StringIO()

    call_command("send_admission_reminders", stdout=out)

    assert "Candidatures en retard : 1." in out.getvalue()
    assert "Relances d'évaluateurs : 2." in out.getvalue()
    assert "Rappels d'engagements : 0." in out.getvalue()

    out = io.StringIO()
    call_command("send_admission_reminders", stdout=out)
    assert "Relances d'évaluateurs : 0." in out.getvalue()


def test_the_daily_job_runs_the_same_pass(under_review, peer):
    _waiting_since(under_review, 20)

    result = send_admission_reminders.delay().get()

    assert result["late_applications"] == 1 and result["reviewer_reminders"] == 1
