"""Plain helpers shared by the test modules of tests/cooperation (fixtures: conftest.py).

The states an application goes through are reached through the services themselves, as a
structure, its reviewers and the animator would reach them."""

import factory
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from factory.django import DjangoModelFactory
from stdnum import luhn

from cooperation.models import Answer, Application, College, Reviewer, Stakeholder, Verdict
from cooperation.services import applications as applying
from cooperation.services import reviews as reviewing
from cooperation.services.setup import admission_setup
from ess_platform.lib.outbox.sending import send_pending
from tests.factories import NetworkFactory, UserFactory


class ReviewerFactory(DjangoModelFactory):
    """A reviewer of a network's college, named by its ISO 26000 counterpart (`stakeholder`,
    peers by default); the network gets its default colleges first if it has none."""

    class Meta:
        model = Reviewer

    class Params:
        stakeholder = Stakeholder.INDUSTRY

    user = factory.SubFactory(UserFactory)
    network = factory.SubFactory(NetworkFactory)
    college = factory.LazyAttribute(
        lambda r: (
            admission_setup(network=r.network)
            or College.objects.get(network=r.network, stakeholder=r.stakeholder)
        )
    )


def make_siret(siren: str, establishment: int = 1) -> str:
    """A valid SIRET of the legal entity `siren` (8 digits, its check digit is added)."""
    siren += luhn.calc_check_digit(siren)
    number = f"{siren}{establishment:04d}"
    return number + luhn.calc_check_digit(number)


def application_path(application: Application) -> str:
    """The application's page, as the e-mails link to it."""
    return reverse("cooperation:application_detail", args=[application.pk])


def emails_to(address: str) -> list[mail.EmailMessage]:
    return [m for m in mail.outbox if address in m.to]


def settle() -> None:
    """Send what the way to a state owed (a test's transaction never commits, so the outbox's
    sender never ran) and put it out of sight: a test then sees only its own e-mails."""
    send_pending()
    mail.outbox.clear()


def plain_answers(application: Application) -> dict[int, dict]:
    """ "Yes" to the inclusion criteria and the commitments, "no" to the exclusions: nothing
    to explain."""
    return {
        criterion.pk: {"answer": Answer.NO if criterion.kind == "exclusion" else Answer.YES}
        for criterion in application.charter_version.criteria.all()
    }


def answer_and_submit(application: Application, *, by) -> Application:
    applying.application_save_answers(
        application=application, by=by, accept_charter=True, answers=plain_answers(application)
    )
    return applying.application_submit(application=application, by=by)


def assign(application: Application, reviewers: list[Reviewer], *, by) -> Application:
    for reviewer in reviewers:
        reviewing.assignment_create(application=application, reviewer=reviewer, by=by)
    application.refresh_from_db()
    return application


def give_opinions(
    application: Application, reviewers: list[Reviewer], verdict: str = Verdict.FAVOURABLE
) -> None:
    comment = "" if verdict == Verdict.FAVOURABLE else "Des points restent à préciser."
    for reviewer in reviewers:
        reviewing.opinion_give(
            application=application, by=reviewer.user, verdict=verdict, comment=comment
        )


def record_visit(application: Application, pair: list[Reviewer], *, by) -> None:
    reviewing.visit_record(
        application=application,
        by=by,
        visited_on=timezone.localdate(),
        reviewers=pair,
        met="La co-gérante et deux bénévoles",
        observations="Un atelier ouvert à tous, des comptes affichés.",
    )


def meet_quorum(application: Application, reviewers: list[Reviewer], *, by) -> Application:
    """Assign the reviewers, give their favourable opinions, and report the visit of the
    first two: what the default policy waits for before a decision."""
    assign(application, reviewers, by=by)
    give_opinions(application, reviewers)
    record_visit(application, reviewers[:2], by=by)
    application.refresh_from_db()
    return application
