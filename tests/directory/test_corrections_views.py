"""The correction pages: the public report form and its limits, the members' list and decisions."""

import pytest
from django.test import override_settings
from django.urls import reverse

from directory.models import ActorChange, CorrectionReport, Status
from directory.services import corrections
from tests.directory.helpers import IP
from tests.factories import (
    ActorFactory,
    CorrectionReportFactory,
    MembershipFactory,
    UserFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_cache")]


def report_url(actor) -> str:
    return reverse("directory:correction_report_create", args=[actor.slug])


def decide_url(report) -> str:
    return reverse("directory:correction_report_decide", args=[report.actor.slug, report.pk])


def decide(client, report, decision: str, reason: str = ""):
    prefix = f"report-{report.pk}"
    return client.post(
        decide_url(report),
        {f"{prefix}-decision": decision, f"{prefix}-decision_reason": reason},
    )


def test_anonymous_visitor_reports_an_error_from_the_public_page(client, phoned):
    page = client.get(phoned.get_absolute_url()).content.decode()
    assert report_url(phoned) in page

    form = client.get(report_url(phoned))
    html = form.content.decode()
    assert form.status_code == 200
    assert "Téléphone" in html and "Laissez ce champ vide" in html
    assert 'tabindex="-1"' in html and 'autocomplete="off"' in html

    response = client.post(
        report_url(phoned),
        {"field": "phone", "proposed_value": "02 51 11 22 33", "comment": "", "reporter_email": ""},
        REMOTE_ADDR=IP,
    )
    assert response.status_code == 302 and response["Location"] == phoned.get_absolute_url()
    report = CorrectionReport.objects.get()
    assert report.proposed_value == "02 51 11 22 33" and report.current_value == "02 40 00 00 00"


def test_the_form_is_prefilled_with_the_signed_in_persons_email(client, actor, user):
    client.force_login(user)
    html = client.get(report_url(actor)).content.decode()
    assert f'value="{user.email}"' in html


def test_the_report_form_shows_errors_and_keeps_what_was_typed(client, actor):
    response = client.post(
        report_url(actor), {"field": "email", "proposed_value": "pas-une-adresse"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Saisissez une adresse e-mail valide" in html
    assert "pas-une-adresse" in html
    assert not CorrectionReport.objects.exists()


def test_the_honeypot_is_answered_as_a_success(client, phoned):
    response = client.post(
        report_url(phoned),
        {"field": "phone", "proposed_value": "08 99 99 99 99", "homepage": "http://spam.example"},
    )
    assert response.status_code == 302
    assert not CorrectionReport.objects.exists()


def test_too_many_reports_from_one_address_get_the_429_page(client, phoned):
    data = {"field": "phone", "proposed_value": "02 51 11 22 33"}
    for _ in range(corrections.REPORTS_PER_HOUR_PER_IP):
        assert client.post(report_url(phoned), data, REMOTE_ADDR=IP).status_code == 302

    response = client.post(report_url(phoned), data, REMOTE_ADDR=IP)

    assert response.status_code == 429
    assert "Trop de tentatives" in response.content.decode()
    assert CorrectionReport.objects.count() == corrections.REPORTS_PER_HOUR_PER_IP
    other = client.post(report_url(phoned), data, REMOTE_ADDR="198.51.100.4")
    assert other.status_code == 302


PROXY = "10.0.0.2"


@override_settings(ALLAUTH_TRUSTED_PROXY_COUNT=1)
def test_behind_the_proxy_each_visitor_is_counted_apart(client, phoned):
    """With TRUSTED_PROXY_COUNT=1 (docker-compose.yml) every request comes from the proxy:
    the visitor is the address the proxy appended to X-Forwarded-For."""
    data = {"field": "phone", "proposed_value": "02 51 11 22 33"}

    def post(forwarded_for: str):
        return client.post(
            report_url(phoned), data, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded_for
        )

    for n in range(corrections.REPORTS_PER_HOUR_PER_IP):
        # What the client wrote itself before the proxy's entry does not matter.
        assert post(f"192.0.2.{n}, {IP}").status_code == 302
    assert post(IP).status_code == 429
    # Another visitor through the same proxy is not blocked by the first one.
    assert post("198.51.100.4").status_code == 302
    assert CorrectionReport.objects.count() == corrections.REPORTS_PER_HOUR_PER_IP + 1


def test_without_a_trusted_proxy_the_forwarded_header_is_ignored(client, phoned):
    data = {"field": "phone", "proposed_value": "02 51 11 22 33"}
    for n in range(corrections.REPORTS_PER_HOUR_PER_IP):
        response = client.post(
            report_url(phoned), data, REMOTE_ADDR=IP, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}"
        )
        assert response.status_code == 302
    response = client.post(
        report_url(phoned), data, REMOTE_ADDR=IP, HTTP_X_FORWARDED_FOR="192.0.2.99"
    )
    assert response.status_code == 429


@pytest.mark.parametrize("status", [Status.DRAFT, Status.PENDING, Status.SUSPENDED])
def test_unpublished_actors_cannot_be_reported(client, network, nantes, status):
    hidden = ActorFactory(network=network, commune=nantes, status=status)
    assert client.get(report_url(hidden)).status_code == 404
    response = client.post(report_url(hidden), {"field": "phone", "proposed_value": "0102030405"})
    assert response.status_code == 404
    assert not CorrectionReport.objects.exists()


def test_members_see_open_reports_and_their_count(client, phoned, member):
    CorrectionReportFactory(actor=phoned)
    CorrectionReportFactory(actor=phoned, proposed_value="02 51 99 99 99")
    client.force_login(member)

    detail = client.get(phoned.get_absolute_url()).content.decode()
    assert "2 signalements d'erreur à traiter" in detail
    assert reverse("directory:actor_history", args=[phoned.slug]) in detail
    space = client.get(reverse("directory:my_actors")).content.decode()
    assert "2 à traiter" in space

    page = client.get(reverse("directory:correction_report_list", args=[phoned.slug]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "02 51 99 99 99" in html and "02 40 00 00 00" in html
    assert "Le numéro ne répond plus." in html
    assert "citoyenne@example.org" not in html  # the reporter's address stays private


def test_visitors_do_not_see_the_members_links(client, phoned):
    CorrectionReportFactory(actor=phoned)
    html = client.get(phoned.get_absolute_url()).content.decode()
    assert reverse("directory:correction_report_list", args=[phoned.slug]) not in html
    assert reverse("directory:actor_history", args=[phoned.slug]) not in html


def test_member_accepts_from_the_list_and_a_double_click_changes_nothing(
    client, phoned, member, mailoutbox, django_capture_on_commit_callbacks
):
    report = CorrectionReportFactory(actor=phoned)
    client.force_login(member)

    with django_capture_on_commit_callbacks(execute=True):
        response = decide(client, report, "accept")
    assert response.status_code == 302
    phoned.refresh_from_db()
    assert phoned.phone == "02 51 11 22 33"

    with django_capture_on_commit_callbacks(execute=True):
        again = decide(client, report, "accept")
    assert again.status_code == 302
    follow = client.get(again["Location"]).content.decode()
    assert "déjà été traité" in follow
    assert phoned.changes.filter(source=ActorChange.Source.CORRECTION).count() == 1
    assert len(mailoutbox) == 1


def test_an_invalid_proposed_value_is_explained_beside_the_report(client, actor, member):
    report = CorrectionReportFactory(actor=actor, field="email", proposed_value="pas-une-adresse")
    client.force_login(member)

    response = decide(client, report, "accept")

    assert response.status_code == 200
    assert "Saisissez une adresse e-mail valide" in response.content.decode()
    report.refresh_from_db()
    assert report.state == CorrectionReport.State.OPEN


def test_rejecting_without_a_reason_redisplays_the_form(client, phoned, member):
    report = CorrectionReportFactory(actor=phoned)
    client.force_login(member)

    response = decide(client, report, "reject")

    assert response.status_code == 200
    assert "Dites pourquoi ce signalement est refusé" in response.content.decode()
    report.refresh_from_db()
    assert report.state == CorrectionReport.State.OPEN
    assert decide(client, report, "reject", "Numéro vérifié").status_code == 302
    report.refresh_from_db()
    assert report.state == CorrectionReport.State.REJECTED


def test_strangers_cannot_see_or_decide_reports(client, phoned, other_member, other_animator):
    report = CorrectionReportFactory(actor=phoned)
    list_url = reverse("directory:correction_report_list", args=[phoned.slug])

    client.force_login(other_member)
    assert client.get(list_url).status_code == 403
    assert decide(client, report, "accept").status_code == 403
    client.force_login(other_animator)
    assert client.get(list_url).status_code == 404
    assert decide(client, report, "accept").status_code == 404

    report.refresh_from_db()
    phoned.refresh_from_db()
    assert report.state == CorrectionReport.State.OPEN
    assert phoned.phone == "02 40 00 00 00"


def test_a_report_is_decided_only_under_its_own_actor(client, phoned, network, reze):
    other = ActorFactory(network=network, commune=reze)
    report = CorrectionReportFactory(actor=phoned)
    other_owner = MembershipFactory(actor=other, user=UserFactory(username="voisine")).user
    client.force_login(other_owner)
    prefix = f"report-{report.pk}"
    response = client.post(
        reverse("directory:correction_report_decide", args=[other.slug, report.pk]),
        {f"{prefix}-decision": "accept"},
    )
    assert response.status_code == 404
    report.refresh_from_db()
    assert report.state == CorrectionReport.State.OPEN


def test_animator_sees_the_reports_of_its_networks_actors(client, phoned, animator):
    CorrectionReportFactory(actor=phoned)
    client.force_login(animator)
    response = client.get(reverse("directory:correction_report_list", args=[phoned.slug]))
    assert response.status_code == 200
    assert "02 51 11 22 33" in response.content.decode()
