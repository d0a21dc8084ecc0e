"""The application's page and the network's review queue: who reads what."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cooperation.models import College, ProgressCommitment, Reviewer
from cooperation.services.applications import (
    application_save_answers,
    application_start,
    application_submit,
)
from directory.models import Status
from directory.services.actors import actor_set_status
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ANSWER = "Nos excédents financent un atelier de réparation."


@pytest.fixture
def submitted(actor, member, animator):
    actor_set_status(actor=actor, by=animator, status=Status.DRAFT)
    application = application_start(actor=actor, by=member)
    application_save_answers(
        application=application,
        by=member,
        accept_charter=True,
        answers={
            c.pk: {"answer": "partly", "explanation": ANSWER}
            for c in application.charter_version.criteria.all()
        },
    )
    return application_submit(application=application, by=member)


def test_the_applicant_reads_its_answers_but_not_the_review(client, submitted, member):
    client.force_login(member)
    page = client.get(reverse("cooperation:application_detail", args=[submitted.pk]))

    assert page.status_code == 200
    text = page.content.decode()
    assert ANSWER in text and "Déposée" in text
    assert "Historique" not in text and "Avant la décision" not in text


def test_a_reviewer_of_the_network_reads_the_application_and_what_is_missing(
    client, submitted, network
):
    college = College.objects.filter(network=network).first()
    reviewer = Reviewer.objects.create(user=UserFactory(), network=network, college=college)
    client.force_login(reviewer.user)

    page = client.get(reverse("cooperation:application_detail", args=[submitted.pk]))
    queue = client.get(reverse("cooperation:review_queue", args=[network.slug]))

    assert page.status_code == 200
    assert "Il manque 3 avis" in page.content.decode()
    assert queue.status_code == 200
    assert submitted.actor.name in queue.content.decode()


def test_a_reviewer_of_another_network_reads_nothing(client, submitted, other_network):
    college = College.objects.create(network=other_network, name="Pairs", stakeholder="industry")
    stranger = Reviewer.objects.create(user=UserFactory(), network=other_network, college=college)
    client.force_login(stranger.user)

    page = client.get(reverse("cooperation:application_detail", args=[submitted.pk]))
    queue = client.get(reverse("cooperation:review_queue", args=[submitted.actor.network.slug]))

    assert page.status_code == 403
    assert queue.status_code == 404


# --- The structure's side ---------------------------------------------------------------

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def draft_application(actor, member, animator):
    actor_set_status(actor=actor, by=animator, status=Status.DRAFT)
    return application_start(actor=actor, by=member)


def _answers_data(application, **overrides):
    data = {}
    for criterion in application.charter_version.criteria.all():
        data[f"answer_{criterion.pk}"] = "no" if criterion.kind == "exclusion" else "yes"
        data[f"explanation_{criterion.pk}"] = ""
    data.update(overrides)
    return data


def test_starting_from_the_profile_form_opens_the_charter(client, member, actor, animator):
    actor_set_status(actor=actor, by=animator, status=Status.DRAFT)
    client.force_login(member)

    response = client.post(reverse("cooperation:application_start", args=[actor.slug]))

    application = actor.applications.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("cooperation:application_answers", args=[application.pk])
    page = client.get(response["Location"]).content.decode()
    assert "Gouvernance démocratique" in page and "Déposer la candidature" in page


def test_submitting_without_the_charter_keeps_the_answers_and_says_what_is_missing(
    client, member, draft_application
):
    client.force_login(member)
    url = reverse("cooperation:application_answers", args=[draft_application.pk])

    response = client.post(url, {**_answers_data(draft_application), "submit": "1"})

    assert response.status_code == 200
    assert "accepter la charte" in response.content.decode()
    draft_application.refresh_from_db()
    assert draft_application.status == "draft"
    assert draft_application.answers.count() == draft_application.charter_version.criteria.count()

    response = client.post(
        url, {**_answers_data(draft_application), "accept_charter": "on", "submit": "1"}
    )
    draft_application.refresh_from_db()
    assert response.status_code == 302 and draft_application.status == "submitted"


def test_evidence_is_checked_from_its_content_and_served_only_to_readers(
    client, member, other_member, draft_application
):
    client.force_login(member)
    url = reverse("cooperation:application_answers", args=[draft_application.pk])
    first = draft_application.charter_version.criteria.first()
    disguised = SimpleUploadedFile("statuts.pdf", b"<html><script>alert(1)</script></html>")

    refused = client.post(
        url, {**_answers_data(draft_application), f"evidence_{first.pk}": disguised}
    )
    assert refused.status_code == 200
    assert not draft_application.answers.exclude(evidence="").exists()

    pdf = SimpleUploadedFile("statuts.pdf", PDF, content_type="application/pdf")
    client.post(url, {**_answers_data(draft_application), f"evidence_{first.pk}": pdf})
    answer = draft_application.answers.get(criterion=first)
    assert answer.evidence.name.endswith(".pdf")
    assert not answer.evidence.name.startswith("/") and "media" not in answer.evidence.path
    download = reverse("cooperation:evidence_download", args=[draft_application.pk, answer.pk])
    served = client.get(download)
    assert served.status_code == 200
    assert b"".join(served.streaming_content) == PDF
    assert served["Cache-Control"] == "private, no-store"

    client.force_login(other_member)
    assert client.get(download).status_code == 403


# --- The review -----------------------------------------------------------------------------


def test_an_unfavourable_opinion_without_a_comment_is_shown_its_error(client, submitted, network):
    college = College.objects.filter(network=network, stakeholder="industry").get()
    reviewer = Reviewer.objects.create(user=UserFactory(), network=network, college=college)
    client.force_login(reviewer.user)
    client.post(reverse("cooperation:application_assign", args=[submitted.pk]), {"take": "1"})
    url = reverse("cooperation:opinion_edit", args=[submitted.pk])
    data = {"verdict": "unfavourable", "comment": ""}
    for criterion in submitted.charter_version.criteria.all():
        data[f"verdict_{criterion.pk}"] = "favourable"

    response = client.post(url, data)

    assert response.status_code == 200
    assert "s&#x27;explique" in response.content.decode()
    assert not submitted.opinions.exists()


def test_the_animator_cannot_decide_before_the_quorum(client, submitted, animator):
    client.force_login(animator)
    client.post(
        reverse("cooperation:application_assign", args=[submitted.pk]),
        {
            "reviewer": Reviewer.objects.create(
                user=UserFactory(),
                network=submitted.actor.network,
                college=College.objects.filter(network=submitted.actor.network).first(),
            ).pk
        },
    )

    response = client.post(
        reverse("cooperation:application_decide", args=[submitted.pk]),
        {"decision": "admitted", "reasons": ""},
    )

    assert response.status_code == 400
    assert "Il manque" in response.content.decode() or "il manque" in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == "under_review"


# --- The network's charter, rules and reviewers ---------------------------------------------


def test_the_charter_is_public_and_a_new_version_leaves_applications_on_theirs(
    client, animator, network, submitted
):
    public = client.get(reverse("cooperation:charter_detail", args=[network.slug]))
    assert public.status_code == 200 and "Gouvernance démocratique" in public.content.decode()

    client.force_login(animator)
    url = reverse("cooperation:charter_edit", args=[network.slug])
    data = {
        "introduction": "Notre charte, revue en assemblée.",
        "criteria-TOTAL_FORMS": "1",
        "criteria-INITIAL_FORMS": "0",
        "criteria-0-kind": "inclusion",
        "criteria-0-title": "Ancrage local",
        "criteria-0-description": "",
    }
    response = client.post(url, data)

    assert response.status_code == 302
    assert "Ancrage local" in client.get(public.request["PATH_INFO"]).content.decode()
    submitted.refresh_from_db()
    assert submitted.charter_version.number == 1


def test_admission_rules_refuse_a_quorum_of_more_colleges_than_opinions(client, animator, network):
    client.force_login(animator)
    url = reverse("cooperation:admission_policy_edit", args=[network.slug])
    data = {
        "quorum_opinions": 2,
        "quorum_colleges": 3,
        "peer_opinion_required": "on",
        "visit_expected": "on",
        "reminder_after_days": 15,
        "appeal_days": 30,
    }

    response = client.post(url, data)

    assert response.status_code == 200
    assert "pas plus de collèges que d&#x27;avis" in response.content.decode()


def test_the_animator_adds_a_reviewer_by_e_mail(client, animator, network, user):
    client.force_login(animator)
    url = reverse("cooperation:reviewer_list", args=[network.slug])
    client.get(url)
    unknown = client.post(url, {"email": "personne@example.org", "college": 1})
    assert "Aucun compte" in unknown.content.decode()

    college = College.objects.filter(network=network).last()
    response = client.post(url, {"email": user.email.upper(), "college": college.pk})

    assert response.status_code == 302
    assert Reviewer.objects.get(user=user, network=network).college == college


def test_a_member_of_the_network_volunteers_from_the_charter_page(client, other_member, network):
    client.force_login(other_member)
    page = client.get(reverse("cooperation:charter_detail", args=[network.slug]))
    assert "Devenir évaluateur" in page.content.decode()

    response = client.post(reverse("cooperation:reviewer_volunteer", args=[network.slug]))

    assert response["Location"] == reverse("cooperation:review_queue", args=[network.slug])
    reviewer = Reviewer.objects.get(user=other_member, network=network)
    assert reviewer.college.stakeholder == "industry"
    assert "Devenir évaluateur" not in client.get(page.request["PATH_INFO"]).content.decode()


def test_the_animator_follows_a_progress_plan_from_the_queue(client, animator, submitted):
    overdue = ProgressCommitment.objects.create(
        application=submitted, text="Former deux bénévoles", due_on=date(2020, 1, 1)
    )
    client.force_login(animator)
    queue_url = reverse("cooperation:review_queue", args=[submitted.actor.network.slug])

    page = client.get(queue_url).content.decode()
    assert "Former deux bénévoles" in page and "dépassée" in page

    client.post(reverse("cooperation:commitment_kept", args=[overdue.pk]))

    overdue.refresh_from_db()
    assert overdue.done_at is not None
    assert "Former deux bénévoles" not in client.get(queue_url).content.decode()
    assert submitted.changes.filter(event="commitment_kept").exists()
