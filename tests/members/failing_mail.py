import smtplib

from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend

REFUSED_DOMAIN = "@refused.example.org"


class FailingBackend(BaseEmailBackend):
    """A mail server that is down."""

    def send_messages(self, email_messages):
        raise OSError("connection refused")


class RefusingBackend(LocmemBackend):
    """A mail server that refuses every address at refused.example.org and takes the rest."""

    def send_messages(self, email_messages):
        for message in email_messages:
            refused = [address for address in message.recipients() if REFUSED_DOMAIN in address]
            if refused:
                raise smtplib.SMTPRecipientsRefused(
                    dict.fromkeys(refused, (550, b"5.1.1 No such user"))
                )
        return super().send_messages(email_messages)
