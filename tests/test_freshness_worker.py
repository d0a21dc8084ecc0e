"""The daily freshness pass on the real Celery worker, through Redis, with crashes.

The worker is SIGKILLed in the middle of a pass over a few thousand actors, restarted, and
the pass is run again: every actor must end in the right state and every e-mail must be in
the worker's mail directory exactly once.

Where to kill, so that the tests are deterministic: the pass sends each e-mail in its own
transaction (lock the record, hand the message over, set `sent_at`, commit). A kill in the
instant between the hand-over and the commit would, by design, send that one message again
on the rerun (at-least-once at the single-message boundary, see directory.services.freshness), so a
kill "at a random moment" would make these tests flaky. Instead, each test holds a lock
from a second database connection that makes the worker *wait* at a chosen point, checks
in pg_stat_activity that it is waiting there, and only then kills it:

- during the marking, on a row lock taken on an actor of the second batch: the first batch
  is committed, the second never starts;
- between two sends, on a lock on the notices table taken once some e-mails are out: the
  lock is granted only after the worker committed the message it was sending, and its next
  read of a notice then waits.
"""

import subprocess
import time
from collections import Counter
from datetime import timedelta

import psycopg
import pytest
from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.utils import timezone

from directory.models import Actor, Freshness, FreshnessDigest, FreshnessNotice, Membership, Status
from directory.services import freshness
from directory.tasks.freshness import run_freshness_pass
from tests import test_celery_worker
from tests.test_celery_worker import worker_database_url

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.celery_worker,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# The real worker fixture of tests/test_celery_worker.py, made available to this module.
celery_worker_process = test_celery_worker.celery_worker_process

ACTORS = 2_200  # two marking batches (directory.services.freshness.BATCH_SIZE = 2,000)
STALE_ACTORS = 10
PASS_TIMEOUT = 180
SUCCEEDED = "directory.tasks.freshness.run_freshness_pass["


def create_actors(network, commune, count, *, last_confirmed_at, freshness_state, prefix):
    """`count` published actors, each with one member of its own, in a few inserts."""
    actors = Actor.objects.bulk_create(
        Actor(
            network=network,
            commune=commune,
            name=f"{prefix} {i}",
            slug=f"{prefix}-{i}",
            short_description="Une structure de l'économie sociale et solidaire.",
            legal_form="association",
            lat=commune.lat,
            lon=commune.lon,
            status=Status.PUBLISHED,
            last_confirmed_at=last_confirmed_at,
            freshness=freshness_state,
        )
        for i in range(count)
    )
    users = get_user_model().objects.bulk_create(
        get_user_model()(username=f"{prefix}-m{i}", email=f"{prefix}-m{i}@example.org")
        for i in range(count)
    )
    Membership.objects.bulk_create(
        Membership(user=user, actor=actor) for user, actor in zip(users, actors, strict=True)
    )
    return actors


@pytest.fixture
def due_actors(network, nantes):
    now = timezone.now()
    return create_actors(
        network,
        nantes,
        ACTORS,
        last_confirmed_at=now - relativedelta(months=12) - timedelta(days=3),
        freshness_state=Freshness.FRESH,
        prefix="due",
    )


@pytest.fixture
def stale_actors(network, nantes, animator):
    now = timezone.now()
    return create_actors(
        network,
        nantes,
        STALE_ACTORS,
        last_confirmed_at=now - relativedelta(months=14),
        freshness_state=Freshness.DUE,
        prefix="stale",
    )


@pytest.fixture
def blocker():
    """A second connection to the test database, whose locks hold the worker up."""
    conn = psycopg.connect(worker_database_url())
    yield conn
    conn.close()


def wait_until(condition, *, timeout, what, worker):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}\n{worker.log_tail()}")


def worker_waiting_on_a_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0] > 0


def passes_succeeded(worker) -> int:
    text = worker.log_path.read_text(errors="replace")
    return sum(1 for line in text.splitlines() if SUCCEEDED in line and "succeeded" in line)


