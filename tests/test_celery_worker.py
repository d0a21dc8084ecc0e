"""A real Celery worker, fed through the real broker, on the test database.

The `celery_worker_process` fixture is meant to be reused: it exposes the worker's `Popen`
(`worker.process`, e.g. to SIGKILL it mid-task), `kill()`, `restart()` and the directory
where the worker's e-mails land as files (`worker.mail_dir`, read with `worker.emails()`).
"""

import email
import email.message
import email.policy
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

from directory.services.members import join_request_create

# The worker is another process: it needs a database server it can reach (the test
# database, not an in-memory SQLite one) and committed data, hence transaction=True.
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.celery_worker,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

READY_TIMEOUT = 60
MAIL_TIMEOUT = 20
MAIL_SEPARATOR = b"\n" + b"-" * 79 + b"\n"  # written by Django's file-based backend


def worker_database_url() -> str:
    """DATABASE_URL of the database pytest-django created (test_…), for the worker."""
    db = connection.settings_dict
    credentials = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"], safe="")
    host = f"{credentials}@" if credentials else ""
    host += db["HOST"] or "localhost"
    if db["PORT"]:
        host += f":{db['PORT']}"
    return f"postgres://{host}/{quote(db['NAME'], safe='')}"


class CeleryWorker:
    """`celery worker` in a subprocess; its output goes to `log_path`."""

    def __init__(self, *, env: dict[str, str], log_path: Path, mail_dir: Path) -> None:
        self.env = env
        self.log_path = log_path
        self.mail_dir = mail_dir
        # A unique name, so that readiness pings answer for this worker and no other.
        self.nodename = f"test-{uuid.uuid4().hex[:8]}@%h"
        self.process: subprocess.Popen | None = None

    @property
    def command(self) -> list[str]:
        return [
            sys.executable, "-m", "celery", "-A", "ess_platform", "worker",
            "--pool=solo", "--concurrency=1", "-Q", "celery", "--loglevel=INFO",
            "-n", self.nodename,
            # Mingle and gossip only slow the start of a lone worker.
            "--without-mingle", "--without-gossip",
        ]  # fmt: skip

    def start(self, *, timeout: float = READY_TIMEOUT) -> None:
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(  # noqa: S603 - a fixed command line
                self.command,
                cwd=settings.BASE_DIR,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        self.wait_ready(timeout=timeout)

    def wait_ready(self, *, timeout: float = READY_TIMEOUT) -> None:
        from ess_platform.celery import app

        hostname = self.nodename.replace("%h", socket.gethostname())
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"celery worker exited with code {self.process.returncode}\n{self.log_tail()}"
                )
            if app.control.ping(destination=[hostname], timeout=0.5):
                return
        raise TimeoutError(f"celery worker not ready after {timeout} s\n{self.log_tail()}")

    def stop(self, *, timeout: float = 15) -> None:
        """Warm shutdown (SIGTERM: the current task finishes), then SIGKILL if it hangs."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()

    def kill(self) -> None:
        """SIGKILL: the worker dies mid-task, as on an out-of-memory kill or a power cut."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()

    def restart(self, *, timeout: float = READY_TIMEOUT) -> None:
        self.stop()
        self.start(timeout=timeout)

    def log_tail(self, lines: int = 40) -> str:
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        return "\n".join(text.splitlines()[-lines:])

    def emails(self) -> list[email.message.EmailMessage]:
        """The messages written so far (one being written, not ended by its separator yet,
        is left for a later call)."""
        messages = []
        for path in sorted(self.mail_dir.glob("*.log")):
            for raw in path.read_bytes().split(MAIL_SEPARATOR)[:-1]:
                messages.append(email.message_from_bytes(raw, policy=email.policy.default))
        return messages

    def wait_for_email(self, *, to: str, timeout: float = MAIL_TIMEOUT):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for message in self.emails():
                if to in message["To"]:
                    return message
            if self.process.poll() is not None:
                break
            time.sleep(0.2)
        raise AssertionError(f"no e-mail to {to} within {timeout} s\n{self.log_tail()}")


@pytest.fixture
def celery_worker_process(transactional_db, tmp_path):
    """A started worker on the test database; stopped (or killed) after the test."""
    from ess_platform.celery import app

    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ess_platform.settings_test",
        "DATABASE_URL": worker_database_url(),
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "EMAIL_URL": f"file://{mail_dir}",
        "PYTHONUNBUFFERED": "1",
    }
    # Messages left on the broker by an earlier, interrupted run would name rows that do
    # not exist in this database. Only here: restart() must keep what is queued.
    app.control.purge()
    # Other tests may run tasks in-process; these go through the broker. The Celery app
    # reads its configuration once, so override_settings would not reach it.
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    worker = CeleryWorker(env=env, log_path=tmp_path / "worker.log", mail_dir=mail_dir)
    try:
        worker.start()
        yield worker
    finally:
        worker.stop()
        app.conf.task_always_eager = eager


def test_join_request_notifies_the_owner_through_the_worker(
    celery_worker_process, actor, member, user
):
    join_request_create(actor=actor, by=user, message="Je suis bénévole à la recyclerie.")

    message = celery_worker_process.wait_for_email(to=member.email)

    assert "Recyclerie du Port" in message["Subject"]
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert user.email in body
    assert "Je suis bénévole à la recyclerie." in body


def test_restarted_worker_runs_tasks_queued_while_it_was_down(
    celery_worker_process, actor, member, user
):
    celery_worker_process.stop()

    join_request_create(actor=actor, by=user)
    celery_worker_process.restart()

    celery_worker_process.wait_for_email(to=member.email)
