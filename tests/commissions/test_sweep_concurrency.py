"""The lifecycle sweep under real concurrency: PostgreSQL, Redis and worker processes.

Two sweeps at once must close each commission once and mail each notification
once; a worker killed in the middle of a sweep must leave nothing half done.
These need a database where two sessions really run at once, so they run on
PostgreSQL (as in CI) and are skipped on SQLite.
"""

import email
import os
import signal
import subprocess
import sys
import time
import uuid
from datetime import timedelta

import psycopg2
import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from commissions.models import Commission, CommissionMember, CommissionState, StateChange
from commissions.tasks import sweep_commissions
from core.actors import SYSTEM
from core.models import OutgoingMail
from members.models import Notification
from members.tasks import deliver_notifications
from networks.services import appoint_facilitator
from tests import factories
from tests.test_celery_worker import (
    broker,  # noqa: F401 (fixture)
    client_app,  # noqa: F401 (fixture)
    database_url_for_worker,
    stop,
)

COMMISSIONS = 1000
DEADLINE_SECONDS = 120

pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.skipif(
        not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
        reason="concurrent sweeps need PostgreSQL (CI runs them)",
    ),
]


@pytest.fixture
def start_worker(transactional_db, broker, tmp_path):  # noqa: F811
    """Start worker processes on a queue of this test; all are stopped at the end."""
    queue = f"tejido-sweep-{uuid.uuid4().hex}"
    mail_dir = tmp_path / "mail"
    processes = []

    def start(name):
        log = (tmp_path / f"{name}.log").open("w")
        env = {
            **os.environ,
            **broker["env"],
            "DATABASE_URL": database_url_for_worker(),
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(mail_dir),
            "PYTHONUNBUFFERED": "1",
        }
        process = subprocess.Popen(  # noqa: S603 (a fixed command line)
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--pool=solo",
                "--without-heartbeat",
                "--without-mingle",
                "--without-gossip",
                f"--queues={queue}",
                f"--hostname={name}-{queue}@%h",
                "--loglevel=INFO",
            ],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        processes.append((process, tmp_path / f"{name}.log"))
        return process

    start.queue = queue
    start.mail_dir = mail_dir
    try:
        yield start
    finally:
        for process, log in processes:
            stop(process)
            if process.returncode not in (0, -signal.SIGTERM, -signal.SIGKILL):
                print(f"---- {log.name} ----\n" + log.read_text(errors="replace"))


def vacant_commissions(count, *, closes_at):
    network = factories.NetworkFactory(slug="arequipa-concurrency")
    facilitator = factories.UserFactory()
    appoint_facilitator(network=network, user=facilitator, by=SYSTEM)
    member = factories.MembershipFactory(network=network)
    commissions = Commission.objects.bulk_create(
        Commission(
            network=network,
            name=f"Comisión {number}",
            state=CommissionState.VACANT,
            vacant_since=closes_at - timedelta(days=30),
        )
        for number in range(count)
    )
    CommissionMember.objects.bulk_create(
        CommissionMember(network=network, commission=commission, entity=member.entity)
        for commission in commissions
    )
    # The facilitator, the member's representative and its alternate hear of each closing.
    return network, 3 * count


def wait_until(condition, what):
    deadline = time.monotonic() + DEADLINE_SECONDS
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    pytest.fail(f"timed out waiting for {what}")


def mails_sent(mail_dir):
    messages = []
    for path in sorted(mail_dir.glob("*.log")) if mail_dir.exists() else []:
        for chunk in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
            if chunk.strip():
                message = email.message_from_bytes(chunk)
                messages.append(
                    (
                        message["To"],
                        str(
                            email.header.make_header(email.header.decode_header(message["Subject"]))
                        ),
                    )
                )
    return messages


