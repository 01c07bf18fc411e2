"""Mail survives faults: Redis stopped during a page, a worker killed mid-send, a failing server.

Each test starts a private `redis-server` on a free port of its own (never the
shared one), a real Celery worker against it and a small local SMTP server
that records what it accepted, and can hold a connection or drop it on
purpose. The worker sends through SMTP with short lease and retry settings;
the test stands in for beat by asking for a delivery until what it waits for
has happened.
"""

import contextlib
import os
import shutil
import signal
import socket
import socketserver
import subprocess
import sys
import threading
import time
import uuid

import pytest
from celery import Celery
from django.conf import settings
from django.core import mail
from django.db import transaction

from core import outbox
from core.models import OutgoingMail
from tests import factories
from tests.test_celery_worker import database_url_for_worker

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        shutil.which("redis-server") is None, reason="redis-server is not installed"
    ),
]

DEADLINE_SECONDS = 90
ASK_EVERY_SECONDS = 2


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class PrivateRedis:
    """A redis-server of this test's own, stopped and started again on the same port."""

    def __init__(self, folder):
        self.port = free_port()
        self.folder = folder
        self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(  # noqa: S603 (a fixed command line)
            [
                shutil.which("redis-server"),
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.folder),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_until(self._answers, "the private redis-server to answer", ask=None)

    def _answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as conn:
                conn.sendall(b"PING\r\n")
                return conn.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=15)


class SmtpHandler(socketserver.StreamRequestHandler):
    """Just enough SMTP for smtplib: what is accepted is what got its 250 after DATA."""

    def reply(self, line: str):
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self):
        server = self.server
        self.reply("220 localhost ESMTP test")
        recipients = []
        while True:
            line = self.rfile.readline()
            if not line:
                return
            command = line.decode(errors="replace").strip()
            verb = command.split(" ", 1)[0].upper()
            if verb in ("EHLO", "HELO"):
                self.reply("250 localhost")
            elif verb == "MAIL":
                server.mail_from_seen.set()
                if not server.hold.wait(timeout=0) and server.holding:
                    # Held: the worker waits here until it is killed.
                    server.hold.wait(timeout=DEADLINE_SECONDS)
                    return
                if server.drop_next:
                    server.drop_next = False
                    self.reply("421 closing the connection on purpose")
                    return
                recipients = []
                self.reply("250 OK")
            elif verb == "RCPT":
                recipients.append(command.split(":", 1)[1].strip().strip("<>"))
                self.reply("250 OK")
            elif verb == "DATA":
                self.reply("354 end with .")
                while self.rfile.readline() not in (b".\r\n", b""):
                    pass
                with server.lock:
                    server.accepted.extend(recipients)
                    server.count += 1
                    if server.drop_after_first and server.count == 1:
                        server.drop_next = True
                self.reply("250 accepted")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("250 OK")


class SmtpServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), SmtpHandler)
        self.lock = threading.Lock()
        self.accepted: list[str] = []
        self.count = 0
        self.mail_from_seen = threading.Event()
        self.hold = threading.Event()
        self.holding = False
        self.drop_after_first = False
        self.drop_next = False

    @property
    def port(self) -> int:
        return self.server_address[1]


def wait_until(condition, what, *, ask):
    """Poll `condition`; meanwhile ask for a delivery now and then, as beat does every minute."""
    deadline = time.monotonic() + DEADLINE_SECONDS
    asked = 0.0
    while not condition():
        now = time.monotonic()
        if now > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        if ask is not None and now - asked > ASK_EVERY_SECONDS:
            ask()
            asked = now
        time.sleep(0.1)


@pytest.fixture
def redis_server(tmp_path):
    server = PrivateRedis(tmp_path)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def smtp_server():
    server = SmtpServer()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.hold.set()
    server.shutdown()
    server.server_close()


@pytest.fixture
def ask_delivery(redis_server):
    """Publish `core.tasks.deliver_mail` to the private Redis, as beat does."""
    app = Celery("tejido-fault-test", set_as_current=False)
    app.conf.update(broker_url=redis_server.url, task_serializer="json")

    def ask():
        # Redis may be on its way back: the next ask will do.
        with contextlib.suppress(Exception):
            app.send_task("core.tasks.deliver_mail", ignore_result=True)

    yield ask
    app.close()


