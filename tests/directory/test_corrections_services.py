"""Correction reports: anyone reports an error, the actor's members accept or reject it."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from directory.models import ActorChange, CorrectionReport, Freshness
from directory.services import corrections
from tests.directory.helpers import IP
from tests.factories import ActorFactory, CorrectionReportFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_cache")]


def report_phone(actor, *, value="02 51 11 22 33", email="citoyenne@example.org", ip=IP, **kw):
    return corrections.correction_report_create(
        actor=actor,
        field="phone",
        proposed_value=value,
        comment="Le numéro ne répond plus.",
        reporter_email=email,
        by=None,
        ip=ip,
        **kw,
    )


# --- Reporting ----------------------------------------------------------------------------


def test_a_report_keeps_the_value_shown_at_the_time(phoned):
    report = report_phone(phoned)

    report.refresh_from_db()
    assert report.state == CorrectionReport.State.OPEN
    assert report.field == "phone"
    assert report.current_value == "02 40 00 00 00"
    assert report.proposed_value == "02 51 11 22 33"
    assert report.reporter_email == "citoyenne@example.org"
    assert report.reporter is None
    phoned.refresh_from_db()
    assert phoned.phone == "02 40 00 00 00"  # nothing applied before a member decides


def test_the_members_are_told_of_a_new_report(phoned, member, capture, mailoutbox):
    with capture(execute=True):
        report = report_phone(phoned)

    (message,) = mailoutbox
    assert message.to == [member.email]
    assert phoned.name in message.subject
    assert "02 40 00 00 00" in message.body and "02 51 11 22 33" in message.body
    assert f"/espace/structures/{phoned.slug}/signalements/" in message.body
    # Owed once: the same report never e-mails twice.
    assert (
        corrections.owe(
            key=f"directory.correction.created:{report.pk}",
            to=[member.email],
            template="directory/corrections/emails/created",
            context={},
        )
        is False
    )


def test_without_members_the_animators_are_told(network, nantes, animator, capture, mailoutbox):
    orphan = ActorFactory(network=network, commune=nantes, phone="02 40 00 00 00")
    with capture(execute=True):
        report_phone(orphan)
    assert [m.to for m in mailoutbox] == [[animator.email]]


def test_a_filled_honeypot_stores_nothing(phoned):
    assert report_phone(phoned, honeypot="http://spam.example") is None
    assert not CorrectionReport.objects.exists()


def test_reports_are_limited_per_ip(phoned):
    for _ in range(corrections.REPORTS_PER_HOUR_PER_IP):
        report_phone(phoned)
    with pytest.raises(corrections.TooManyReports):
        report_phone(phoned)
    # Another address is counted apart.
    report_phone(phoned, ip="198.51.100.4")
    assert CorrectionReport.objects.count() == corrections.REPORTS_PER_HOUR_PER_IP + 1


def test_ipv6_reports_are_counted_per_64_network(phoned):
    # One subscriber picks any address of its /64: rotating them must not reset the count.
    for n in range(corrections.REPORTS_PER_HOUR_PER_IP):
        report_phone(phoned, ip=f"2001:db8:1:2::{n + 1:x}")
    with pytest.raises(corrections.TooManyReports):
        report_phone(phoned, ip="2001:db8:1:2:ffff:ffff:ffff:ffff")
    # The next /64 is another subscriber.
    report_phone(phoned, ip="2001:db8:1:3::1")
    assert CorrectionReport.objects.count() == corrections.REPORTS_PER_HOUR_PER_IP + 1


def test_an_ipv4_mapped_address_counts_as_its_ipv4_address(phoned):
    for _ in range(corrections.REPORTS_PER_HOUR_PER_IP):
        report_phone(phoned, ip=IP)
    with pytest.raises(corrections.TooManyReports):
        report_phone(phoned, ip=f"::ffff:{IP}")


def test_only_published_actors_and_listed_fields_can_be_reported(network, nantes):
    draft = ActorFactory(network=network, commune=nantes, draft=True)
    with pytest.raises(PermissionDenied):
        report_phone(draft)
    published = ActorFactory(network=network, commune=nantes)
    with pytest.raises(ValidationError):
        corrections.correction_report_create(
            actor=published, field="siret", proposed_value="1", by=None, ip=IP
        )
    assert not CorrectionReport.objects.exists()


def test_an_invalid_or_unchanged_value_is_refused_to_the_reporter(actor):
    actor.email = "contact@recyclerie.org"
    actor.save(update_fields=["email"])
    with pytest.raises(ValidationError) as invalid:
        corrections.correction_report_create(
            actor=actor, field="email", proposed_value="pas-une-adresse", by=None, ip=IP
        )
    assert "proposed_value" in invalid.value.message_dict
    with pytest.raises(ValidationError):
        corrections.correction_report_create(
            actor=actor, field="email", proposed_value="contact@recyclerie.org", by=None, ip=IP
        )
    assert not CorrectionReport.objects.exists()


# --- Deciding -----------------------------------------------------------------------------


def test_accepting_applies_the_value_records_history_confirms_and_tells_the_reporter(
    phoned, member, mailoutbox, django_capture_on_commit_callbacks
):
    phoned.freshness = Freshness.DUE
    phoned.save(update_fields=["freshness"])
    report = CorrectionReportFactory(actor=phoned)

    with django_capture_on_commit_callbacks(execute=True):
        corrections.correction_report_accept(report=report, by=member)

    phoned.refresh_from_db()
    assert phoned.phone == "02 51 11 22 33"
    assert phoned.freshness == Freshness.FRESH
    report.refresh_from_db()
    assert report.state == CorrectionReport.State.ACCEPTED
    assert report.decided_by == member and report.decided_at is not None
    change = phoned.changes.get(source=ActorChange.Source.CORRECTION)
    assert change.by == member
    assert change.changes == {"phone": ["02 40 00 00 00", "02 51 11 22 33"]}
    assert str(report.pk) in change.note
    (message,) = mailoutbox
    assert message.to == ["citoyenne@example.org"]
    assert "acceptée" in message.body and phoned.name in message.subject


def test_a_report_is_decided_once(
    phoned, member, animator, mailoutbox, django_capture_on_commit_callbacks
):
    report = report_phone(phoned)
    with django_capture_on_commit_callbacks(execute=True):
        corrections.correction_report_accept(report=report, by=member)

    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(ValidationError):
            corrections.correction_report_accept(report=report, by=animator)
        with pytest.raises(ValidationError):
            corrections.correction_report_reject(report=report, by=animator, reason="Doublon")

    assert phoned.changes.filter(source=ActorChange.Source.CORRECTION).count() == 1
    # One decision, so one e-mail to the reporter (the members were told of the report).
    assert len([m for m in mailoutbox if m.to == ["citoyenne@example.org"]]) == 1
    report.refresh_from_db()
    assert report.state == CorrectionReport.State.ACCEPTED and report.decided_by == member


def test_an_invalid_value_cannot_be_accepted_and_the_report_stays_open(actor, member):
    # Stored as it may have been before the rules changed: the acceptance checks again.
    report = CorrectionReportFactory(actor=actor, field="website", proposed_value="pas une adresse")
    with pytest.raises(ValidationError) as error:
        corrections.correction_report_accept(report=report, by=member)

    assert "proposed_value" in error.value.message_dict
    report.refresh_from_db()
    actor.refresh_from_db()
    assert report.state == CorrectionReport.State.OPEN
    assert actor.website == ""
    assert not actor.changes.filter(source=ActorChange.Source.CORRECTION).exists()


def test_an_accepted_website_is_read_as_the_profile_form_reads_it(actor, member):
    report = corrections.correction_report_create(
        actor=actor, field="website", proposed_value="recyclerie.example", by=None, ip=IP
    )
    corrections.correction_report_accept(report=report, by=member)
    actor.refresh_from_db()
    assert actor.website == "https://recyclerie.example"


def test_rejecting_needs_a_reason_which_the_reporter_reads(
    phoned, member, mailoutbox, django_capture_on_commit_callbacks
):
    report = CorrectionReportFactory(actor=phoned)
    with pytest.raises(ValidationError) as error:
        corrections.correction_report_reject(report=report, by=member, reason="  ")
    assert "decision_reason" in error.value.message_dict
    report.refresh_from_db()
    assert report.state == CorrectionReport.State.OPEN

    with django_capture_on_commit_callbacks(execute=True):
        corrections.correction_report_reject(
            report=report, by=member, reason="C'est bien notre numéro."
        )

    report.refresh_from_db()
    phoned.refresh_from_db()
    assert report.state == CorrectionReport.State.REJECTED
    assert report.decision_reason == "C'est bien notre numéro."
    assert phoned.phone == "02 40 00 00 00"
    (message,) = mailoutbox
    assert "C'est bien notre numéro." in message.body


def test_a_reporter_without_an_email_is_told_nothing(phoned, member, mailoutbox):
    report = CorrectionReportFactory(actor=phoned, reporter_email="")
    corrections.correction_report_accept(report=report, by=member)
    assert mailoutbox == []


def test_network_animator_may_decide_but_not_strangers(
    phoned, animator, other_animator, other_member, user
):
    report = CorrectionReportFactory(actor=phoned)
    for stranger in (other_animator, other_member, user):
        with pytest.raises(PermissionDenied):
            corrections.correction_report_accept(report=report, by=stranger)
        with pytest.raises(PermissionDenied):
            corrections.correction_report_reject(report=report, by=stranger, reason="Non")
    report.refresh_from_db()
    assert report.state == CorrectionReport.State.OPEN

    corrections.correction_report_reject(report=report, by=animator, reason="Vérifié")
    report.refresh_from_db()
    assert report.state == CorrectionReport.State.REJECTED
