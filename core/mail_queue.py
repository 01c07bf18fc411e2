"""Django's `EMAIL_BACKEND`: pages queue each message for the worker, after commit."""

from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction

from core.mail import serialize_message
from core.tasks import send_email


class QueuedEmailBackend(BaseEmailBackend):
    """Queue each message for the worker after the transaction commits; send nothing here."""

    def send_messages(self, email_messages):
        count = 0
        for message in email_messages:
            if not message.recipients():
                continue
            payload = serialize_message(message)
            # robust: a broker outage is logged, it does not turn a saved
            # change into an error page.
            transaction.on_commit(lambda payload=payload: send_email.delay(payload), robust=True)
            count += 1
        return count
