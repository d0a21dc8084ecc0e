"""The freshness routine (DESIGN.md §3): the daily pass, its e-mails and its one-click links.

The pass works in three steps, each safe to interrupt and to rerun:

1. **Mark.** Per network and per batch of actors, one transaction records the e-mails owed
   (`FreshnessNotice`, one unique row per actor, kind and period) and moves the actors to
   their new state with a conditional update (`freshness=<expected old state>`). A crash
   between batches loses nothing: a rerun picks up the actors still in their old state.
2. **Gather.** Stale and archive notices are attached to the network's digest of the day.
3. **Send,** from the records only: each e-mail in its own transaction (row locked, sent,
   `sent_at` set, commit). See `send_pending` for what a crash can still do there.

Query count: the marking grows with the number of networks and batches, never with the
number of actors; sending costs a fixed couple of queries per e-mail (the price of a commit
per message, which is what bounds a crash to at most one e-mail sent twice).
"""

import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.core.mail import get_connection
from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone, translation

from directory.models import (
    Actor,
    ActorChange,
    Freshness,
    FreshnessDigest,
    FreshnessNotice,
    FreshnessSnapshot,
    Membership,
    Network,
    Status,
)
from directory.permissions import can_animate
from directory.services import history
from directory.services.actors import actor_mark_confirmed
from ess_platform.lib.mail import absolute_url, render_email
from ess_platform.lib.outbox.sending import BUSY, SENT, SKIPPED, deliver, lock_unsent
from ess_platform.lib.signed_links import InvalidLink, sign, unsign
from ess_platform.lib.tasks import queue_on_commit

logger = logging.getLogger(__name__)

Kind = FreshnessNotice.Kind

# Actors per marking transaction: large enough to keep the query count low, small enough
# that a batch's locks and `IN (...)` lists stay modest.
BATCH_SIZE = 2000

LINK_SALT = "directory.services.freshness.link"
CONFIRM = "confirm"
UPDATE = "update"
NEVER = "never"


# --- Cycles and recipients ---------------------------------------------------------------


def cycle_of(last_confirmed_at: datetime | None) -> str:
    """The confirmation cycle a notice belongs to: a new confirmation starts a new one."""
    return last_confirmed_at.isoformat() if last_confirmed_at else NEVER


def member_emails(actor_ids: Iterable[int]) -> dict[int, list[str]]:
    """E-mail addresses of the reachable members of each actor, in one query."""
    emails: dict[int, set[str]] = defaultdict(set)
    rows = (
        Membership.objects.reachable()
        .filter(actor_id__in=list(actor_ids))
        .values_list("actor_id", "user__email")
    )
    for actor_id, address in rows:
        emails[actor_id].add(address)
    return {actor_id: sorted(addresses) for actor_id, addresses in emails.items()}


# --- The animator's "remind now" ----------------------------------------------------------


def remind_now(*, network: Network, actor_ids: Iterable[int], by: AbstractBaseUser) -> int:
    """The animator's bulk action: a reminder, today, to the members of the chosen published
    actors of its network. Returns how many reminders were recorded (a second click the same
    day records none: one manual reminder per actor and day)."""
    if not can_animate(by, network):
        raise PermissionDenied
    period = f"manual:{timezone.localdate().isoformat()}"
    ids = list(
        Actor.objects.published()
        .in_network(network)
        .filter(pk__in=list(actor_ids))
        .values_list("pk", flat=True)
    )
    recipients = member_emails(ids)
    with transaction.atomic():
        already = set(
            FreshnessNotice.objects.filter(
                kind=Kind.MANUAL_REMINDER, period=period, actor_id__in=ids
            ).values_list("actor_id", flat=True)
        )
        notices = [
            FreshnessNotice(
                actor_id=pk,
                kind=Kind.MANUAL_REMINDER,
                period=period,
                recipients=recipients.get(pk, []),
            )
            for pk in ids
            if pk in recipients and pk not in already
        ]
        FreshnessNotice.objects.bulk_create(notices, ignore_conflicts=True)
        if notices:
            queue_on_commit("directory.tasks.freshness.send_freshness_mail")
    return len(notices)


# --- The daily pass -----------------------------------------------------------------------


