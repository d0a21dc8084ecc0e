"""WCAG 2.1 A/AA with axe-core on the admission pages: the charter answers, an application
as the animator reads it, the opinion form, and the public charter."""

import pytest

from cooperation.models import College, Reviewer
from cooperation.services.applications import application_start
from cooperation.services.reviews import assignment_create
from directory.models import Status
from directory.services.actors import actor_set_status
from tests.factories import UserFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    # axe-core is injected as an inline script, which the site's CSP blocks.
    pytest.mark.browser_context_args(bypass_csp=True),
]


@pytest.fixture
def application(owner, animator):
    actor_set_status(actor=owner.actor, by=animator, status=Status.DRAFT)
    return application_start(actor=owner.actor, by=owner)


def test_the_charter_answers_have_no_serious_violation(page, owner, application, log_in, axe_check):
    log_in(page, owner, next_path=f"/espace/candidatures/{application.pk}/reponses/")
    axe_check(page)


def test_the_application_and_the_opinion_form_have_no_serious_violation(
    page, animator, application, network, log_in, axe_check
):
    reviewer = Reviewer.objects.create(
        user=UserFactory(username="evaluatrice"),
        network=network,
        college=College.objects.filter(network=network).first(),
    )
    application.status = "submitted"
    application.save(update_fields=["status"])
    assignment_create(application=application, reviewer=reviewer, by=animator)
    log_in(page, animator, next_path=f"/espace/candidatures/{application.pk}/")
    axe_check(page)
    page.goto(f"/reseaux/{network.slug}/charte/")
    axe_check(page)
    page.get_by_role("button", name="Se déconnecter").click()
    log_in(page, reviewer.user, next_path=f"/espace/candidatures/{application.pk}/avis/")
    axe_check(page)
