"""Django's `EMAIL_BACKEND`: a page's mail is written to the outbox, in the page's transaction."""

from collections.abc import Sequence

from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend

from core import outbox


class QueuedEmailBackend(BaseEmailBackend):
    """Write each message as an outbox row (`core.outbox`); the worker sends it after the commit."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        return outbox.enqueue(message for message in email_messages if message.recipients())
