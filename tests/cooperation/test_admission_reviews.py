"""Reviewers, conflicts of interest, assignments, opinions and the pair's visit, through
their services (services.reviews): who may review an application is decided there, whatever
the page showed."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from cooperation.models import (
    Admission,
    ApplicationChange,
    ApplicationStatus,
    Assignment,
    Opinion,
    Reviewer,
    Stakeholder,
    Verdict,
    Visit,
)
from cooperation.services import reviews as reviewing
from tests.cooperation.helpers import (
    ReviewerFactory,
    application_path,
    assign,
    emails_to,
    make_siret,
    record_visit,
)
from tests.factories import ActorFactory, MembershipFactory, UserFactory

S = ApplicationStatus

pytestmark = pytest.mark.django_db


# --- Reviewers ------------------------------------------------------------------------------


def test_the_animator_invites_a_reviewer_into_a_college(network, animator, colleges, on_commit):
    guest = UserFactory(username="elu-rezé")

    with on_commit():
        reviewer = reviewing.reviewer_add(
            network=network, user=guest, college=colleges[Stakeholder.GOVERNMENT], by=animator
        )

    assert (reviewer.network, reviewer.college, reviewer.active) == (
        network,
        colleges[Stakeholder.GOVERNMENT],
        True,
    )
    (message,) = emails_to(guest.email)
    assert network.name in message.subject
    assert "Collectivités locales" in message.body
    assert reverse("cooperation:review_queue", args=[network.slug]) in message.body


@pytest.mark.parametrize("who", ["candidate", "other_animator", "peer"])
def test_only_the_networks_animator_invites_reviewers(request, network, colleges, who):
    by = request.getfixturevalue(who)
    by = by.user if isinstance(by, Reviewer) else by
    guest = UserFactory()

    with pytest.raises(PermissionDenied):
        reviewing.reviewer_add(
            network=network, user=guest, college=colleges[Stakeholder.CONSUMERS], by=by
        )
    assert not Reviewer.objects.filter(user=guest).exists()


def test_a_college_of_another_network_is_refused(network, animator, other_network):
    foreign = ReviewerFactory(network=other_network).college

    with pytest.raises(ValidationError):
        reviewing.reviewer_add(network=network, user=UserFactory(), college=foreign, by=animator)
    assert not Reviewer.objects.filter(network=network).exists()


def test_a_member_of_an_admitted_structure_volunteers_as_a_peer(network, actor, member):
    Admission.objects.create(actor=actor, admitted_at=timezone.now())

    reviewer = reviewing.reviewer_volunteer(network=network, by=member)

    assert reviewer.network == network and reviewer.active
    assert reviewer.college.stakeholder == Stakeholder.INDUSTRY
    assert reviewing.reviewer_volunteer(network=network, by=member) == reviewer


def test_only_members_of_admitted_structures_of_the_network_volunteer(
    network, other_network, candidate, user
):
    # A member of a structure admitted elsewhere.
    elsewhere = ActorFactory(network=other_network)
    Admission.objects.create(actor=elsewhere, admitted_at=timezone.now())
    outsider = MembershipFactory(actor=elsewhere).user

    for by in (candidate, user, outsider, AnonymousUser()):
        with pytest.raises(PermissionDenied):
            reviewing.reviewer_volunteer(network=network, by=by)
    assert not Reviewer.objects.exists()


# --- Conflicts of interest ------------------------------------------------------------------


def _member_of_the_applicant(reviewer, applicant):
    MembershipFactory(actor=applicant, user=reviewer.user)


def _declared(reviewer, applicant):
    reviewing.conflict_declare(
        reviewer=reviewer, actor=applicant, by=reviewer.user, note="Ma sœur y travaille."
    )


def _member_of_the_same_legal_entity(reviewer, applicant):
    sibling = ActorFactory(network=applicant.network, siret=make_siret("12345678", establishment=2))
    MembershipFactory(actor=sibling, user=reviewer.user)


CONFLICTS = [
    (_member_of_the_applicant, "membre de cette structure"),
    (_declared, "conflit d'intérêts"),
    (_member_of_the_same_legal_entity, "même entité juridique"),
]


@pytest.mark.parametrize(
    ("conflict", "reason"), CONFLICTS, ids=lambda v: getattr(v, "__name__", "")
)
@pytest.mark.parametrize("assigned_by", ["animator", "the reviewer"])
def test_a_reviewer_in_conflict_is_not_assigned(
    submitted, applicant, animator, consumer, conflict, reason, assigned_by
):
    conflict(consumer, applicant)
    by = animator if assigned_by == "animator" else consumer.user

    with pytest.raises(ValidationError, match=reason):
        reviewing.assignment_create(application=submitted, reviewer=consumer, by=by)

    submitted.refresh_from_db()
    assert submitted.status == S.SUBMITTED
    assert not Assignment.objects.exists()


def test_a_member_of_another_structure_with_another_siren_may_review(
    submitted, applicant, animator, consumer
):
    neighbour = ActorFactory(network=applicant.network, siret=make_siret("87654321"))
    MembershipFactory(actor=neighbour, user=consumer.user)

    reviewing.assignment_create(application=submitted, reviewer=consumer, by=animator)

    assert Assignment.objects.filter(application=submitted, reviewer=consumer).exists()


@pytest.mark.parametrize(
    ("conflict", "reason"), CONFLICTS, ids=lambda v: getattr(v, "__name__", "")
)
def test_a_conflict_arising_after_the_assignment_bars_the_opinion_and_the_visit(
    submitted, applicant, animator, peer, consumer, conflict, reason
):
    assign(submitted, [peer, consumer], by=animator)
    conflict(consumer, applicant)

    with pytest.raises(PermissionDenied):
        reviewing.opinion_give(application=submitted, by=consumer.user, verdict=Verdict.FAVOURABLE)
    with pytest.raises(ValidationError):
        record_visit(submitted, [peer, consumer], by=animator)

    assert not Opinion.objects.exists()
    assert not Visit.objects.exists()


def test_a_reviewer_of_another_network_is_refused(submitted, animator, other_network):
    stranger = ReviewerFactory(network=other_network, stakeholder=Stakeholder.CONSUMERS)

    for by in (animator, stranger.user):
        with pytest.raises(ValidationError, match="pas dans votre réseau"):
            reviewing.assignment_create(application=submitted, reviewer=stranger, by=by)
    assert not Assignment.objects.exists()


# --- Assignments ----------------------------------------------------------------------------


def test_the_first_assignment_starts_the_review_and_tells_the_reviewer(
    submitted, animator, peer, on_commit
):
    with on_commit():
        reviewing.assignment_create(application=submitted, reviewer=peer, by=animator)

    submitted.refresh_from_db()
    assert submitted.status == S.UNDER_REVIEW
    (message,) = emails_to(peer.user.email)
    assert "Atelier Vélo Solidaire" in message.subject
    assert application_path(submitted) in message.body

    # Assigning again is a no-op; nobody is told twice.
    with on_commit():
        reviewing.assignment_create(application=submitted, reviewer=peer, by=animator)
    assert len(emails_to(peer.user.email)) == 1
    assert submitted.changes.filter(event="review_started").count() == 1
    assert Assignment.objects.filter(application=submitted).count() == 1


def test_a_reviewer_takes_an_open_application_without_being_told_so(submitted, consumer, on_commit):
    with on_commit():
        reviewing.assignment_create(application=submitted, reviewer=consumer, by=consumer.user)

    submitted.refresh_from_db()
    assert submitted.status == S.UNDER_REVIEW
    assert Assignment.objects.filter(application=submitted, reviewer=consumer, round=1).exists()
    assert emails_to(consumer.user.email) == []


@pytest.mark.parametrize("who", ["peer", "candidate", "other_animator"])
def test_nobody_else_assigns_a_reviewer(request, submitted, consumer, who):
    by = request.getfixturevalue(who)
    by = by.user if isinstance(by, Reviewer) else by

    with pytest.raises(PermissionDenied):
        reviewing.assignment_create(application=submitted, reviewer=consumer, by=by)
    assert not Assignment.objects.exists()


def test_an_inactive_reviewer_does_not_take_an_application(submitted, consumer):
    Reviewer.objects.filter(pk=consumer.pk).update(active=False)
    consumer.refresh_from_db()

    with pytest.raises(PermissionDenied):
        reviewing.assignment_create(application=submitted, reviewer=consumer, by=consumer.user)


# --- Opinions -------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["consumer", "animator", "candidate"])
def test_only_an_assigned_reviewer_gives_an_opinion(request, under_review, who):
    by = request.getfixturevalue(who)
    by = by.user if isinstance(by, Reviewer) else by

    with pytest.raises(PermissionDenied):
        reviewing.opinion_give(application=under_review, by=by, verdict=Verdict.FAVOURABLE)
    assert not Opinion.objects.exists()


def test_an_opinion_that_is_not_favourable_is_explained(under_review, peer):
    criterion = under_review.charter_version.criteria.first()

    for verdict in (Verdict.RESERVED, Verdict.UNFAVOURABLE):
        with pytest.raises(ValidationError, match="avis général"):
            reviewing.opinion_give(
                application=under_review, by=peer.user, verdict=verdict, comment=" "
            )
    with pytest.raises(ValidationError, match=criterion.title):
        reviewing.opinion_give(
            application=under_review,
            by=peer.user,
            verdict=Verdict.FAVOURABLE,
            criteria={criterion.pk: (Verdict.RESERVED, "")},
        )
    assert not Opinion.objects.exists()

    opinion = reviewing.opinion_give(
        application=under_review,
        by=peer.user,
        verdict=Verdict.FAVOURABLE,
        criteria={criterion.pk: (Verdict.FAVOURABLE, "")},
    )
    assert opinion.criteria.get().verdict == Verdict.FAVOURABLE


def test_an_opinion_given_again_replaces_the_first_and_the_history_keeps_both(under_review, peer):
    first, second = under_review.charter_version.criteria.all()[:2]
    reviewing.opinion_give(
        application=under_review,
        by=peer.user,
        verdict=Verdict.RESERVED,
        comment="Les comptes ne sont pas publiés.",
        criteria={first.pk: (Verdict.RESERVED, "Pas d'assemblée générale en 2024.")},
    )

    opinion = reviewing.opinion_give(
        application=under_review,
        by=peer.user,
        verdict=Verdict.FAVOURABLE,
        criteria={second.pk: (Verdict.FAVOURABLE, "")},
    )

    assert Opinion.objects.get() == opinion
    assert (opinion.verdict, opinion.comment) == (Verdict.FAVOURABLE, "")
    assert list(opinion.criteria.values_list("criterion_id", flat=True)) == [second.pk]
    history = ApplicationChange.objects.filter(application=under_review, event="opinion").order_by(
        "pk"
    )
    assert [change.changes for change in history] == [
        {str(peer): ["", "Réservé"]},
        {str(peer): ["Réservé", "Favorable"]},
    ]
    assert history.first().note == "Les comptes ne sont pas publiés."


def test_opinions_close_with_the_decision(admitted, peer):
    with pytest.raises(ValidationError):
        reviewing.opinion_give(
            application=admitted, by=peer.user, verdict=Verdict.UNFAVOURABLE, comment="Trop tard."
        )
    assert Opinion.objects.get(reviewer=peer).verdict == Verdict.FAVOURABLE


# --- The pair's visit ----------------------------------------------------------------------


def test_a_visit_is_made_by_two_assigned_reviewers_of_two_colleges(
    under_review, animator, peer, second_peer, consumer, official, user
):
    assign(under_review, [second_peer, consumer], by=animator)
    for pair in ([peer, second_peer], [peer], [peer, official], [peer, consumer, second_peer]):
        with pytest.raises(ValidationError):
            record_visit(under_review, pair, by=animator)
    with pytest.raises(PermissionDenied):
        record_visit(under_review, [peer, consumer], by=user)
    assert not Visit.objects.exists()

    record_visit(under_review, [peer, consumer], by=peer.user)

    visit = Visit.objects.get()
    assert set(visit.reviewers.all()) == {peer, consumer}
    assert visit.round == 1
    assert under_review.changes.filter(event="visit").exists()
