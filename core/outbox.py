"""The mail outbox: every message is a row written with the change that causes it, then delivered.

`enqueue` writes `core.models.OutgoingMail` rows in the current transaction:
if the change rolls back, so does its mail, and once it commits the mail
exists whatever happens to the broker. Delivery is asked for after the commit
(`schedule_delivery`), robustly: a broker that is down is logged and the
periodic delivery (every minute, from beat) sends the rows anyway.

`deliver` takes a lease on a few due rows at a time (SELECT … FOR UPDATE SKIP
LOCKED, then `claimed_by` and `claimed_until`), sends each row on its own and
marks it sent only after the mail server accepted it. A failure gives the row
back with one more attempt and an exponential backoff; after `MAX_ATTEMPTS`
it is given up and shown to the site admin, who may retry it. A mail server
that is unreachable or drops the connection is no message's fault: the rows
not yet sent wait a minute and lose no attempt. A worker that
dies mid-send leaves a lease that expires, and the next run sends the row.
A mail server that accepted a message and then lost the connection before
the row was marked may see it twice: delivery is at least once, never zero.
"""

import logging
import os
import socket
import uuid
from collections.abc import Iterable
from datetime import datetime, timedelta

from celery import current_app
from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from core.bulk import insert_new
from core.mail import (
    delivery_connection,
    deserialize_message,
    serialize_message,
    server_unavailable,
)
from core.models import OutgoingMail

logger = logging.getLogger(__name__)

# Given up after this many failed attempts (about a day and a half of backoff).
MAX_ATTEMPTS = 12
# Rows leased at once: each send may take the SMTP timeout, and the whole
# batch must be sent well within the lease.
BATCH = 10


def _lease() -> timedelta:
    return timedelta(seconds=settings.MAIL_OUTBOX_LEASE_SECONDS)


def backoff(attempts: int) -> timedelta:
    """How long a row waits after its `attempts`-th failure: doubling, at most six hours."""
    seconds = settings.MAIL_OUTBOX_RETRY_SECONDS * 2 ** max(attempts - 1, 0)
    return timedelta(seconds=min(seconds, 6 * 3600))


def _row(message: EmailMessage, key: str | None = None) -> OutgoingMail:
    payload = serialize_message(message)
    return OutgoingMail(
        key=key,
        subject=payload["subject"][:300],
        recipients=", ".join(payload["to"] + payload["cc"] + payload["bcc"])[:500],
        message=payload,
    )


def enqueue(messages: Iterable[EmailMessage], *, keys: Iterable[str | None] | None = None) -> int:
    """Write each message with recipients as a row of the outbox; deliver after the commit.

    `keys`, one per message, make a message that is already there (same key)
    count for nothing. Returns the number of rows written.
    """
    messages = list(messages)
    keys = list(keys) if keys is not None else [None] * len(messages)
    rows = [_row(message, key) for message, key in zip(messages, keys, strict=True)]
    rows = [row for row in rows if row.recipients]
    written = insert_new(OutgoingMail, rows)
    if written:
        schedule_delivery()
    return written


def schedule_delivery() -> None:
    """Ask a worker for a delivery once the current transaction commits; never fail the caller."""
    transaction.on_commit(_publish_delivery, robust=True)


def deliver_after_commit() -> None:
    """Deliver in this process after the commit: for jobs that already run in the worker."""
    transaction.on_commit(deliver, robust=True)


def _publish_delivery() -> None:
    try:
        # By name: `core.tasks` builds on this module.
        current_app.send_task("core.tasks.deliver_mail", ignore_result=True)
    except Exception:
        # The rows are written: the periodic delivery sends them.
        logger.warning("Mail delivery could not be queued; the periodic delivery will send it.")