@dataclass
class PassReport:
    """What one pass did, for the logs, the management command and the tests."""

    as_of: datetime
    networks: int = 0
    due: int = 0  # actors newly marked "due"
    stale: int = 0  # actors newly marked "stale"
    restored: int = 0  # actors moved back (a relaxed policy, a corrected date)
    notices: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    digests: int = 0  # digests created or completed
    sent: int = 0  # e-mails handed to the mail server
    skipped: int = 0  # notices dropped: the actor was confirmed or unpublished meanwhile

    def as_dict(self) -> dict:
        return {
            "as_of": self.as_of.isoformat(),
            "networks": self.networks,
            "due": self.due,
            "stale": self.stale,
            "restored": self.restored,
            "notices": {str(kind): count for kind, count in self.notices.items()},
            "digests": self.digests,
            "sent": self.sent,
            "skipped": self.skipped,
        }


def run_freshness_pass(as_of: datetime | None = None, *, send: bool = True) -> PassReport:
    """The daily job (Celery beat and `manage.py check_freshness`). Idempotent: a second
    run the same day, or a rerun after a crash, only finishes what is left."""
    as_of = as_of or timezone.now()
    report = PassReport(as_of=as_of)
    for network in Network.objects.order_by("pk"):
        report.networks += 1
        _mark_network(network, network.freshness_policy().thresholds(as_of), report)
    report.digests = gather_digests(day=timezone.localdate(as_of))
    # Before sending: the day's numbers do not depend on the mail server being up.
    take_snapshots(as_of=as_of)
    if send:
        sent, skipped = send_pending()
        report.sent, report.skipped = sent, skipped
    logger.info("freshness pass: %s", report.as_dict())
    return report


def _mark_network(network: Network, t, report: PassReport) -> None:
    published = Actor.objects.published().in_network(network)
    # The order matters: each notice is recorded for actors that were already in the
    # state before this pass, so that nobody gets a reminder and the second reminder, or
    # the stale and archive lines, on the same day. No state change for the second
    # reminder and the archive proposal: the unique (actor, kind, period) row is the claim.
    # A relaxed policy (or a corrected date) moves profiles back, without any e-mail.
    report.restored += _transition(
        published.filter(t.confirmed(Freshness.FRESH)),
        old=(Freshness.DUE, Freshness.STALE),
        new=Freshness.FRESH,
        kind=None,
        with_recipients=False,
        report=report,
    )
    report.restored += _transition(
        published.filter(t.confirmed(Freshness.DUE)),
        old=(Freshness.STALE,),
        new=Freshness.DUE,
        kind=None,
        with_recipients=False,
        report=report,
    )
    _notify_once(
        published.filter(t.to_archive(), freshness=Freshness.STALE),
        kind=Kind.ARCHIVE,
        with_recipients=False,
        report=report,
    )
    # A profile that went past the grace period without a pass (a new policy, a stopped
    # job) goes straight to "stale", without a reminder it could no longer act on.
    report.stale += _transition(
        published.filter(t.confirmed(Freshness.STALE)),
        old=(Freshness.FRESH, Freshness.DUE),
        new=Freshness.STALE,
        kind=Kind.STALE,
        with_recipients=False,
        report=report,
    )
    _notify_once(
        published.filter(freshness=Freshness.DUE, last_confirmed_at__lt=t.second_reminder_before),
        kind=Kind.SECOND_REMINDER,
        with_recipients=True,
        report=report,
    )
    report.due += _transition(
        published.filter(t.confirmed(Freshness.DUE)),
        old=(Freshness.FRESH,),
        new=Freshness.DUE,
        kind=Kind.REMINDER,
        with_recipients=True,
        report=report,
    )
    # A profile marked "due" without its first reminder (moved back from "stale", marked by
    # a migration or seeded so) gets it, unless the second one is already due.
    _notify_once(
        published.filter(
            freshness=Freshness.DUE,
            last_confirmed_at__lt=t.due_before,
            last_confirmed_at__gte=t.second_reminder_before,
        ),
        kind=Kind.REMINDER,
        with_recipients=True,
        report=report,
    )


def _batches(queryset) -> Iterable[list[int]]:
    ids = list(queryset.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), BATCH_SIZE):
        yield ids[start : start + BATCH_SIZE]


