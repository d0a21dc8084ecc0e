"""The outbox: an e-mail owed is recorded once, sent once, and survives a mail outage."""

import smtplib
from datetime import date

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.core.management import call_command
from django.db import transaction

from ess_platform.lib.outbox import sending
from ess_platform.lib.outbox.models import OutboxMessage
from ess_platform.lib.outbox.tasks import send_outbox

# Real commits: the sender is queued by transaction.on_commit, as in production.
pytestmark = pytest.mark.django_db(transaction=True)

TEMPLATE = "directory/members/emails/join_request_decided"


def owe(key="test:1", to=("ana@example.org",), **kwargs):
    from tests.factories import JoinRequestFactory

    join_request = kwargs.pop("join_request", None) or JoinRequestFactory()
    return sending.owe(
        key=key,
        to=list(to),
        template=TEMPLATE,
        context={"join_request": join_request, "url": "/espace/"},
        **kwargs,
    )


def test_an_owed_email_is_sent_after_commit_and_only_once():
    with transaction.atomic():
        assert owe()
        # Owed, not sent: a rolled-back transaction would owe nothing.
        assert mail.outbox == []
    assert [m.to for m in mail.outbox] == [["ana@example.org"]]
    # A rerun, a redelivered task, a double click: the same key records nothing.
    assert not owe()
    send_outbox.delay()
    sending.send_pending()
    assert len(mail.outbox) == 1
    assert OutboxMessage.objects.get().sent_at is not None


def test_a_rolled_back_write_owes_nothing():
    with pytest.raises(RuntimeError), transaction.atomic():
        owe()
        raise RuntimeError
    assert not OutboxMessage.objects.exists()
    assert mail.outbox == []


def test_nobody_to_write_to_owes_nothing():
    assert not owe(to=["", "  "])
    assert not OutboxMessage.objects.exists()


def test_a_server_that_is_down_keeps_the_message_for_the_next_sweep(monkeypatch):
    def down(message, *args, **kwargs):
        raise smtplib.SMTPServerDisconnected("down")

    with monkeypatch.context() as patch:
        patch.setattr(EmailMessage, "send", down)
        owe()  # the send queued on commit meets the outage: no error reaches the caller
        report = sending.send_pending()
    assert "SMTPServerDisconnected" in report.interrupted
    message = OutboxMessage.objects.get()
    assert message.sent_at is None and message.attempts == 2
    assert mail.outbox == []

    report = sending.send_pending()
    assert report.sent == 1 and not report.interrupted
    assert len(mail.outbox) == 1


def test_an_address_refused_for_good_closes_its_message_and_the_others_go(monkeypatch):
    send = EmailMessage.send

    def refuse_bad(message, *args, **kwargs):
        if "bad@example.org" in message.to:
            raise smtplib.SMTPRecipientsRefused({"bad@example.org": (550, b"No such user")})
        return send(message, *args, **kwargs)

    monkeypatch.setattr(EmailMessage, "send", refuse_bad)
    owe(key="test:bad", to=["bad@example.org"])
    owe(key="test:good", to=["good@example.org"])

    assert [m.to for m in mail.outbox] == [["good@example.org"]]
    bad = OutboxMessage.objects.get(key="test:bad")
    assert bad.sent_at is not None and "refused" in bad.last_error
    sending.send_pending()
    assert len(mail.outbox) == 1


def test_a_message_is_rendered_in_french_without_html_escaping(settings):
    from tests.factories import JoinRequestFactory

    join_request = JoinRequestFactory(actor__name="L'Atelier & Co")
    owe(join_request=join_request)
    (message,) = mail.outbox
    assert "L'Atelier & Co" in message.subject + message.body
    assert "&#x27;" not in message.subject + message.body
    assert "\n" not in message.subject


def test_digest_lines_go_out_as_one_email_per_recipient_and_day():
    day = date(2026, 11, 30)
    owe(key="line:1", to=["ana@example.org"], digest_day=day)
    owe(key="line:2", to=["ana@example.org"], digest_day=day)
    owe(key="line:3", to=["bob@example.org"], digest_day=day)
    owe(key="line:tomorrow", to=["ana@example.org"], digest_day=date(2026, 12, 1))
    # Lines wait for their digest: nothing is sent on its own.
    assert mail.outbox == []

    assert sending.gather_digests(day=day) == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["ana@example.org", "bob@example.org"]
    ana = next(m for m in mail.outbox if m.to == ["ana@example.org"])
    assert "2 nouvelles" in ana.subject

    # Gathered once: a rerun the same day sends nothing more; tomorrow's line waits.
    assert sending.gather_digests(day=day) == 0
    assert len(mail.outbox) == 2
    assert OutboxMessage.objects.get(key="line:tomorrow").sent_at is None


def test_a_digest_line_has_one_recipient():
    with pytest.raises(ValueError):
        owe(to=["a@example.org", "b@example.org"], digest_day=date(2026, 11, 30))


def test_the_command_sends_what_is_owed(monkeypatch, capsys):
    def down(message, *args, **kwargs):
        raise smtplib.SMTPServerDisconnected("down")

    with monkeypatch.context() as patch:
        patch.setattr(EmailMessage, "send", down)
        owe()
    call_command("send_outbox")
    assert "E-mails envoyés : 1" in capsys.readouterr().out
    assert len(mail.outbox) == 1
