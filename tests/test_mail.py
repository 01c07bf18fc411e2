"""Mail never makes a page wait: pages queue, the worker sends."""

import pytest
from django.core import mail
from django.db import transaction

from core import tasks
from core.mail import delivery_connection
from core.mail_queue import QueuedEmailBackend

LOCMEM = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def queued_mail(settings, monkeypatch):
    """The production set-up: pages queue mail, the worker delivers it to locmem."""
    settings.EMAIL_BACKEND = "core.mail_queue.QueuedEmailBackend"
    settings.EMAIL_DELIVERY_BACKEND = LOCMEM
    enqueued = []
    monkeypatch.setattr(tasks.send_email, "delay", enqueued.append)
    return enqueued


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
def test_queued_backend_sends_nothing_itself_and_enqueues_one_task_per_message(
    queued_mail, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        sent = QueuedEmailBackend().send_messages([_rich_message(), _rich_message()])
    assert sent == 2
    assert len(queued_mail) == 2
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_queued_backend_waits_for_the_commit(queued_mail):
    with transaction.atomic():
        _rich_message().send()
        assert queued_mail == []
    assert len(queued_mail) == 1


@pytest.mark.django_db(transaction=True)
def test_queued_backend_drops_mail_of_a_rolled_back_transaction(queued_mail):
    with pytest.raises(RuntimeError), transaction.atomic():
        _rich_message().send()
        raise RuntimeError("the change failed")
    assert queued_mail == []


@pytest.mark.django_db
def test_worker_delivers_the_message_whole_through_the_delivery_backend(
    queued_mail, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _rich_message().send()
    (payload,) = queued_mail

    assert tasks.send_email(payload) == 1

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


@pytest.mark.django_db
def test_the_payload_is_plain_json(queued_mail, django_capture_on_commit_callbacks):
    import json

    with django_capture_on_commit_callbacks(execute=True):
        _rich_message().send()
    assert json.loads(json.dumps(queued_mail[0])) == queued_mail[0]


def test_mail_task_retries_when_the_mail_server_is_down(settings):
    settings.EMAIL_BACKEND = "core.mail_queue.QueuedEmailBackend"
    settings.EMAIL_DELIVERY_BACKEND = "tests.members.failing_mail.FailingBackend"
    assert OSError in tasks.send_email.autoretry_for
    assert tasks.send_email.acks_late
    with pytest.raises(OSError):
        tasks.send_email.run(
            {
                "subject": "s",
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
        )


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
def test_a_subject_with_a_line_break_is_queued_and_delivered_on_one_line(
    queued_mail, django_capture_on_commit_callbacks
):
    message = mail.EmailMessage(
        subject="Taller\r\nBcc: todos@example.org",
        body="Texto",
        from_email="Red\nArequipa <no-reply@example.org>",
        to=["Ana\nQuispe <ana@example.org>"],
        headers={"X-Tejido-Network": "arequipa\r\nX-Injected: 1"},
    )
    with django_capture_on_commit_callbacks(execute=True):
        message.send()
    (payload,) = queued_mail
    assert payload["subject"] == "Taller Bcc: todos@example.org"

    assert tasks.send_email(payload) == 1

    (delivered,) = mail.outbox
    rendered = delivered.message()
    assert delivered.subject == "Taller Bcc: todos@example.org"
    assert rendered["Bcc"] is None and rendered["X-Injected"] is None
    assert delivered.recipients() == ["Ana Quispe <ana@example.org>"]
    assert delivered.from_email == "Red Arequipa <no-reply@example.org>"


def test_a_payload_queued_before_headers_were_cleaned_is_cleaned_by_the_worker(settings):
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
    assert tasks.send_email(payload) == 1
    assert mail.outbox[0].subject == "Acta de la plenaria"


def test_the_mail_tasks_share_the_one_retry_policy():
    from core.jobs import MailJob
    from members.tasks import deliver_notifications

    assert isinstance(tasks.send_email, MailJob)
    assert isinstance(deliver_notifications, MailJob)
