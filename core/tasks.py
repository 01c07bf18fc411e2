"""The mail tasks: the worker delivers the outbox (`core.outbox`)."""

from typing import Any

from celery import shared_task
from django.db import transaction

from core import outbox
from core.jobs import Job
from core.mail import deserialize_message


@shared_task(base=Job, ignore_result=True)
def deliver_mail() -> int:
    """Send the outbox's due rows; also every minute from beat, for what a broker outage held.

    Only sends: rendering notifications into the outbox is a stage of its own
    (`members.tasks.deliver_notifications` says why the two stay apart).
    """
    return outbox.deliver()


# The name queued messages had before the outbox: a message queued by an older
# release is written to the outbox and sent from there.
@shared_task(base=Job, name="members.tasks.send_email", ignore_result=True)
def send_email(message: dict[str, Any]) -> int:
    with transaction.atomic():
        outbox.enqueue([deserialize_message(message)])
    return outbox.deliver()
