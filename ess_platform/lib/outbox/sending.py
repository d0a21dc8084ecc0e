"""Record the e-mails the platform owes, then send them, each exactly once.

Recording (`owe`, `owe_many`) happens in the caller's transaction: a rolled-back write
owes nothing, and the sender is queued only once the e-mail is committed. Sending
(`lock_unsent` + `deliver`, used by `send_pending` here and by the freshness pass) takes one
transaction per message: the row is locked (`skip_locked`: two senders share the work instead
of waiting), sent, closed, committed. A crash after the mail server accepted a message and
before the commit sends that one message again on the next run (at-least-once at the
single-message boundary); nothing is lost and nothing else is sent twice.

A mail server that is down (connection refused, 4xx) stops `send_pending`: the messages stay
owed, the error is kept on the one being sent, and the next run (the beat sweep, or
`manage.py send_outbox` from cron) sends them. A permanent refusal (5xx, unknown address)
closes that message only.
"""

import logging
import smtplib
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.core.mail import get_connection
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from ess_platform.lib.mail import RenderedEmail, render_email, send_email
from ess_platform.lib.outbox.models import ERROR_MAX_LENGTH, OutboxMessage, OwedEmail
from ess_platform.lib.tasks import queue_on_commit

logger = logging.getLogger(__name__)

SENT, FAILED, SKIPPED, BUSY = "sent", "failed", "skipped", "busy"
SENDER_TASK = "ess_platform.lib.outbox.tasks.send_outbox"
DIGEST_TEMPLATE = "outbox/digest"
KEY_MAX_LENGTH = 200
SUBJECT_MAX_LENGTH = 300
# Message ids read per query before being sent one by one.
SEND_CHUNK = 500
# What "the mail server is unavailable" looks like: the message stays owed.
TEMPORARY_ERRORS = (smtplib.SMTPException, OSError)


@dataclass(frozen=True)
class Owed:
    """One e-mail to record: `key` names the occasion and the recipient."""

    key: str
    to: list[str]
    template: str
    context: dict


def _recipients(to: list[str]) -> list[str]:
    return sorted({address.strip() for address in to if address and address.strip()})


def _message(owed: Owed, *, digest_day: date | None) -> OutboxMessage:
    rendered = render_email(owed.template, owed.context)
    return OutboxMessage(
        key=owed.key[:KEY_MAX_LENGTH],
        recipients=_recipients(owed.to),
        subject=rendered.subject[:SUBJECT_MAX_LENGTH],
        body=rendered.body,
        digest_day=digest_day,
    )


def owe(
    *, key: str, to: list[str], template: str, context: dict, digest_day: date | None = None
) -> bool:
    """Record that the e-mail `template` (rendered now with `context`) is owed to `to`.

    Returns False, recording nothing, when `key` was already owed (a rerun, a redelivered
    task, a double click) or when there is nobody to send it to. With `digest_day`, the
    message is a line of each recipient's digest of that day instead of an e-mail of its own
    (then `to` must name one recipient)."""
    return owe_many([Owed(key, to, template, context)], digest_day=digest_day) == 1


def owe_many(items: list[Owed], *, digest_day: date | None = None) -> int:
    """`owe` for many messages at once (an import's invitations): one query to skip the
    keys already owed, one insert per batch. Returns how many were recorded."""
    items = [item for item in items if _recipients(item.to)]
    if digest_day is not None and any(len(_recipients(item.to)) != 1 for item in items):
        raise ValueError("a digest line has exactly one recipient")
    keys = [item.key[:KEY_MAX_LENGTH] for item in items]
    known: set[str] = set()
    for start in range(0, len(keys), SEND_CHUNK):
        chunk = keys[start : start + SEND_CHUNK]
        known |= set(OutboxMessage.objects.filter(key__in=chunk).values_list("key", flat=True))
    messages, seen = [], set(known)
    for item, key in zip(items, keys, strict=True):
        if key not in seen:
            seen.add(key)
            messages.append(_message(item, digest_day=digest_day))
    # ignore_conflicts: a concurrent writer of the same key wins, and this one owes nothing.
    OutboxMessage.objects.bulk_create(messages, ignore_conflicts=True, batch_size=500)
    if messages and digest_day is None:
        queue_on_commit(SENDER_TASK)
    return len(messages)


