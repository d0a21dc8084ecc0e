"""The admission demo (cooperation.seed.demo, manage.py seed_admission_demo), loaded on the
demo territory of `seed_demo` as `make setup` does."""

import io
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from cooperation.models import (
    Admission,
    Application,
    ApplicationChange,
    ApplicationStatus,
    Assignment,
    College,
    CriterionAnswer,
    CriterionOpinion,
    Opinion,
    ProgressCommitment,
    Reviewer,
    Stakeholder,
    Verdict,
    Visit,
)
from cooperation.models.reviews import decision_blockers
from cooperation.seed import demo_applicants, demo_data
from cooperation.services.applications import appeal_deadline, missing_answers
from directory.management.commands.seed_demo import Command as DirectorySeedDemo
from directory.models import Actor, Membership, Network, Status
from directory.seed.demo import DEMO_NETWORK_SLUG, DEMO_PASSWORD
from ess_platform.lib.outbox.models import OutboxMessage

S = ApplicationStatus


def _counts() -> dict:
    models = [
        Actor,
        Admission,
        Application,
        ApplicationChange,
        Assignment,
        CriterionAnswer,
        CriterionOpinion,
        Membership,
        Opinion,
        OutboxMessage,
        ProgressCommitment,
        Reviewer,
        Visit,
        get_user_model(),
    ]
    return {model.__name__: model.objects.count() for model in models}


@pytest.fixture
def demo(db, settings):
    settings.LOGIN_REDIRECT_URL = "/"
    # The directory's demo only: cooperation's seed_demo would run the admission demo too.
    call_command(DirectorySeedDemo(), stdout=io.StringIO())
    out = io.StringIO()
    call_command("seed_admission_demo", stdout=out)
    return Network.objects.get(slug=DEMO_NETWORK_SLUG), out.getvalue()


def _application(network: Network, status: str, **filters) -> Application:
    return Application.objects.of_network(network).get(status=status, **filters)


def test_demo_applications_stand_in_every_state(demo):
    network, out = demo
    applications = Application.objects.of_network(network)
    assert {a.status for a in applications} == {
        S.DRAFT,
        S.SUBMITTED,
        S.UNDER_REVIEW,
        S.INFORMATION_REQUESTED,
        S.ADMITTED,
        S.ADMITTED_WITH_PLAN,
        S.REFUSED,
        S.APPEALED,
    }
    assert "Admission demo created" in out and "En recours: 1" in out

    draft = _application(network, S.DRAFT)
    assert 0 < draft.answers.count() < draft.charter_version.criteria.count()
    assert draft.charter_accepted_at is None
    assert "accepter la charte" in missing_answers(draft)

    waiting, ready = (
        _application(network, S.UNDER_REVIEW, visits__isnull=True),
        _application(network, S.UNDER_REVIEW, visits__isnull=False),
    )
    assert decision_blockers(waiting)  # no quorum yet: the page says what is missing
    assert decision_blockers(ready) == []  # the animator may decide
    assert ready.opinions.filter(verdict=Verdict.RESERVED).exclude(comment="").exists()

    informed = _application(network, S.INFORMATION_REQUESTED)
    assert informed.information_request and informed.opinions.count() == 2

    for admitted in applications.filter(status__in=[S.ADMITTED, S.ADMITTED_WITH_PLAN]):
        assert admitted.actor.status == Status.PUBLISHED
        assert Admission.objects.get(actor=admitted.actor).application == admitted
    plan = _application(network, S.ADMITTED_WITH_PLAN)
    dues = list(plan.commitments.values_list("due_on", flat=True))
    assert len(dues) == 2 and all(due > timezone.localdate() for due in dues)
    assert plan.information_answer  # asked, answered, then decided

    refused = _application(network, S.REFUSED)
    assert refused.decision_reasons and refused.actor.status == Status.DRAFT
    assert isinstance(appeal_deadline(refused), date)  # it may still appeal

    appealed = _application(network, S.APPEALED)
    assert appealed.round == 2 and appealed.appeal_arguments and appealed.decision_reasons
    assert appealed.visits.get(round=1).met


def test_demo_reviewers_cover_every_college_and_sign_in(demo, client):
    network, out = demo
    reviewers = Reviewer.objects.of_network(network)
    assert set(reviewers.values_list("college", flat=True)) == set(
        College.objects.filter(network=network).values_list("pk", flat=True)
    )
    assert College.objects.filter(network=network).count() == 6
    for peer in reviewers.filter(college__stakeholder=Stakeholder.INDUSTRY):
        assert Actor.objects.filter(
            memberships__user=peer.user, status=Status.PUBLISHED, admission__isnull=False
        ).exists()
    # The appeal can be reviewed: a peer who did not review the first round is there.
    appealed = _application(network, S.APPEALED)
    first_round = Opinion.objects.filter(application=appealed, round=1).values("reviewer")
    assert reviewers.filter(college__stakeholder=Stakeholder.INDUSTRY).exclude(pk__in=first_round)

    logins = [r.email for r in demo_data.REVIEWERS] + [a.email for a in demo_applicants.APPLICANTS]
    for email in logins:
        assert email in out
    for email in ("evaluation-usagers@demo.ess", "candidature-informations@demo.ess"):
        response = client.post("/comptes/login/", {"login": email, "password": DEMO_PASSWORD})
        assert response.status_code == 302, email
        client.logout()


def test_demo_emails_are_closed_unsent(demo):
    assert OutboxMessage.objects.exists()
    assert not OutboxMessage.objects.unsent().exists()


def test_seed_admission_demo_twice_changes_nothing(demo):
    before = _counts()
    out = io.StringIO()
    call_command("seed_admission_demo", stdout=out)
    assert _counts() == before
    assert "already loaded" in out.getvalue() and "evaluation-pairs@demo.ess" in out.getvalue()


def test_without_the_demo_territory_nothing_is_done(db):
    err = io.StringIO()
    call_command("seed_admission_demo", stdout=io.StringIO(), stderr=err)
    assert "seed_demo" in err.getvalue()
    assert not Application.objects.exists() and not Reviewer.objects.exists()