def _transition(queryset, *, old, new, kind, with_recipients, report) -> int:
    """Move the actors of `queryset` still in one of the `old` states to `new`, recording
    the notice each move owes (none when `kind` is None), batch by batch; returns how many
    actors moved."""
    moved = 0
    for batch in _batches(queryset.filter(freshness__in=old)):
        with transaction.atomic():
            # Locked and re-read: an actor confirmed since the batch was listed drops out,
            # so no notice is recorded for a cycle that is over.
            rows = list(
                queryset.select_for_update()
                .filter(pk__in=batch, freshness__in=old)
                .values_list("pk", "last_confirmed_at", "freshness")
            )
            if not rows:
                continue
            ids = [pk for pk, _, _ in rows]
            recipients = member_emails(ids) if with_recipients else {}
            notices = [
                FreshnessNotice(
                    actor_id=pk, kind=kind, period=cycle_of(lca), recipients=recipients.get(pk, [])
                )
                for pk, lca, _ in rows
                if kind is not None and (not with_recipients or pk in recipients)
            ]
            FreshnessNotice.objects.bulk_create(notices, ignore_conflicts=True)
            Actor.objects.filter(pk__in=ids, freshness__in=old).update(freshness=new)
            by_old_state = defaultdict(list)
            for pk, _, state in rows:
                by_old_state[state].append(pk)
            for state, pks in by_old_state.items():
                history.record_many(
                    pks,
                    by=None,
                    source=ActorChange.Source.FRESHNESS,
                    changes={"freshness": [_label(state), _label(new)]},
                )
        moved += len(ids)
        if kind is not None:
            report.notices[kind] += len(notices)
    return moved


