"""Fixtures of tests/cooperation: a draft structure of the network (`applicant`) and its
member (`candidate`), reviewers of four colleges, and its application in the states the
tests start from (project-wide fixtures: tests/conftest.py; helpers: helpers.py)."""

import pytest

from cooperation.models import College, Stakeholder
from cooperation.services import applications as applying
from cooperation.services.setup import admission_setup
from tests.cooperation.helpers import (
    ReviewerFactory,
    answer_and_submit,
    assign,
    make_siret,
    meet_quorum,
    settle,
)
from tests.factories import ActorFactory, MembershipFactory, UserFactory


@pytest.fixture
def colleges(network) -> dict[str, College]:
    """The network's six default colleges, by ISO 26000 counterpart."""
    admission_setup(network=network)
    return {college.stakeholder: college for college in College.objects.filter(network=network)}


@pytest.fixture
def applicant(network, nantes):
    return ActorFactory(
        network=network,
        commune=nantes,
        name="Atelier Vélo Solidaire",
        siret=make_siret("12345678"),
        draft=True,
    )


@pytest.fixture
def candidate(applicant):
    """The member of the structure that applies."""
    return MembershipFactory(actor=applicant, user=UserFactory(username="candidate")).user


def _reviewer(network, username: str, stakeholder: str):
    return ReviewerFactory(
        network=network, user=UserFactory(username=username), stakeholder=stakeholder
    )


@pytest.fixture
def peer(network):
    return _reviewer(network, "pair", Stakeholder.INDUSTRY)


@pytest.fixture
def second_peer(network):
    return _reviewer(network, "second-pair", Stakeholder.INDUSTRY)


@pytest.fixture
def consumer(network):
    return _reviewer(network, "usagere", Stakeholder.CONSUMERS)


@pytest.fixture
def official(network):
    return _reviewer(network, "elue", Stakeholder.GOVERNMENT)


@pytest.fixture
def employee(network):
    return _reviewer(network, "salarie", Stakeholder.LABOUR)


@pytest.fixture
def draft_application(applicant, candidate):
    return applying.application_start(actor=applicant, by=candidate)


@pytest.fixture
def submitted(draft_application, candidate, animator):
    application = answer_and_submit(draft_application, by=candidate)
    settle()
    return application


@pytest.fixture
def under_review(submitted, animator, peer):
    """Submitted, and the peer reviewer assigned: the review has started."""
    application = assign(submitted, [peer], by=animator)
    settle()
    return application


@pytest.fixture
def decidable(submitted, animator, peer, consumer, official):
    """Three favourable opinions from three colleges (peers among them) and the pair's
    visit: the animator may decide."""
    application = meet_quorum(submitted, [peer, consumer, official], by=animator)
    settle()
    return application


@pytest.fixture
def refused(decidable, animator):
    application = applying.application_decide(
        application=decidable,
        by=animator,
        decision="refused",
        reasons="La gouvernance ne fait pas de place aux bénévoles.",
    )
    settle()
    return application


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """`with on_commit(): service(...)` runs what the service queued for after its commit
    (the outbox's sender), as a real request's commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def admitted(decidable, animator):
    application = applying.application_decide(
        application=decidable, by=animator, decision="admitted"
    )
    settle()
    return application
