"""Mail never makes a page wait: pages write it to the outbox, the worker sends it."""

import smtplib
from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.db import transaction
from django.utils import timezone

from core import outbox, tasks
from core.mail import delivery_connection
from core.mail_queue import QueuedEmailBackend
from core.models import OutgoingMail

LOCMEM = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def queued_mail(settings, monkeypatch):
    """The production set-up: pages write mail to the outbox, the worker delivers it to locmem.

    Returns the deliveries asked for (one per commit that wrote mail).
    """
    settings.EMAIL_BACKEND = "core.mail_queue.QueuedEmailBackend"
    settings.EMAIL_DELIVERY_BACKEND = LOCMEM
    asked = []
    monkeypatch.setattr(outbox, "_publish_delivery", lambda: asked.append(True))
    return asked


def _rich_message():
    message = mail.EmailMultiAlternatives(
        subject="Acta de la plenaria",
        body="Texto plano",
        from_email="Tejido <no-reply@example.org>",
        to=["ana@example.org"],
        cc=["copia@example.org"],
        bcc=["oculta@example.org"],
        reply_to=["facilitacion@example.org"],
        headers={"X-Tejido-Network": "arequipa"},
    )
    message.attach_alternative("<p>Texto <strong>HTML</strong></p>", "text/html")
    message.attach("acta.pdf", b"%PDF-1.4 \x00\xff binary", "application/pdf")
    message.attach("notas.txt", "Notas en texto: ñandú", "text/plain")
    return message


