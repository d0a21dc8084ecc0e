"""The daily freshness pass under load, for scripts/bench.py (`make bench`).

On the loaded database, a share of the benchmark network's actors is moved back in time so
that one pass marks them due or stale and owes their e-mails; the pass is timed and its
queries counted (marking apart from sending), then the actors are put back as they were.
Django is set up by the caller.
"""

import os
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.db import connection

from directory.models import Actor, Network
from directory.seed import bench as bench_seed
from directory.services import freshness
from directory.services.freshness import BATCH_SIZE

BATCH_SIZE_TEXT = f"{BATCH_SIZE:,}"

JOB_BUDGET_S = 30.0
JOB_CHANGES = 10_000  # 5 % of 200,000 actors change state
JOB_SMALL_CHANGES = 1_000
JOB_PREFIX = "bench-freshness"


@dataclass
class JobRun:
    changes: int
    seconds: float
    queries: int
    send_queries: int
    send_seconds: float
    report: dict

    @property
    def marking_queries(self) -> int:
        return self.queries - self.send_queries


def _job_scenario(changes: int) -> tuple[list[tuple], list[int]]:
    """Yesterday's state for `changes` fresh actors of the benchmark network: half were
    confirmed 12 months and 3 days ago (they become due today; each has a member, who gets
    a reminder), half were due and confirmed 13 months and 3 days ago (they become stale
    today and go into the animators' digest). Returns what to restore and the users made."""
    from dateutil.relativedelta import relativedelta
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from directory.models import Freshness, Membership

    now = timezone.now()
    candidates = list(
        Actor.objects.published()
        .filter(
            network__slug=bench_seed.BENCH_NETWORK_SLUG,
            freshness=Freshness.FRESH,
            last_confirmed_at__gte=now - relativedelta(months=6),
        )
        .order_by("pk")
        .values_list("pk", "last_confirmed_at", "freshness")[:changes]
    )
    half = len(candidates) // 2
    due_ids = [pk for pk, _, _ in candidates[:half]]
    stale_ids = [pk for pk, _, _ in candidates[half:]]
    Actor.objects.filter(pk__in=due_ids).update(
        last_confirmed_at=now - relativedelta(months=12) - timedelta(days=3),
        freshness=Freshness.FRESH,
    )
    Actor.objects.filter(pk__in=stale_ids).update(
        last_confirmed_at=now - relativedelta(months=13) - timedelta(days=3),
        freshness=Freshness.DUE,
    )
    User = get_user_model()
    users = User.objects.bulk_create(
        User(username=f"{JOB_PREFIX}-{pk}", email=f"{JOB_PREFIX}-{pk}@example.org")
        for pk in due_ids
    )
    Membership.objects.bulk_create(
        Membership(user=user, actor_id=pk) for user, pk in zip(users, due_ids, strict=True)
    )
    animator, _ = User.objects.get_or_create(
        username=f"{JOB_PREFIX}-animator", defaults={"email": f"{JOB_PREFIX}@example.org"}
    )
    Network.objects.get(slug=bench_seed.BENCH_NETWORK_SLUG).animators.add(animator)
    return candidates, [u.pk for u in users] + [animator.pk]


def _job_restore(candidates: list[tuple], user_ids: list[int], started) -> None:
    """Put the benchmark data back as it was (the actors' dates and states; the notices,
    digests, snapshots, history and accounts the run made)."""
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from directory.models import ActorChange, FreshnessDigest, FreshnessNotice, FreshnessSnapshot

    ids = [pk for pk, _, _ in candidates]
    with transaction.atomic():
        for pk, confirmed, state in candidates:
            Actor.objects.filter(pk=pk).update(last_confirmed_at=confirmed, freshness=state)
        FreshnessNotice.objects.filter(actor_id__in=ids).delete()
        FreshnessDigest.objects.filter(created_at__gte=started).delete()
        FreshnessSnapshot.objects.filter(day=started.date()).delete()
        ActorChange.objects.filter(actor_id__in=ids, at__gte=started).delete()
        get_user_model().objects.filter(pk__in=user_ids).delete()