def _label(state: str) -> str:
    """A state as the history displays it (in the site's language, as the services do)."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(Freshness(state).label)


def _notify_once(queryset, *, kind, with_recipients, report) -> None:
    """Record a notice of `kind` for the current cycle of each actor that has none yet."""
    for batch in _batches(queryset):
        rows = list(queryset.filter(pk__in=batch).values_list("pk", "last_confirmed_at"))
        existing = set(
            FreshnessNotice.objects.filter(kind=kind, actor_id__in=batch).values_list(
                "actor_id", "period"
            )
        )
        missing = [(pk, lca) for pk, lca in rows if (pk, cycle_of(lca)) not in existing]
        if not missing:
            continue
        recipients = member_emails(pk for pk, _ in missing) if with_recipients else {}
        notices = [
            FreshnessNotice(
                actor_id=pk, kind=kind, period=cycle_of(lca), recipients=recipients.get(pk, [])
            )
            for pk, lca in missing
            if not with_recipients or pk in recipients
        ]
        FreshnessNotice.objects.bulk_create(notices, ignore_conflicts=True)
        report.notices[kind] += len(notices)


def gather_digests(*, day: date) -> int:
    """Attach each network's unsent stale/archive notices to its digest (the unsent one, or
    the day's). Notices recorded after the day's digest went out wait for tomorrow's: one
    digest e-mail per network and day."""
    pending = FreshnessNotice.objects.filter(
        kind__in=FreshnessNotice.DIGEST_KINDS, sent_at__isnull=True, digest__isnull=True
    )
    network_ids = set(pending.values_list("actor__network_id", flat=True))
    gathered = 0
    for network in Network.objects.filter(pk__in=network_ids):
        # A digest not sent yet (a crash, a network without animator) takes the new notices:
        # never two digests in the same mailbox on one day.
        digest = (
            FreshnessDigest.objects.filter(network=network, sent_at__isnull=True)
            .order_by("day")
            .first()
        )
        if digest is None:
            digest, _ = FreshnessDigest.objects.get_or_create(network=network, day=day)
        if digest.sent_at is not None:
            continue
        # Conditional: a concurrent pass attaching the same notices cannot take them twice.
        if pending.filter(actor__network=network).update(digest=digest):
            gathered += 1
    return gathered


def take_snapshots(*, as_of: datetime) -> None:
    """Each network's numbers today, for the dashboard's trend (one grouped query)."""
    year_ago = as_of - relativedelta(months=12)
    counts = (
        Actor.objects.published()
        .values("network_id")
        .annotate(
            published=Count("pk"),
            fresh=Count("pk", filter=Q(freshness=Freshness.FRESH)),
            due=Count("pk", filter=Q(freshness=Freshness.DUE)),
            stale=Count("pk", filter=Q(freshness=Freshness.STALE)),
            confirmed_last_year=Count("pk", filter=Q(last_confirmed_at__gte=year_ago)),
        )
        .order_by()
    )
    by_network = {row.pop("network_id"): row for row in counts}
    day = timezone.localdate(as_of)
    empty = {"published": 0, "fresh": 0, "due": 0, "stale": 0, "confirmed_last_year": 0}
    for network_id in Network.objects.values_list("pk", flat=True):
        FreshnessSnapshot.objects.update_or_create(
            network_id=network_id, day=day, defaults=by_network.get(network_id, empty)
        )


# --- Sending, from the records ------------------------------------------------------------


# Notices read (without a lock) per query before being sent one by one.
SEND_CHUNK = 500


def send_pending() -> tuple[int, int]:
    """Send every unsent member notice and digest; returns (sent, skipped).

    Through the outbox's one way of sending (ess_platform.lib.outbox.sending): each e-mail
    in its own transaction, the record locked, re-checked here, sent and closed. A crash
    after the mail server accepted a message and before the commit sends that one message
    again on the next run; nothing is ever lost, nothing else is sent twice. A mail server
    that is down raises: the pass stops and the next run sends what is left.
    """
    sent = skipped = 0
    # One connection to the mail server for the whole run, not one per message.
    with get_connection() as mail_connection:
        pending = (
            FreshnessNotice.objects.filter(
                sent_at__isnull=True, kind__in=FreshnessNotice.MEMBER_KINDS
            )
            .select_related("actor", "actor__commune", "actor__network")
            .order_by("pk")
        )
        last_pk = 0
        while chunk := list(pending.filter(pk__gt=last_pk)[:SEND_CHUNK]):
            for notice in chunk:
                outcome = _send_notice(notice, mail_connection)
                sent += outcome == SENT
                skipped += outcome == SKIPPED
            last_pk = chunk[-1].pk
        digest_ids = FreshnessDigest.objects.filter(sent_at__isnull=True).order_by("pk")
        for pk in list(digest_ids.values_list("pk", flat=True)):
            sent += _send_digest(pk, mail_connection) == SENT
    return sent, skipped


@transaction.atomic
def _send_notice(notice: FreshnessNotice, mail_connection) -> str:
    """Send one notice read beforehand (in bulk, with its actor); the lock and the re-read
    of the actor's cycle and status, in this transaction, are what decide."""
    current = lock_unsent(
        FreshnessNotice.objects, notice.pk, values=("actor__last_confirmed_at", "actor__status")
    )
    if current is None:
        return BUSY  # sent meanwhile, or being sent by another worker
    notice.actor.last_confirmed_at, notice.actor.status = current
    if not _still_owed(notice):
        # The members confirmed (or the profile left the directory) since the notice was
        # recorded: deleted rather than marked sent, so that "last reminder" on the
        # dashboard only ever shows a reminder that went out. The cycle is over, so the
        # pass will not record it again.
        FreshnessNotice.objects.filter(pk=notice.pk).delete()
        return SKIPPED
    actor = notice.actor
    cycle = cycle_of(actor.last_confirmed_at)
    context = {
        "actor": actor,
        "kind": notice.kind,
        "second": notice.kind == Kind.SECOND_REMINDER,
        "manual": notice.kind == Kind.MANUAL_REMINDER,
        "confirm_url": absolute_url(link(actor, cycle, CONFIRM)),
        "update_url": absolute_url(link(actor, cycle, UPDATE)),
        "page_url": absolute_url(actor.get_absolute_url()),
        "max_age_days": settings.FRESHNESS_LINK_MAX_AGE_DAYS,
    }
    message = render_email("directory/freshness/emails/reminder", context)
    return deliver(notice, message, connection=mail_connection)