@pytest.mark.django_db
def test_queued_backend_sends_nothing_itself_and_writes_one_row_per_message(
    queued_mail, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        sent = QueuedEmailBackend().send_messages([_rich_message(), _rich_message()])
    assert sent == 2
    assert OutgoingMail.objects.pending().count() == 2
    assert queued_mail == [True]
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_delivery_is_asked_for_after_the_commit(queued_mail):
    with transaction.atomic():
        _rich_message().send()
        assert queued_mail == []
    assert queued_mail == [True]


@pytest.mark.django_db(transaction=True)
def test_mail_of_a_rolled_back_transaction_does_not_exist(queued_mail):
    with pytest.raises(RuntimeError), transaction.atomic():
        _rich_message().send()
        raise RuntimeError("the change failed")
    assert queued_mail == []
    assert not OutgoingMail.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_broker_that_is_down_fails_no_page(settings, monkeypatch):
    settings.EMAIL_BACKEND = "core.mail_queue.QueuedEmailBackend"

    def broker_down(*args, **options):
        raise ConnectionRefusedError("no broker")

    monkeypatch.setattr(outbox.current_app, "send_task", broker_down)
    with transaction.atomic():
        _rich_message().send()
    assert OutgoingMail.objects.pending().count() == 1


@pytest.mark.django_db
def test_worker_delivers_the_message_whole_through_the_delivery_backend(queued_mail):
    _rich_message().send()

    assert tasks.deliver_mail() == 1

    (delivered,) = mail.outbox
    assert delivered.subject == "Acta de la plenaria"
    assert delivered.body == "Texto plano"
    assert delivered.from_email == "Tejido <no-reply@example.org>"
    assert delivered.to == ["ana@example.org"]
    assert delivered.cc == ["copia@example.org"]
    assert delivered.bcc == ["oculta@example.org"]
    assert delivered.reply_to == ["facilitacion@example.org"]
    assert delivered.extra_headers["X-Tejido-Network"] == "arequipa"
    assert delivered.alternatives[0][:] == ("<p>Texto <strong>HTML</strong></p>", "text/html")
    assert [tuple(a) for a in delivered.attachments] == [
        ("acta.pdf", b"%PDF-1.4 \x00\xff binary", "application/pdf"),
        ("notas.txt", "Notas en texto: ñandú", "text/plain"),
    ]
    rendered = delivered.message().as_string()
    assert "multipart/alternative" in rendered
    (row,) = OutgoingMail.objects.all()
    assert row.sent_at is not None and row.claimed_until is None
    assert tasks.deliver_mail() == 0


def test_delivery_connection_skips_the_queue_only_when_mail_is_queued(settings):
    settings.EMAIL_BACKEND = "core.mail_queue.QueuedEmailBackend"
    settings.EMAIL_DELIVERY_BACKEND = LOCMEM
    assert type(delivery_connection()).__module__ == "django.core.mail.backends.locmem"
    settings.EMAIL_BACKEND = "tests.members.failing_mail.FailingBackend"
    assert type(delivery_connection()).__name__ == "FailingBackend"


def test_default_settings_queue_mail_and_deliver_by_smtp_without_debug():
    import subprocess
    import sys

    code = (
        "import django, os;"
        "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings');"
        "from django.conf import settings;"
        "print(settings.EMAIL_BACKEND, settings.EMAIL_DELIVERY_BACKEND)"
    )
    env = {"SECRET_KEY": "x", "PATH": "/usr/bin:/bin"}
    output = subprocess.run(  # noqa: S603 (a fixed command line)
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout.split()
    assert output == [
        "core.mail_queue.QueuedEmailBackend",
        "django.core.mail.backends.smtp.EmailBackend",
    ]


@pytest.mark.django_db
def test_a_subject_with_a_line_break_is_queued_and_delivered_on_one_line(queued_mail):
    message = mail.EmailMessage(
        subject="Taller\r\nBcc: todos@example.org",
        body="Texto",
        from_email="Red\nArequipa <no-reply@example.org>",
        to=["Ana\nQuispe <ana@example.org>"],
        headers={"X-Tejido-Network": "arequipa\r\nX-Injected: 1"},
    )
    message.send()
    assert OutgoingMail.objects.get().subject == "Taller Bcc: todos@example.org"

    assert outbox.deliver() == 1

    (delivered,) = mail.outbox
    rendered = delivered.message()
    assert delivered.subject == "Taller Bcc: todos@example.org"
    assert rendered["Bcc"] is None and rendered["X-Injected"] is None
    assert delivered.recipients() == ["Ana Quispe <ana@example.org>"]
    assert delivered.from_email == "Red Arequipa <no-reply@example.org>"


@pytest.mark.django_db
def test_a_message_queued_by_an_older_release_is_cleaned_and_sent(settings):
    settings.EMAIL_BACKEND = "core.mail_queue.QueuedEmailBackend"
    settings.EMAIL_DELIVERY_BACKEND = LOCMEM
    payload = {
        "subject": "Acta\nde la plenaria",
        "body": "b",
        "from_email": None,
        "to": ["ana@example.org"],
        "cc": [],
        "bcc": [],
        "reply_to": [],
        "headers": {},
        "alternatives": [],
        "attachments": [],
    }
    assert tasks.send_email.name == "members.tasks.send_email"
    assert tasks.send_email(payload) == 1
    assert mail.outbox[0].subject == "Acta de la plenaria"


def test_the_mail_tasks_share_the_one_retry_policy():
    from core.jobs import MailJob
    from members.tasks import deliver_notifications

    assert isinstance(deliver_notifications, MailJob)
    assert tasks.deliver_mail.acks_late and tasks.deliver_mail.ignore_result


# Delivery: leases, one row at a time, failures and backoff.


def _messages(count):
    return [
        mail.EmailMessage(subject=f"Mensaje {n}", body="b", to=[f"persona{n}@example.org"])
        for n in range(count)
    ]


class DropsAfterOne(LocmemBackend):
    """A mail server that takes one message per connection and then drops it."""

    def open(self):
        self.taken = 0
        return super().open()

    def send_messages(self, messages):
        if getattr(self, "taken", 0) >= 1:
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        self.taken = getattr(self, "taken", 0) + 1
        return super().send_messages(messages)


@pytest.mark.django_db
def test_a_server_that_drops_the_connection_after_one_of_three_sends_each_once(
    queued_mail, settings
):
    settings.EMAIL_DELIVERY_BACKEND = "tests.test_mail.DropsAfterOne"
    with transaction.atomic():
        mail.get_connection().send_messages(_messages(3))
    moment = timezone.now()
    for _run in range(5):
        outbox.deliver(now=moment)
        moment += timedelta(minutes=5)
    assert sorted(message.to[0] for message in mail.outbox) == [
        "persona0@example.org",
        "persona1@example.org",
        "persona2@example.org",
    ]
    assert OutgoingMail.objects.filter(sent_at__isnull=False, attempts=0).count() == 3


@pytest.mark.django_db
def test_a_lease_held_by_a_worker_that_died_expires_and_the_row_is_sent_once(queued_mail, settings):
    _messages(1)[0].send()
    now = timezone.now()
    # A worker took the row and died before the server accepted the message.
    assert len(outbox._claim("dead-worker", now)) == 1
    assert outbox.deliver(now=now + timedelta(minutes=1)) == 0
    lease = timedelta(seconds=settings.MAIL_OUTBOX_LEASE_SECONDS)
    assert outbox.deliver(now=now + lease + timedelta(seconds=1)) == 1
    assert outbox.deliver(now=now + 2 * lease) == 0
    assert [message.to for message in mail.outbox] == [["persona0@example.org"]]


@pytest.mark.django_db
def test_a_refused_message_waits_longer_after_each_failure(queued_mail, settings):
    settings.EMAIL_DELIVERY_BACKEND = "tests.members.failing_mail.RefusingBackend"
    mail.EmailMessage(subject="s", body="b", to=["nadie@refused.example.org"]).send()
    now = timezone.now()
    outbox.deliver(now=now)
    row = OutgoingMail.objects.get()
    assert row.attempts == 1 and row.available_at == now + outbox.backoff(1)
    outbox.deliver(now=now + outbox.backoff(1) - timedelta(seconds=1))
    assert OutgoingMail.objects.get().attempts == 1
    outbox.deliver(now=row.available_at)
    row = OutgoingMail.objects.get()
    assert row.attempts == 2 and outbox.backoff(2) == 2 * outbox.backoff(1)


@pytest.mark.django_db
def test_a_keyed_message_is_written_once():
    assert outbox.enqueue(_messages(1), keys=["recordatorio:1"]) == 1
    assert outbox.enqueue(_messages(1), keys=["recordatorio:1"]) == 0
    assert OutgoingMail.objects.count() == 1
