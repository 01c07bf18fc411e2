"""The generic mail task: the worker sends what `core.mail_queue` queued."""

from celery import shared_task

from core.jobs import MailJob
from core.mail import delivery_connection, deserialize_message


# The name it had before it moved here: messages queued by an older release are still sent.
@shared_task(base=MailJob, name="members.tasks.send_email")
def send_email(message):
    """Send one queued message (see `core.mail_queue`) through the real mail backend."""
    with delivery_connection() as connection:
        return deserialize_message(message, connection=connection).send()