@transaction.atomic
def _send_digest(pk: int, mail_connection) -> str:
    digest = lock_unsent(FreshnessDigest.objects.select_related("network"), pk)
    if digest is None:
        return BUSY
    notices = list(
        digest.notices.select_related("actor", "actor__commune").order_by("actor__name", "pk")
    )
    # A profile confirmed since it was flagged is left out of the list.
    current = [n for n in notices if _still_owed(n)]
    # Who animates the network now, not when the digest was gathered.
    digest.recipients = digest.network.animator_emails()
    if current and not digest.recipients:
        # Nobody to tell: the digest waits (and gathers the next days' notices) until the
        # network has an animator or a contact address. The dashboard lists them meanwhile.
        logger.warning("freshness digest %s: network %s has no recipient", pk, digest.network_id)
        return BUSY
    if current:
        network = digest.network
        context = {
            "network": network,
            "day": digest.day,
            "stale": [_digest_line(n) for n in current if n.kind == Kind.STALE],
            "archive": [_digest_line(n) for n in current if n.kind == Kind.ARCHIVE],
            "dashboard_url": absolute_url(dashboard_path(network)),
        }
        # One message to all the network's animators: the record is then the message, so
        # "sent once" holds per digest; animators of one network share their work anyway.
        message = render_email("directory/freshness/emails/digest", context)
        outcome = deliver(digest, message, connection=mail_connection)
    else:
        # Every profile of the digest was confirmed meanwhile: closed without an e-mail.
        digest.sent_at, digest.last_error, outcome = timezone.now(), "", SKIPPED
        digest.save(update_fields=["sent_at", "recipients", "last_error"])
    FreshnessNotice.objects.filter(digest=digest).update(
        sent_at=digest.sent_at, last_error=digest.last_error
    )
    return outcome


def _still_owed(notice: FreshnessNotice) -> bool:
    """A notice is void once its cycle is over (the profile was confirmed since) or the
    profile left the directory; a manual reminder is about the day, not a cycle."""
    actor = notice.actor
    if actor.status != Status.PUBLISHED:
        return False
    return notice.kind == Kind.MANUAL_REMINDER or notice.period == cycle_of(actor.last_confirmed_at)


def _digest_line(notice: FreshnessNotice) -> dict:
    actor = notice.actor
    return {
        "name": actor.name,
        "commune": actor.commune.name if actor.commune_id else "",
        "last_confirmed_at": actor.last_confirmed_at,
        "url": absolute_url(actor.get_absolute_url()),
    }


def dashboard_path(network: Network) -> str:
    return reverse("directory:workspace_dashboard", kwargs={"network_slug": network.slug})


# --- One-click links ----------------------------------------------------------------------


@dataclass(frozen=True)
class LinkClaim:
    actor_pk: int
    cycle: str
    action: str


def link_token(actor: Actor, cycle: str, action: str) -> str:
    return sign({"a": actor.pk, "c": cycle, "x": action}, salt=LINK_SALT, compress=True)


def link(actor: Actor, cycle: str, action: str) -> str:
    name = "directory:freshness_confirm" if action == CONFIRM else "directory:freshness_update"
    return reverse(name, kwargs={"slug": actor.slug, "token": link_token(actor, cycle, action)})


def read_link(*, token: str, actor: Actor, action: str) -> LinkClaim:
    """The claim of a link, checked against the actor of the URL and the expected action."""
    max_age = timedelta(days=settings.FRESHNESS_LINK_MAX_AGE_DAYS)
    payload = unsign(token, salt=LINK_SALT, max_age=max_age)
    if not isinstance(payload, dict):
        raise InvalidLink("invalid")
    claim = LinkClaim(
        actor_pk=payload.get("a"), cycle=str(payload.get("c")), action=payload.get("x")
    )
    if claim.actor_pk != actor.pk or claim.action != action:
        raise InvalidLink("invalid")
    return claim


def confirm_from_link(*, actor: Actor, claim: LinkClaim, by: AbstractBaseUser | None) -> bool:
    """Confirm the profile for the link's cycle; False when that cycle was already
    confirmed (the link was used, or a member confirmed another way)."""
    with transaction.atomic():
        actor = Actor.objects.select_for_update().get(pk=actor.pk)
        if cycle_of(actor.last_confirmed_at) != claim.cycle:
            return False
        actor_mark_confirmed(
            actor=actor,
            by=by if by is not None and by.is_authenticated else None,
            note="lien du rappel",
        )
    return True
