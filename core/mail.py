"""Mail that never makes a page wait: messages as JSON, and the connection that really sends.

`core.mail_queue.QueuedEmailBackend` is Django's `EMAIL_BACKEND`: each
message becomes a row of the mail outbox (`core.outbox`), in the form
`serialize_message` gives, written in the current transaction. The worker
sends the rows through `EMAIL_DELIVERY_BACKEND`, the real backend (console,
file or SMTP), on a connection from `delivery_connection()`.

Every header is made one line when a message is built or queued, whatever the
stored data holds: a name or a title saved with a line break (before input was
cleaned) would otherwise make Django refuse the message with BadHeaderError.
"""

import base64
import logging
import smtplib
from collections.abc import Sequence
from email.mime.base import MIMEBase
from typing import Any, TypeVar, cast

from django.conf import settings
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend

from core.text import single_line

logger = logging.getLogger(__name__)

_Message = TypeVar("_Message", bound=mail.EmailMessage)

QUEUED_BACKEND = "core.mail_queue.QueuedEmailBackend"

# The server refused this one message: its own fault, not the server's. Every
# other OSError (no connection, a dropped connection, refused credentials or
# sender) is the server's and says nothing about the message.
MESSAGE_REFUSED = (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError)


def server_unavailable(error: BaseException) -> bool:
    """Is this failure to send the mail server's (retry everything later), not the message's?"""
    return isinstance(error, OSError) and not isinstance(error, MESSAGE_REFUSED)


def delivery_connection(**kwargs: Any) -> BaseEmailBackend:
    """A connection that really sends: the delivery backend when mail is queued."""
    backend = settings.EMAIL_BACKEND
    if backend == QUEUED_BACKEND:
        backend = settings.EMAIL_DELIVERY_BACKEND
    return mail.get_connection(backend, **kwargs)


def clean_headers(message: _Message) -> _Message:
    """Make every header of `message` one line (subject, addresses with their names, extras)."""
    message.subject = single_line(message.subject)
    if message.from_email:
        message.from_email = single_line(message.from_email)
    for field in ("to", "cc", "bcc", "reply_to"):
        setattr(message, field, [single_line(address) for address in getattr(message, field)])
    message.extra_headers = {
        single_line(name): single_line(value) for name, value in message.extra_headers.items()
    }
    return message


def email_message(
    *, subject: str, body: str, to: Sequence[str], **kwargs: Any
) -> mail.EmailMessage:
    """An `EmailMessage` with clean headers, for code that builds mail from stored data."""
    return clean_headers(mail.EmailMessage(subject=subject, body=body, to=to, **kwargs))


def _encode(content: str | bytes) -> dict[str, str]:
    if isinstance(content, str):
        return {"text": content}
    return {"base64": base64.b64encode(content).decode("ascii")}


def _decode(content: dict[str, str]) -> str | bytes:
    if "text" in content:
        return content["text"]
    return base64.b64decode(content["base64"])


def _attachment(attachment: Any) -> dict[str, Any]:
    if isinstance(attachment, MIMEBase):
        return {
            "filename": attachment.get_filename(),
            "content": _encode(cast(bytes, attachment.get_payload(decode=True)) or b""),
            "mimetype": attachment.get_content_type(),
        }
    filename, content, mimetype = attachment
    return {"filename": filename, "content": _encode(content), "mimetype": mimetype}


def serialize_message(message: mail.EmailMessage) -> dict[str, Any]:
    """A JSON-friendly copy of an `EmailMessage` (or `EmailMultiAlternatives`), headers cleaned."""
    clean_headers(message)
    return {
        "subject": str(message.subject),
        "body": str(message.body),
        "from_email": message.from_email,
        "to": list(message.to),
        "cc": list(message.cc),
        "bcc": list(message.bcc),
        "reply_to": list(message.reply_to),
        "headers": {str(key): str(value) for key, value in message.extra_headers.items()},
        "content_subtype": message.content_subtype,
        "alternatives": [
            {"content": _encode(content), "mimetype": mimetype}
            for content, mimetype in getattr(message, "alternatives", [])
        ],
        "attachments": [_attachment(attachment) for attachment in message.attachments],
    }


def deserialize_message(
    data: dict[str, Any], *, connection: BaseEmailBackend | None = None
) -> mail.EmailMultiAlternatives:
    message = mail.EmailMultiAlternatives(
        subject=data["subject"],
        body=data["body"],
        from_email=data["from_email"],
        to=data["to"],
        cc=data["cc"],
        bcc=data["bcc"],
        reply_to=data["reply_to"],
        headers=data["headers"],
        connection=connection,
    )
    message.content_subtype = data.get("content_subtype", "plain")
    for alternative in data["alternatives"]:
        message.attach_alternative(_decode(alternative["content"]), alternative["mimetype"])
    for attachment in data["attachments"]:
        message.attach(
            attachment["filename"], _decode(attachment["content"]), attachment["mimetype"]
        )
    # A payload queued before headers were cleaned is cleaned here.
    return clean_headers(message)