def _worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def _claim(worker: str, now: datetime) -> list[OutgoingMail]:
    with transaction.atomic():
        ids = list(
            OutgoingMail.objects.due(now)
            .select_for_update(skip_locked=True)
            .order_by("available_at", "id")
            .values_list("pk", flat=True)[:BATCH]
        )
        if not ids:
            return []
        OutgoingMail.objects.filter(pk__in=ids).update(
            claimed_by=worker, claimed_until=now + _lease()
        )
    return list(OutgoingMail.objects.filter(pk__in=ids, claimed_by=worker).order_by("pk"))


def deliver(*, now: datetime | None = None, limit: int | None = None) -> int:
    """Send what is due, a leased batch at a time; returns the number of messages sent."""
    worker = _worker_name()
    sent = 0
    tried = 0
    while limit is None or tried < limit:
        moment = now or timezone.now()
        rows = _claim(worker, moment)
        if not rows:
            break
        tried += len(rows)
        delivered, stop = _send_batch(rows, worker, moment)
        sent += delivered
        if stop:
            break
    return sent


def _send_batch(rows: list[OutgoingMail], worker: str, now: datetime) -> tuple[int, bool]:
    """Send each leased row; returns (sent, whether the server is unavailable)."""
    sent = 0
    try:
        connection = delivery_connection(fail_silently=False)
        connection.open()
    except Exception as error:
        _give_back(rows, worker, error=error, now=now)
        logger.warning("The mail server is unavailable (%s); %s rows wait.", error, len(rows))
        return 0, True
    try:
        for index, row in enumerate(rows):
            try:
                message = deserialize_message(row.message, connection=connection)
                accepted = connection.send_messages([message])
            except Exception as error:
                if server_unavailable(error):
                    # The server's fault, not the message's: this row and the rest
                    # wait for the next run, at no cost in attempts.
                    _give_back(rows[index:], worker, error=error, now=now)
                    logger.warning("The mail server is unavailable (%s); the rest wait.", error)
                    return sent, True
                _failed(row, worker, error, now)
                continue
            if accepted:
                OutgoingMail.objects.filter(pk=row.pk, claimed_by=worker).update(
                    sent_at=timezone.now(), claimed_by="", claimed_until=None
                )
                sent += 1
            else:
                _failed(row, worker, RuntimeError("The mail backend sent nothing."), now)
    finally:
        try:
            connection.close()
        except Exception:
            logger.warning("Closing the mail connection failed.", exc_info=True)
    return sent, False


def _give_back(
    rows: list[OutgoingMail], worker: str, *, error: BaseException, now: datetime
) -> None:
    """Release rows the server could not take: a short wait, no attempt counted."""
    OutgoingMail.objects.filter(pk__in=[row.pk for row in rows], claimed_by=worker).update(
        claimed_by="",
        claimed_until=None,
        available_at=now + backoff(1),
        last_error=f"{type(error).__name__}: {error}"[:500],
    )


def _failed(row: OutgoingMail, worker: str, error: BaseException, now: datetime) -> None:
    attempts = row.attempts + 1
    given_up = attempts >= MAX_ATTEMPTS
    log = logger.error if given_up else logger.warning
    log(
        "Mail %s to %s failed (attempt %s)%s.",
        row.pk,
        row.recipients,
        attempts,
        "; given up" if given_up else "; it will be tried again",
        exc_info=error,
    )
    OutgoingMail.objects.filter(pk=row.pk, claimed_by=worker).update(
        attempts=F("attempts") + 1,
        last_error=f"{type(error).__name__}: {error}"[:500],
        available_at=now + backoff(attempts),
        given_up_at=now if given_up else None,
        claimed_by="",
        claimed_until=None,
    )


def retry(queryset: QuerySet[OutgoingMail]) -> int:
    """Give rows given up (or waiting) a fresh start, and ask for a delivery."""
    count = queryset.filter(sent_at__isnull=True).update(
        given_up_at=None, attempts=0, available_at=timezone.now(), claimed_until=None
    )
    if count:
        schedule_delivery()
    return count
