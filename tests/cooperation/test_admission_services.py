"""Admission by peer validation, through its services: an application from the structure's
draft to the final decision and the appeal (services.applications), and the charter's
versions (services.charters). Reviewers, conflicts, opinions and visits:
test_admission_reviews.py."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from cooperation.models import (
    Admission,
    AdmissionPolicy,
    Answer,
    Application,
    ApplicationStatus,
    CharterVersion,
    College,
    CriterionAnswer,
    CriterionKind,
    Opinion,
    ProgressCommitment,
    Reviewer,
    Stakeholder,
    Verdict,
)
from cooperation.models.applications import TRANSITIONS
from cooperation.seed.charter import MODEL_CRITERIA
from cooperation.services import applications as applying
from cooperation.services import reviews as reviewing
from cooperation.services.charters import charter_publish
from directory.models import MapCell, Status
from tests.cooperation.helpers import (
    ReviewerFactory,
    answer_and_submit,
    application_path,
    assign,
    emails_to,
    give_opinions,
    meet_quorum,
    plain_answers,
    record_visit,
)
from tests.factories import ActorFactory, MembershipFactory

S = ApplicationStatus
PEERS = "Structures pairs de l'ESS"

pytestmark = pytest.mark.django_db


def messages(error) -> str:
    return " ".join(error.value.messages)


# --- Starting from the draft ----------------------------------------------------------------


def test_a_draft_applies_to_the_current_charter_of_a_network_set_up_on_the_way(
    network, applicant, candidate
):
    assert not College.objects.filter(network=network).exists()

    application = applying.application_start(actor=applicant, by=candidate)

    assert application.status == S.DRAFT
    assert application.charter_version.number == 1
    assert application.charter_version.criteria.count() == len(MODEL_CRITERIA)
    colleges = College.objects.filter(network=network)
    assert sorted(c.stakeholder for c in colleges) == sorted(Stakeholder.values)
    assert colleges.get(stakeholder=Stakeholder.INDUSTRY).name == PEERS
    # Starting again finds the open application instead of opening a second one.
    assert applying.application_start(actor=applicant, by=candidate) == application
    assert Application.objects.filter(actor=applicant).count() == 1
    assert CharterVersion.objects.filter(network=network).count() == 1


def test_a_network_that_edited_its_colleges_keeps_them(network, applicant, candidate):
    College.objects.create(network=network, name="Habitants", stakeholder=Stakeholder.CONSUMERS)

    applying.application_start(actor=applicant, by=candidate)

    assert list(College.objects.filter(network=network).values_list("name", flat=True)) == [
        "Habitants"
    ]


def test_a_published_structure_does_not_apply(actor, member):
    with pytest.raises(ValidationError, match="déjà membre"):
        applying.application_start(actor=actor, by=member)
    assert not Application.objects.exists()


def test_an_admitted_structure_does_not_apply_again(applicant, candidate):
    # Suspended since, say: its admission stands.
    Admission.objects.create(actor=applicant, admitted_at=timezone.now())

    with pytest.raises(ValidationError, match="déjà membre"):
        applying.application_start(actor=applicant, by=candidate)
    assert not Application.objects.exists()


@pytest.mark.parametrize("who", ["other_member", "anonymous", "other_animator"])
def test_only_the_structure_or_its_animators_start_its_application(request, applicant, who):
    by = AnonymousUser() if who == "anonymous" else request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        applying.application_start(actor=applicant, by=by)
    assert not Application.objects.exists()


def test_a_new_charter_version_does_not_rewrite_a_started_application(
    network, animator, applicant, candidate, nantes
):
    application = applying.application_start(actor=applicant, by=candidate)
    first = application.charter_version
    applying.application_save_answers(
        application=application,
        by=candidate,
        accept_charter=True,
        answers=plain_answers(application),
    )
    answers_before = list(
        CriterionAnswer.objects.filter(application=application).values_list(
            "criterion_id", "answer", "explanation"
        )
    )

    second = charter_publish(
        network=network,
        by=animator,
        introduction="Notre charte, revue en assemblée générale.",
        criteria=[(CriterionKind.INCLUSION, "Gouvernance partagée", "Une personne, une voix.")],
    )

    application.refresh_from_db()
    assert second.number == 2
    assert application.charter_version == first
    assert (
        list(
            CriterionAnswer.objects.filter(application=application).values_list(
                "criterion_id", "answer", "explanation"
            )
        )
        == answers_before
    )
    # The application is still judged against the version it answered.
    assert applying.missing_answers(application) == []
    newcomer = ActorFactory(network=network, commune=nantes, draft=True)
    owner = MembershipFactory(actor=newcomer).user
    assert applying.application_start(actor=newcomer, by=owner).charter_version == second


def test_only_an_animator_publishes_a_charter(network, candidate):
    with pytest.raises(PermissionDenied):
        charter_publish(
            network=network,
            by=candidate,
            introduction="Une charte à nous.",
            criteria=[(CriterionKind.INCLUSION, "Tout nous convient", "")],
        )
    assert not CharterVersion.objects.filter(network=network).exists()


# --- Answering and submitting -----------------------------------------------------------------


def test_submitting_waits_for_the_charter_and_every_answer(draft_application, candidate, animator):
    answers = plain_answers(draft_application)
    skipped = draft_application.charter_version.criteria.last()
    del answers[skipped.pk]
    applying.application_save_answers(
        application=draft_application, by=candidate, accept_charter=False, answers=answers
    )

    with pytest.raises(ValidationError) as error:
        applying.application_submit(application=draft_application, by=candidate)

    assert "accepter la charte" in messages(error)
    assert f"répondre au critère « {skipped.title} »" in messages(error)
    draft_application.refresh_from_db()
    assert draft_application.status == S.DRAFT
    assert emails_to(animator.email) == []


@pytest.mark.parametrize(
    ("kind", "answer", "explained"),
    [
        (CriterionKind.INCLUSION, Answer.PARTLY, True),
        (CriterionKind.INCLUSION, Answer.NO, True),
        (CriterionKind.PROGRESS, Answer.PARTLY, True),
        (CriterionKind.EXCLUSION, Answer.YES, True),
        (CriterionKind.EXCLUSION, Answer.PARTLY, True),
        (CriterionKind.INCLUSION, Answer.YES, False),
        (CriterionKind.EXCLUSION, Answer.NO, False),
    ],
)
def test_an_answer_short_of_the_criterion_is_explained(
    draft_application, candidate, kind, answer, explained
):
    criterion = draft_application.charter_version.criteria.filter(kind=kind).first()
    answers = plain_answers(draft_application)
    answers[criterion.pk] = {"answer": answer, "explanation": "  "}
    application = applying.application_save_answers(
        application=draft_application, by=candidate, accept_charter=True, answers=answers
    )

    expected = [f"expliquer la réponse « {criterion.title} »"] if explained else []
    assert applying.missing_answers(application) == expected

    answers[criterion.pk]["explanation"] = "Nos statuts sont en cours de révision."
    application = applying.application_save_answers(
        application=application, by=candidate, accept_charter=True, answers=answers
    )
    assert applying.missing_answers(application) == []


def test_answering_a_criterion_of_another_charter_is_refused(
    draft_application, candidate, other_network
):
    ReviewerFactory(network=other_network)  # sets the other network up
    foreign = CharterVersion.objects.current(other_network).criteria.first()

    with pytest.raises(ValidationError):
        applying.application_save_answers(
            application=draft_application,
            by=candidate,
            accept_charter=True,
            answers={foreign.pk: {"answer": Answer.YES}},
        )
    assert not CriterionAnswer.objects.exists()


def test_only_the_structure_answers_its_application(draft_application, other_member):
    with pytest.raises(PermissionDenied):
        applying.application_save_answers(
            application=draft_application,
            by=other_member,
            accept_charter=True,
            answers=plain_answers(draft_application),
        )
    assert not CriterionAnswer.objects.exists()


def test_submitting_tells_the_animators_once(draft_application, candidate, animator, on_commit):
    with on_commit():
        application = answer_and_submit(draft_application, by=candidate)

    assert application.status == S.SUBMITTED
    assert application.submitted_at is not None
    (message,) = emails_to(animator.email)
    assert "Atelier Vélo Solidaire" in message.subject
    assert application_path(application) in message.body
    assert not emails_to(candidate.email)

    with pytest.raises(ValidationError), on_commit():
        applying.application_submit(application=application, by=candidate)
    assert len(emails_to(animator.email)) == 1


def test_answers_are_frozen_once_submitted(submitted, candidate):
    with pytest.raises(ValidationError):
        applying.application_save_answers(
            application=submitted,
            by=candidate,
            accept_charter=True,
            answers={
                pk: {"answer": Answer.PARTLY, "explanation": "Finalement, non."}
                for pk in plain_answers(submitted)
            },
        )
    assert not CriterionAnswer.objects.filter(application=submitted, answer=Answer.PARTLY).exists()


def test_a_withdrawn_application_is_kept_closed_and_the_structure_may_start_again(
    submitted, candidate, applicant
):
    applying.application_withdraw(application=submitted, by=candidate, reason="Trop tôt pour nous.")

    submitted.refresh_from_db()
    assert submitted.status == S.WITHDRAWN
    assert submitted.changes.get(event="withdrawn").note == "Trop tôt pour nous."
    again = applying.application_start(actor=applicant, by=candidate)
    assert again != submitted and again.status == S.DRAFT


# --- Forbidden moves ------------------------------------------------------------------------


def _decide(application, people):
    applying.application_decide(application=application, by=people.animator, decision=S.ADMITTED)


def _request_information(application, people):
    applying.application_request_information(
        application=application, by=people.animator, request="Vos statuts, s'il vous plaît."
    )


def _provide_information(application, people):
    applying.application_provide_information(
        application=application, by=people.candidate, answer="Voici nos statuts."
    )


def _appeal(application, people):
    applying.application_appeal(
        application=application, by=people.candidate, arguments="Nous avons changé nos statuts."
    )


def _withdraw(application, people):
    applying.application_withdraw(application=application, by=people.candidate)


def _submit(application, people):
    applying.application_submit(application=application, by=people.candidate)


def _assign(application, people):
    reviewing.assignment_create(application=application, reviewer=people.peer, by=people.animator)


@pytest.mark.parametrize(
    ("state", "action"),
    [
        ("draft_application", _decide),
        ("submitted", _decide),
        ("refused", _decide),
        ("admitted", _decide),
        ("draft_application", _request_information),
        ("admitted", _request_information),
        ("submitted", _provide_information),
        ("under_review", _provide_information),
        ("refused", _provide_information),
        ("under_review", _appeal),
        ("admitted", _appeal),
        ("admitted", _withdraw),
        ("refused", _withdraw),
        ("under_review", _submit),
        ("draft_application", _assign),
        ("admitted", _assign),
    ],
    ids=lambda value: getattr(value, "__name__", value),
)
def test_a_forbidden_move_is_refused_and_changes_nothing(
    request, state, action, candidate, animator, peer
):
    application = request.getfixturevalue(state)
    before = (application.status, application.changes.count(), Admission.objects.count())

    with pytest.raises(ValidationError):
        action(application, SimpleNamespace(candidate=candidate, animator=animator, peer=peer))

    application.refresh_from_db()
    assert (application.status, application.changes.count(), Admission.objects.count()) == before


def test_no_move_outside_the_table_is_applied(draft_application, candidate):
    for old in S.values:
        for new in set(S.values) - TRANSITIONS[old]:
            Application.objects.filter(pk=draft_application.pk).update(status=old)
            draft_application.refresh_from_db()
            with pytest.raises(ValidationError):
                applying._move(draft_application, to=new, by=candidate, event="test")
            draft_application.refresh_from_db()
            assert draft_application.status == old
    assert not draft_application.changes.filter(event="test").exists()


def test_of_two_concurrent_moves_the_claim_refuses_the_second(under_review, animator, candidate):
    # What a second request read before the first one committed.
    stale = Application.objects.get(pk=under_review.pk)
    applying.application_request_information(
        application=under_review, by=animator, request="Vos comptes 2024."
    )

    with pytest.raises(ValidationError, match="entre-temps"):
        applying._move(stale, to=S.WITHDRAWN, by=candidate, event="withdrawn")

    under_review.refresh_from_db()
    assert under_review.status == S.INFORMATION_REQUESTED
    assert not under_review.changes.filter(event="withdrawn").exists()


# --- Information requested ------------------------------------------------------------------


def test_information_requested_then_provided_resumes_the_review_with_opinions_kept(
    under_review, animator, candidate, peer, on_commit
):
    give_opinions(under_review, [peer])
    with pytest.raises(ValidationError):
        applying.application_request_information(application=under_review, by=animator, request=" ")

    with on_commit():
        applying.application_request_information(
            application=under_review, by=animator, request="Vos comptes 2024, s'il vous plaît."
        )

    under_review.refresh_from_db()
    assert under_review.status == S.INFORMATION_REQUESTED
    (asked,) = emails_to(candidate.email)
    assert "Vos comptes 2024, s'il vous plaît." in asked.body
    assert application_path(under_review) in asked.body

    with on_commit():
        applying.application_provide_information(
            application=under_review, by=candidate, answer="Les voici, en pièce jointe."
        )

    under_review.refresh_from_db()
    assert under_review.status == S.UNDER_REVIEW
    assert under_review.information_answer == "Les voici, en pièce jointe."
    (answered,) = emails_to(animator.email)
    assert "Les voici, en pièce jointe." in answered.body
    assert Opinion.objects.filter(application=under_review, reviewer=peer).exists()


# --- Quorum, visit, decision ----------------------------------------------------------------


def _cannot_decide_yet(application, animator) -> str:
    with pytest.raises(ValidationError) as error:
        applying.application_decide(application=application, by=animator, decision=S.ADMITTED)
    application.refresh_from_db()
    assert application.status == S.UNDER_REVIEW
    return messages(error)


def test_the_animator_decides_only_once_the_quorum_and_the_visit_are_there(
    submitted, animator, peer, consumer, official
):
    assign(submitted, [peer, consumer, official], by=animator)
    missing = _cannot_decide_yet(submitted, animator)
    assert "il manque 3 avis" in missing
    assert PEERS in missing
    assert "visite" in missing

    give_opinions(submitted, [consumer, official])
    assert _cannot_decide_yet(submitted, animator) == (
        "Pas encore de décision possible : il manque un avis ; "
        f"il manque un avis du collège « {PEERS} » ; "
        "il manque le rapport de visite du binôme."
    )

    # A reserved opinion counts as much as a favourable one.
    give_opinions(submitted, [peer], verdict=Verdict.RESERVED)
    assert _cannot_decide_yet(submitted, animator) == (
        "Pas encore de décision possible : il manque le rapport de visite du binôme."
    )

    record_visit(submitted, [peer, consumer], by=animator)
    applying.application_decide(application=submitted, by=animator, decision=S.ADMITTED)
    submitted.refresh_from_db()
    assert submitted.status == S.ADMITTED


def test_three_opinions_of_one_college_are_not_a_quorum(
    submitted, animator, peer, second_peer, network
):
    third_peer = ReviewerFactory(network=network, stakeholder=Stakeholder.INDUSTRY)
    assign(submitted, [peer, second_peer, third_peer], by=animator)
    give_opinions(submitted, [peer, second_peer, third_peer])

    assert "il manque l'avis d'un autre collège" in _cannot_decide_yet(submitted, animator)


def test_a_network_without_visits_decides_on_the_quorum_alone(
    network, submitted, animator, peer, consumer, official
):
    AdmissionPolicy.objects.create(network=network, visit_expected=False)
    assign(submitted, [peer, consumer, official], by=animator)
    give_opinions(submitted, [peer, consumer, official])

    applying.application_decide(application=submitted, by=animator, decision=S.ADMITTED)
    submitted.refresh_from_db()
    assert submitted.status == S.ADMITTED


def test_admitting_publishes_the_structure_on_the_map_and_tells_its_members(
    decidable, animator, applicant, candidate, on_commit
):
    on_the_map = MapCell.objects.published_total()

    with on_commit():
        applying.application_decide(application=decidable, by=animator, decision=S.ADMITTED)

    decidable.refresh_from_db()
    applicant.refresh_from_db()
    assert decidable.status == S.ADMITTED and decidable.decided_at is not None
    assert applicant.status == Status.PUBLISHED
    assert MapCell.objects.published_total() == on_the_map + 1
    assert Admission.objects.get(actor=applicant).application == decidable
    decided = [m for m in emails_to(candidate.email) if "admise" in m.subject]
    assert len(decided) == 1
    assert application_path(decidable) in decided[0].body
    assert decidable.changes.filter(event="decided").exists()


@pytest.mark.parametrize("who", ["candidate", "peer", "other_animator"])
def test_only_the_networks_animator_decides(request, decidable, applicant, who):
    by = request.getfixturevalue(who)
    by = by.user if isinstance(by, Reviewer) else by

    with pytest.raises(PermissionDenied):
        applying.application_decide(application=decidable, by=by, decision=S.ADMITTED)
    applicant.refresh_from_db()
    assert applicant.status == Status.DRAFT


def test_a_progress_plan_has_dated_commitments_to_come(
    decidable, animator, applicant, candidate, on_commit
):
    today = timezone.localdate()
    for commitments in (
        [],
        [("   ", today + timedelta(days=30))],
        [("Publier nos comptes", today)],
        [("Publier nos comptes", today - timedelta(days=1))],
        [("Publier nos comptes", None)],
    ):
        with pytest.raises(ValidationError):
            applying.application_decide(
                application=decidable,
                by=animator,
                decision=S.ADMITTED_WITH_PLAN,
                commitments=commitments,
            )
    decidable.refresh_from_db()
    assert decidable.status == S.UNDER_REVIEW
    assert not ProgressCommitment.objects.exists()

    due = today + timedelta(days=90)
    with on_commit():
        applying.application_decide(
            application=decidable,
            by=animator,
            decision=S.ADMITTED_WITH_PLAN,
            commitments=[("Publier nos comptes sur notre site", due)],
        )

    decidable.refresh_from_db()
    applicant.refresh_from_db()
    assert decidable.status == S.ADMITTED_WITH_PLAN
    assert applicant.status == Status.PUBLISHED
    assert list(decidable.commitments.values_list("text", "due_on")) == [
        ("Publier nos comptes sur notre site", due)
    ]
    (decided,) = [m for m in emails_to(candidate.email) if "admise" in m.subject]
    assert "Publier nos comptes sur notre site" in decided.body


def test_a_refusal_gives_its_reasons_and_the_appeal_deadline(
    decidable, animator, applicant, candidate, on_commit
):
    on_the_map = MapCell.objects.published_total()
    with pytest.raises(ValidationError) as error:
        applying.application_decide(
            application=decidable, by=animator, decision=S.REFUSED, reasons="  "
        )
    assert "reasons" in error.value.message_dict

    with on_commit():
        applying.application_decide(
            application=decidable,
            by=animator,
            decision=S.REFUSED,
            reasons="Aucune place n'est faite aux bénévoles dans la gouvernance.",
        )

    decidable.refresh_from_db()
    applicant.refresh_from_db()
    assert decidable.status == S.REFUSED
    assert applicant.status == Status.DRAFT
    assert MapCell.objects.published_total() == on_the_map
    assert not Admission.objects.filter(actor=applicant).exists()
    (message,) = emails_to(candidate.email)
    assert "Aucune place n'est faite aux bénévoles dans la gouvernance." in message.body
    deadline = applying.appeal_deadline(decidable)
    assert deadline == timezone.localdate() + timedelta(days=30)
    assert f"{deadline.day} " in message.body and str(deadline.year) in message.body


# --- Appeal ---------------------------------------------------------------------------------


def _decided_days_ago(application, days: int) -> None:
    Application.objects.filter(pk=application.pk).update(
        decided_at=timezone.now() - timedelta(days=days)
    )
    application.refresh_from_db()


def test_a_refused_structure_appeals_once_with_arguments(refused, candidate, animator, on_commit):
    with pytest.raises(ValidationError) as error:
        applying.application_appeal(application=refused, by=candidate, arguments=" ")
    assert "arguments" in error.value.message_dict

    with on_commit():
        applying.application_appeal(
            application=refused,
            by=candidate,
            arguments="Nos bénévoles siègent au bureau depuis mars.",
        )

    refused.refresh_from_db()
    assert (refused.status, refused.round) == (S.APPEALED, 2)
    (message,) = emails_to(animator.email)
    assert "Nos bénévoles siègent au bureau depuis mars." in message.body

    with pytest.raises(ValidationError):
        applying.application_appeal(application=refused, by=candidate, arguments="Encore une fois.")
    refused.refresh_from_db()
    assert refused.status == S.APPEALED


def test_the_appeal_is_open_for_thirty_days(refused, candidate):
    _decided_days_ago(refused, 31)
    with pytest.raises(ValidationError, match="délai de recours"):
        applying.application_appeal(application=refused, by=candidate, arguments="Trop tard ?")
    refused.refresh_from_db()
    assert refused.status == S.REFUSED

    _decided_days_ago(refused, 30)
    applying.application_appeal(application=refused, by=candidate, arguments="Juste à temps.")
    refused.refresh_from_db()
    assert refused.status == S.APPEALED


def test_an_appeal_waits_for_a_new_application_to_be_withdrawn(refused, applicant, candidate):
    fresh = applying.application_start(actor=applicant, by=candidate)

    with pytest.raises(ValidationError, match="retirez-la"):
        applying.application_appeal(application=refused, by=candidate, arguments="Revoyez-la.")
    refused.refresh_from_db()
    assert refused.status == S.REFUSED

    applying.application_withdraw(application=fresh, by=candidate)
    applying.application_appeal(application=refused, by=candidate, arguments="Revoyez-la.")
    refused.refresh_from_db()
    assert refused.status == S.APPEALED


def test_only_the_structure_appeals(refused, other_member, peer):
    for by in (other_member, peer.user):
        with pytest.raises(PermissionDenied):
            applying.application_appeal(application=refused, by=by, arguments="Injuste !")
    refused.refresh_from_db()
    assert refused.status == S.REFUSED


def test_the_appeal_is_reviewed_by_others_and_its_decision_is_final(
    refused, network, animator, candidate, peer, consumer, second_peer, employee, on_commit
):
    applying.application_appeal(
        application=refused, by=candidate, arguments="Nos bénévoles siègent au bureau."
    )

    for first_round_reviewer in (peer, consumer):
        with pytest.raises(ValidationError, match="recours"):
            reviewing.assignment_create(
                application=refused, reviewer=first_round_reviewer, by=animator
            )
    # The first round's opinions and visit do not count for the second.
    refused.refresh_from_db()
    assert refused.status == S.APPEALED
    newcomer = ReviewerFactory(network=network, stakeholder=Stakeholder.NGO)
    meet_quorum(refused, [second_peer, employee, newcomer], by=animator)
    assert refused.status == S.UNDER_REVIEW
    assert Opinion.objects.filter(application=refused, round=2).count() == 3

    with on_commit():
        applying.application_decide(
            application=refused, by=animator, decision=S.REFUSED, reasons="Toujours pas."
        )

    refused.refresh_from_db()
    assert refused.is_final
    assert applying.appeal_deadline(refused) is None
    (message,) = emails_to(candidate.email)
    assert "définitive" in message.body
    with pytest.raises(ValidationError):
        applying.application_appeal(application=refused, by=candidate, arguments="Encore.")


def test_the_second_round_waits_for_its_own_quorum(refused, animator, candidate, second_peer):
    applying.application_appeal(application=refused, by=candidate, arguments="Nouveaux statuts.")
    assign(refused, [second_peer], by=animator)

    missing = _cannot_decide_yet(refused, animator)
    assert "il manque 3 avis" in missing and "visite" in missing