def start_busy(worker):
    """Start the worker again. `CeleryWorker.start()` waits for an answer to a ping, which
    a solo worker only gives between two tasks: here the redelivered pass may start at
    once and keep it busy, so wait for its "ready" line in the log instead."""
    ready_lines = worker.log_path.read_text(errors="replace").count(" ready.")
    with worker.log_path.open("ab") as log:
        worker.process = subprocess.Popen(  # noqa: S603 - the fixture's fixed command line
            worker.command,
            cwd=settings.BASE_DIR,
            env=worker.env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    wait_until(
        lambda: worker.log_path.read_text(errors="replace").count(" ready.") > ready_lines,
        timeout=60,
        what="the restarted worker",
        worker=worker,
    )


def finish_after_restart(worker):
    """Restart the killed worker, run the pass again, and wait for both the rerun and the
    redelivery of the task lost with the killed worker (acks_late: it stayed unacked in
    Redis; the short test visibility timeout brings it back within seconds)."""
    start_busy(worker)
    run_freshness_pass.delay()
    wait_until(
        lambda: passes_succeeded(worker) >= 2,
        timeout=PASS_TIMEOUT,
        what="the rerun and the redelivered pass",
        worker=worker,
    )


def recipients_count(worker) -> Counter:
    return Counter(address for message in worker.emails() for address in message["To"].split(", "))


def assert_every_email_exactly_once(worker, actors):
    counts = recipients_count(worker)
    expected = set(
        Membership.objects.filter(actor__in=actors).values_list("user__email", flat=True)
    )
    assert len(expected) == len(actors)
    assert {address: counts[address] for address in expected} == dict.fromkeys(expected, 1)
    assert not FreshnessNotice.objects.filter(sent_at__isnull=True).exists()


def test_the_pass_runs_on_the_worker_and_a_second_run_sends_nothing(
    celery_worker_process, network, nantes, animator
):
    now = timezone.now()
    due = create_actors(
        network,
        nantes,
        5,
        last_confirmed_at=now - relativedelta(months=12) - timedelta(days=3),
        freshness_state=Freshness.FRESH,
        prefix="due",
    )
    create_actors(
        network,
        nantes,
        2,
        last_confirmed_at=now - relativedelta(months=14),
        freshness_state=Freshness.DUE,
        prefix="stale",
    )

    run_freshness_pass.delay()
    run_freshness_pass.delay()
    wait_until(
        lambda: passes_succeeded(celery_worker_process) >= 2,
        timeout=60,
        what="two passes",
        worker=celery_worker_process,
    )

    assert_every_email_exactly_once(celery_worker_process, due)
    digest = [m for m in celery_worker_process.emails() if animator.email in m["To"]]
    assert len(digest) == 1
    assert len(celery_worker_process.emails()) == 6
    assert Actor.objects.filter(freshness=Freshness.STALE).count() == 2


def test_worker_killed_while_marking_then_rerun_marks_and_mails_everyone_once(
    celery_worker_process, due_actors, blocker
):
    worker = celery_worker_process
    ids = sorted(a.pk for a in due_actors)
    second_batch = ids[freshness.BATCH_SIZE]
    blocker.execute("SELECT id FROM directory_actor WHERE id = %s FOR UPDATE", [second_batch])

    run_freshness_pass.delay()
    wait_until(worker_waiting_on_a_lock, timeout=60, what="the second batch", worker=worker)
    worker.kill()
    blocker.rollback()

    # Killed mid-pass: the first batch is marked and its notices recorded, nothing sent.
    assert Actor.objects.filter(freshness=Freshness.DUE).count() == freshness.BATCH_SIZE
    assert FreshnessNotice.objects.count() == freshness.BATCH_SIZE
    assert worker.emails() == []

    finish_after_restart(worker)

    assert Actor.objects.filter(freshness=Freshness.DUE).count() == ACTORS
    assert FreshnessNotice.objects.filter(kind=FreshnessNotice.Kind.REMINDER).count() == ACTORS
    assert_every_email_exactly_once(worker, due_actors)
    assert len(worker.emails()) == ACTORS


def test_worker_killed_between_two_sends_then_rerun_sends_the_rest_once(
    celery_worker_process, due_actors, stale_actors, animator, blocker
):
    worker = celery_worker_process

    run_freshness_pass.delay()
    wait_until(lambda: len(worker.emails()) >= 50, timeout=90, what="first e-mails", worker=worker)
    # Granted once the worker committed the e-mail in hand; its next read of a notice waits.
    blocker.execute("LOCK TABLE directory_freshnessnotice IN ACCESS EXCLUSIVE MODE")
    wait_until(worker_waiting_on_a_lock, timeout=30, what="the next send", worker=worker)
    worker.kill()
    blocker.rollback()

    sent_before_the_kill = len(worker.emails())
    assert 0 < sent_before_the_kill < ACTORS
    assert FreshnessNotice.objects.filter(sent_at__isnull=False).count() == sent_before_the_kill
    assert Actor.objects.filter(freshness=Freshness.DUE).count() == ACTORS

    finish_after_restart(worker)

    assert_every_email_exactly_once(worker, due_actors)
    assert Actor.objects.filter(freshness=Freshness.STALE).count() == STALE_ACTORS
    digests = [m for m in worker.emails() if animator.email in m["To"]]
    assert len(digests) == 1
    assert all(
        actor.name in digests[0].get_body(preferencelist=("plain",)).get_content()
        for actor in stale_actors
    )
    assert FreshnessDigest.objects.get().sent_at is not None
    assert len(worker.emails()) == ACTORS + 1