# --- Sending --------------------------------------------------------------------------------


def lock_unsent(queryset: QuerySet, pk: int, *, values: tuple[str, ...] = ()):
    """The unsent record `pk`, locked until the end of the caller's transaction; None when
    it was sent meanwhile or another sender holds it (`skip_locked`).

    With `values`, only those columns (joins allowed, e.g. "actor__status") are read, in the
    same query that takes the lock: the cheapest way to re-check what decides whether the
    message is still owed, when the rest was read beforehand in bulk."""
    locked = queryset.select_for_update(skip_locked=True, of=("self",)).filter(
        pk=pk, sent_at__isnull=True
    )
    return locked.values_list(*values).first() if values else locked.first()


def deliver(record: OwedEmail, message: RenderedEmail, *, connection=None) -> str:
    """Send `message` to the recipients of `record` (locked by `lock_unsent` in the same
    transaction) and close the record. Returns SENT, or FAILED when the server refused it
    for good. A temporary error is raised: the record stays owed when the transaction rolls
    back."""
    error = send_email(message, to=record.recipients, connection=connection)
    record.sent_at, record.last_error = timezone.now(), error
    type(record).objects.filter(pk=record.pk).update(
        sent_at=record.sent_at, last_error=error, recipients=record.recipients
    )
    return FAILED if error else SENT


@dataclass
class SendReport:
    sent: int = 0
    failed: int = 0  # refused for good: closed, with the reason in last_error
    interrupted: str = ""  # the temporary error that stopped the run, if any

    def as_dict(self) -> dict:
        return {"sent": self.sent, "failed": self.failed, "interrupted": self.interrupted}


@transaction.atomic
def _send_one(pk: int, connection) -> str:
    message = lock_unsent(OutboxMessage.objects.to_send(), pk)
    if message is None:
        return BUSY
    rendered = RenderedEmail(subject=message.subject, body=message.body)
    return deliver(message, rendered, connection=connection)


def send_pending() -> SendReport:
    """Send every owed message (not the digest lines), over one connection to the server."""
    report = SendReport()
    current = None
    try:
        with get_connection() as connection:
            pending = OutboxMessage.objects.to_send().order_by("pk").values_list("pk", flat=True)
            last_pk = 0
            while chunk := list(pending.filter(pk__gt=last_pk)[:SEND_CHUNK]):
                for current in chunk:
                    outcome = _send_one(current, connection)
                    report.sent += outcome == SENT
                    report.failed += outcome == FAILED
                last_pk = chunk[-1]
    except TEMPORARY_ERRORS as error:
        report.interrupted = f"{type(error).__name__}: {error}"[:ERROR_MAX_LENGTH]
        logger.warning("outbox: mail server unavailable, %s left owed", report.interrupted)
        if current is not None:
            OutboxMessage.objects.filter(pk=current).update(
                attempts=F("attempts") + 1, last_error=report.interrupted
            )
    return report


# --- Digests --------------------------------------------------------------------------------


def gather_digests(*, day: date) -> int:
    """Turn each recipient's unsent digest lines of `day` and the days before into one owed
    e-mail; returns how many digests were recorded. The lines are closed in the same
    transaction as the digest is recorded, so a rerun never gathers them twice."""
    by_recipient: dict[str, list[int]] = defaultdict(list)
    for pk, recipients in OutboxMessage.objects.digest_lines(until=day).values_list(
        "pk", "recipients"
    ):
        by_recipient[recipients[0]].append(pk)
    gathered = 0
    for recipient, pks in sorted(by_recipient.items()):
        with transaction.atomic():
            lines = list(
                OutboxMessage.objects.digest_lines(until=day)
                .select_for_update(skip_locked=True)
                .filter(pk__in=pks)
            )
            if not lines:
                continue
            owe(
                key=f"outbox.digest:{day.isoformat()}:{lines[0].pk}",
                to=[recipient],
                template=DIGEST_TEMPLATE,
                context={"day": day, "lines": lines},
            )
            OutboxMessage.objects.filter(pk__in=[line.pk for line in lines]).update(
                sent_at=timezone.now()
            )
            gathered += 1
    return gathered