class QueryCounter:
    """Counts the SQL queries run on the connection (no cap, unlike the debug query log,
    which keeps the last 9,000)."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def _job_run(changes: int) -> JobRun:
    from django.core import mail
    from django.utils import timezone

    started = timezone.now()
    candidates, user_ids = _job_scenario(changes)
    mail.outbox = []
    real_send = freshness.send_pending
    sending = QueryCounter()

    send_seconds = []

    def counted_send():
        start = time.perf_counter()
        with connection.execute_wrapper(sending):
            result = real_send()
        send_seconds.append(time.perf_counter() - start)
        return result

    try:
        freshness.send_pending = counted_send
        counter = QueryCounter()
        with connection.execute_wrapper(counter):
            start = time.perf_counter()
            report = freshness.run_freshness_pass()
            seconds = time.perf_counter() - start
        return JobRun(
            changes=len(candidates),
            seconds=seconds,
            queries=counter.count,
            send_queries=sending.count,
            send_seconds=send_seconds[0],
            report={**report.as_dict(), "emails": len(mail.outbox)},
        )
    finally:
        freshness.send_pending = real_send
        mail.outbox = []
        _job_restore(candidates, user_ids, started)


def bench_freshness() -> tuple[list[str], dict]:
    """Time one full daily pass with JOB_CHANGES actors changing state, then count the
    queries of the same pass with JOB_SMALL_CHANGES."""
    from django.conf import settings

    # bench.sh sets EMAIL_URL=locmem://: never send real e-mails from a benchmark.
    assert settings.EMAIL_BACKEND.endswith("locmem.EmailBackend"), settings.EMAIL_BACKEND
    # Bring the database to a steady state first: what an earlier day's pass would have
    # done (marks and notices matching the seeded dates), so that only today's changes
    # remain for the timed pass.
    start = time.perf_counter()
    warm = freshness.run_freshness_pass()
    warm_seconds = time.perf_counter() - start
    print(f"  freshness: steady-state pass {warm_seconds:.1f} s: {warm.as_dict()}", flush=True)

    big = _job_run(JOB_CHANGES)
    print(f"  freshness: {big}", flush=True)
    small = _job_run(JOB_SMALL_CHANGES)
    print(f"  freshness: {small}", flush=True)
    verdict = "OK" if big.seconds <= JOB_BUDGET_S else "**FAIL**"
    emails_big, emails_small = big.report["emails"], small.report["emails"]
    per_email = (big.send_queries - small.send_queries) / max(1, emails_big - emails_small)
    lines = [
        "| actors changing state | e-mails | time s | of which sending s | queries "
        "| marking, digest, snapshots | sending | budget s | OK? |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|:---:|",
        f"| {big.changes:,} | {emails_big:,} | {big.seconds:.1f} | {big.send_seconds:.1f} "
        f"| {big.queries:,} | {big.marking_queries:,} | {big.send_queries:,} "
        f"| {JOB_BUDGET_S:.0f} | {verdict} |",
        f"| {small.changes:,} | {emails_small:,} | {small.seconds:.1f} "
        f"| {small.send_seconds:.1f} | {small.queries:,} | {small.marking_queries:,} "
        f"| {small.send_queries:,} | — | — |",
    ]
    figures = {
        "big": big,
        "small": small,
        "per_email": per_email,
        "warm_seconds": warm_seconds,
        "verdict": verdict,
    }
    return lines, figures


def job_section(lines: list[str], figures: dict) -> list[str]:
    big, small = figures["big"], figures["small"]
    return [
        "## The daily freshness job",
        "",
        f"One full daily pass (`directory.services.freshness.run_freshness_pass`, the Celery"
        f" beat task and `manage.py check_freshness`) over the"
        f" {Actor.objects.published().count():,} published actors, with the locmem e-mail"
        f" backend. Before it, half of the actors that"
        f" change state were confirmed 12 months and 3 days ago (they become *due*; each has"
        f" a member, who gets a reminder) and half were *due* and confirmed 13 months and 3"
        f" days ago (they become *stale* and go into the animators' digest).",
        "",
        *lines,
        "",
        f"*marking, digest, snapshots*: the queries that do not depend on e-mails: they grow"
        f" with the number of networks and of batches of {BATCH_SIZE_TEXT} actors changing"
        f" state ({big.marking_queries} for {big.changes:,} changes, {small.marking_queries}"
        f" for {small.changes:,}), never with the number of actors in the database (the"
        f" tests compare 20 and 200 actors: the same count). *sending*: each e-mail is sent"
        f" in its own transaction (lock, re-check, send, mark sent, commit), about"
        f" {figures['per_email']:.1f} queries per e-mail, which is what bounds a crash to at"
        f" most one e-mail sent twice. The data is restored after each run. Before the timed"
        f" runs, one pass brings the seeded data to a steady state"
        f" ({figures['warm_seconds']:.1f} s). Measured on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC,"
        f" load average at the end {os.getloadavg()[0]:.1f} (other work on the machine slows"
        f" the sending, which waits on the database for each e-mail).",
        "",
    ]