def test_two_concurrent_sweeps_close_each_commission_once_and_mail_each_notice_once(
    start_worker,
    client_app,  # noqa: F811 (the fixture imported above)
    unscoped,
):
    _network, expected_notices = vacant_commissions(
        COMMISSIONS, closes_at=timezone.now() - timedelta(days=1)
    )
    start_worker("first")
    start_worker("second")
    results = [
        client_app.send_task(sweep_commissions.name, queue=start_worker.queue) for _ in range(2)
    ]
    closed = [result.get(timeout=DEADLINE_SECONDS)["closed"] for result in results]
    assert sorted(closed) in ([0, COMMISSIONS], [COMMISSIONS, 0]) or sum(closed) == COMMISSIONS

    assert Commission.objects.filter(state=CommissionState.CLOSED).count() == COMMISSIONS
    assert StateChange.objects.filter(to_state=CommissionState.CLOSED).count() == COMMISSIONS
    assert Notification.objects.count() == expected_notices

    deliveries = [
        client_app.send_task(deliver_notifications.name, queue=start_worker.queue) for _ in range(2)
    ]
    assert len(deliveries) == 2  # they keep no result: what they did is in the database
    wait_until(
        lambda: (
            not Notification.objects.filter(emailed_at__isnull=True).exists()
            and OutgoingMail.objects.count() == expected_notices
            and not OutgoingMail.objects.pending().exists()
        ),
        "every notification to be mailed",
    )
    mails = mails_sent(start_worker.mail_dir)
    assert len(mails) == expected_notices
    assert len(set(mails)) == expected_notices


def test_a_worker_killed_during_the_sweep_leaves_nothing_half_done(
    start_worker,
    client_app,  # noqa: F811 (the fixture imported above)
    unscoped,
):
    _network, expected_notices = vacant_commissions(
        COMMISSIONS, closes_at=timezone.now() - timedelta(days=1)
    )
    last = Commission.objects.order_by("-pk").first()
    # Another session holds one row, so the worker's closing UPDATE stops on it
    # with the rows before it already taken in its open transaction.
    db = connection.settings_dict
    credentials = {
        "dbname": db["NAME"],
        "user": db["USER"],
        "host": db["HOST"],
        "port": db["PORT"] or 5432,
    }
    blocker = psycopg2.connect(**credentials)
    # Activity is read from a session of its own: PostgreSQL keeps one snapshot
    # of pg_stat_activity per transaction.
    observer = psycopg2.connect(**credentials)
    observer.autocommit = True

    sweep_sessions = (
        "SELECT count(*) FROM pg_stat_activity WHERE datname = %s "
        "AND query LIKE 'UPDATE \"commissions_commission\"%%' "
    )

    def count(query):
        with observer.cursor() as cursor:
            cursor.execute(query, [db["NAME"]])
            return cursor.fetchone()[0]

    try:
        with blocker.cursor() as cursor:
            cursor.execute(
                "SELECT id FROM commissions_commission WHERE id = %s FOR UPDATE", [last.pk]
            )
        worker = start_worker("doomed")
        client_app.send_task(sweep_commissions.name, queue=start_worker.queue)
        wait_until(
            lambda: count(sweep_sessions + "AND wait_event_type = 'Lock'") == 1,
            "the sweep to wait on the locked row",
        )
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)
        blocker.rollback()
        # The orphaned session finishes its statement, finds its client gone
        # and rolls back: nothing it did is kept.
        wait_until(
            lambda: count(sweep_sessions + "AND state <> 'idle'") == 0,
            "the killed worker's session to end",
        )
    finally:
        blocker.close()
        observer.close()

    assert Commission.objects.filter(state=CommissionState.VACANT).count() == COMMISSIONS
    assert not StateChange.objects.exists()
    assert not Notification.objects.exists()

    start_worker("rescuer")
    result = client_app.send_task(sweep_commissions.name, queue=start_worker.queue)
    assert result.get(timeout=DEADLINE_SECONDS)["closed"] == COMMISSIONS
    assert StateChange.objects.filter(to_state=CommissionState.CLOSED).count() == COMMISSIONS
    assert Notification.objects.count() == expected_notices