@pytest.fixture
def workers(redis_server, smtp_server, tmp_path):
    """Start real workers against the private Redis and the local SMTP server."""
    started = []

    def start():
        name = f"faults-{uuid.uuid4().hex[:8]}"
        log = (tmp_path / f"{name}.log").open("w")
        env = {
            **os.environ,
            "DATABASE_URL": database_url_for_worker(),
            "REDIS_URL": redis_server.url,
            "EMAIL_BACKEND": "core.mail_queue.QueuedEmailBackend",
            "EMAIL_DELIVERY_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(smtp_server.port),
            "EMAIL_USE_TLS": "0",
            "EMAIL_USE_SSL": "0",
            "EMAIL_TIMEOUT": "30",
            "MAIL_OUTBOX_LEASE_SECONDS": "3",
            "MAIL_OUTBOX_RETRY_SECONDS": "1",
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
                f"--hostname={name}@%h",
                "--loglevel=INFO",
            ],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=15)


@pytest.fixture
def pages_on(redis_server, settings):
    """This process's pages publish to, and cache in, the private Redis."""
    from config.celery import app

    saved = {
        name: app.conf[name]
        for name in ("broker_url", "broker_transport_options", "broker_connection_timeout")
    }
    app.conf.update(
        broker_url=redis_server.url,
        broker_transport_options={
            "socket_connect_timeout": 0.5,
            "max_retries": 0,
            "visibility_timeout": 900,
        },
        broker_connection_timeout=0.5,
    )
    app._pool = None
    app.amqp._producer_pool = None
    settings.CACHES = {
        "default": {
            **settings.CACHES["default"],
            "BACKEND": "core.cache.ResilientRedisCache",
            "LOCATION": redis_server.url,
        }
    }
    settings.EMAIL_BACKEND = "core.mail_queue.QueuedEmailBackend"
    settings.SECURE_SSL_REDIRECT = False
    yield
    app.conf.update(saved)
    app._pool = None
    app.amqp._producer_pool = None


def write_mail(*addresses):
    with transaction.atomic():
        outbox.enqueue(
            mail.EmailMessage(subject="Aviso", body="Texto", to=[address]) for address in addresses
        )


def test_redis_stopped_during_a_page_the_page_answers_and_the_mail_arrives_after(
    client, pages_on, redis_server, smtp_server, workers, ask_delivery
):
    user = factories.UserFactory()
    redis_server.stop()

    started = time.monotonic()
    response = client.post("/cuenta/password/reset/", {"email": user.email})
    elapsed = time.monotonic() - started

    assert response.status_code == 302
    assert elapsed < 1, f"the page took {elapsed:.2f} s"
    assert OutgoingMail.objects.pending().count() == 1

    redis_server.start()
    workers()
    wait_until(lambda: user.email in smtp_server.accepted, "the mail", ask=ask_delivery)
    assert smtp_server.accepted == [user.email]


def test_a_worker_killed_mid_send_leaves_a_lease_and_the_message_arrives_once(
    monkeypatch, smtp_server, workers, ask_delivery
):
    monkeypatch.setattr(outbox, "_publish_delivery", lambda: None)
    write_mail("ana@example.org")
    smtp_server.holding = True
    first = workers()
    wait_until(smtp_server.mail_from_seen.is_set, "the worker to start sending", ask=ask_delivery)
    os.killpg(first.pid, signal.SIGKILL)
    first.wait(timeout=15)
    smtp_server.holding = False
    smtp_server.hold.set()
    (row,) = OutgoingMail.objects.all()
    assert row.claimed_by and row.sent_at is None

    workers()
    wait_until(
        lambda: OutgoingMail.objects.filter(sent_at__isnull=False).exists(),
        "the message to be sent after the lease expired",
        ask=ask_delivery,
    )
    assert smtp_server.accepted == ["ana@example.org"]


def test_a_mail_server_failing_after_one_of_three_messages_gets_each_once(
    monkeypatch, smtp_server, workers, ask_delivery
):
    monkeypatch.setattr(outbox, "_publish_delivery", lambda: None)
    addresses = ["ana@example.org", "luis@example.org", "rosa@example.org"]
    write_mail(*addresses)
    smtp_server.drop_after_first = True
    workers()
    wait_until(
        lambda: OutgoingMail.objects.pending().count() == 0,
        "every message to be sent",
        ask=ask_delivery,
    )
    assert sorted(smtp_server.accepted) == addresses
    assert smtp_server.count == 3
