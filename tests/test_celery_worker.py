"""A real Celery worker, in its own process, runs a task against the test database.

With REDIS_URL set (as in CI) the message and its result cross Redis; without
it they go through the file-system broker of the embedded default, in a
directory of this test's own.
"""

import os
import signal
import subprocess
import sys
import time
import uuid
from urllib.parse import quote

import pytest
from celery import Celery
from celery.exceptions import TimeoutError as CeleryTimeoutError
from django.conf import settings
from django.db import connection

from facilitation.tasks import count_members
from members.models import MembershipStatus
from tests import factories

WORKER_DEADLINE_SECONDS = 90
WORKER_STOP_SECONDS = 15


def database_url_for_worker():
    """The URL of the database this test writes to (the test database, not the default)."""
    db = connection.settings_dict
    if db["ENGINE"] == "django.db.backends.sqlite3":
        assert db["NAME"] != ":memory:" and "mode=memory" not in str(db["NAME"]), (
            "the worker cannot see an in-memory database"
        )
        return f"sqlite:///{os.path.abspath(db['NAME'])}"
    if db["ENGINE"] == "django.db.backends.postgresql":
        credentials = quote(db["USER"] or "", safe="")
        if db["PASSWORD"]:
            credentials += ":" + quote(db["PASSWORD"], safe="")
        host = db["HOST"] or "localhost"
        port = f":{db['PORT']}" if db["PORT"] else ""
        return f"postgres://{credentials}@{host}{port}/{quote(db['NAME'], safe='')}"
    raise AssertionError(f"no worker URL for {db['ENGINE']}")


@pytest.fixture
def broker(tmp_path):
    """Where the test and its worker exchange messages and results."""
    if settings.REDIS_URL:
        return {"env": {}, "broker_url": settings.REDIS_URL, "result_backend": settings.REDIS_URL}
    folder = tmp_path / "celery"
    for name in ("queue", "control", "results"):
        (folder / name).mkdir(parents=True)
    return {
        "env": {"CELERY_BROKER_DIR": str(folder)},
        "broker_url": "filesystem://localhost/",
        "result_backend": f"file://{folder / 'results'}",
        "broker_transport_options": {
            "data_folder_in": str(folder / "queue"),
            "data_folder_out": str(folder / "queue"),
            "control_folder": str(folder / "control"),
        },
    }


@pytest.fixture
def client_app(broker):
    """A Celery client configured like the worker, independent of the project's app state."""
    app = Celery("tejido-test-client", set_as_current=False)
    app.conf.update(
        broker_url=broker["broker_url"],
        result_backend=broker["result_backend"],
        broker_transport_options=broker.get("broker_transport_options", {}),
        task_serializer="json",
        result_serializer="json",
        accept_content=["json"],
    )
    yield app
    app.close()


@pytest.fixture
def worker(transactional_db, broker, tmp_path):
    """Start `celery -A config worker` on a queue of its own; stop it however the test ends."""
    queue = f"tejido-test-{uuid.uuid4().hex}"
    log_path = tmp_path / "worker.log"
    env = {
        **os.environ,
        **broker["env"],
        "DATABASE_URL": database_url_for_worker(),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "PYTHONUNBUFFERED": "1",
    }
    command = [
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
        f"--hostname={queue}@%h",
        "--loglevel=INFO",
    ]
    with log_path.open("w") as log:
        process = subprocess.Popen(  # noqa: S603 (a fixed command line)
            command,
            cwd=settings.BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    handle = {"queue": queue, "process": process, "log": log_path}
    try:
        yield handle
    finally:
        stop(process)
        if handle.get("failed"):
            print("---- worker log ----\n" + log_path.read_text(errors="replace"))


def stop(process):
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=WORKER_STOP_SECONDS)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=WORKER_STOP_SECONDS)


def wait_for_result(result, worker):
    """The task's return value, as soon as it comes; fail early if the worker dies."""
    deadline = time.monotonic() + WORKER_DEADLINE_SECONDS
    while time.monotonic() < deadline:
        try:
            return result.get(timeout=1, interval=0.1)
        except CeleryTimeoutError:
            if worker["process"].poll() is not None:
                worker["failed"] = True
                pytest.fail(f"the worker exited with {worker['process'].returncode}")
    worker["failed"] = True
    pytest.fail(f"no result within {WORKER_DEADLINE_SECONDS} s")


@pytest.mark.celery_worker
def test_worker_process_counts_members_from_the_same_database(worker, client_app, unscoped):
    network = factories.NetworkFactory(slug="piura", region="Piura")
    other = factories.NetworkFactory(slug="tumbes", region="Tumbes")
    factories.MembershipFactory.create_batch(3, network=network)
    factories.MembershipFactory(network=network, status=MembershipStatus.APPLIED)
    factories.MembershipFactory.create_batch(5, network=other)
    factories.CommissionFactory(network=network)

    result = client_app.send_task(count_members.name, args=[network.pk], queue=worker["queue"])
    try:
        counts = wait_for_result(result, worker)
        assert counts == {
            "network": "piura",
            "memberships": {"active": 3, "applied": 1},
            "commissions": {"active": 1},
        }
    except BaseException:
        worker["failed"] = True
        raise
    # The worker prints its banner before it takes any message.
    log = worker["log"].read_text(errors="replace")
    if settings.REDIS_URL:
        # In CI the message and the result really went through Redis.
        assert client_app.connection_for_write().transport.driver_type == "redis"
        assert type(result.backend).__name__ == "RedisBackend"
        assert "transport:   redis://" in log
    else:
        assert "transport:   filesystem://" in log


def test_count_members_reads_only_the_given_network(db):
    network = factories.NetworkFactory()
    other = factories.NetworkFactory()
    factories.MembershipFactory.create_batch(2, network=network)
    factories.MembershipFactory(network=other, status=MembershipStatus.SUSPENDED)

    counts = count_members(network.pk)

    assert counts == {"network": network.slug, "memberships": {"active": 2}, "commissions": {}}
