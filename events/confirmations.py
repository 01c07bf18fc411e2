"""People without an account: the mail that asks them to confirm a registration, and its limits.

Anybody can type any address into the registration form of a public event. So a
registration for an address its author has not proved to own counts for nothing
until the address's owner confirms it through the link mailed there; that mail
carries no text the registrant chose except a short, one-line name; and such
mails are limited per address and per event.

The limits are counters in the cache (Redis in production), kept for an hour
from the first mail. When the cache cannot be reached they are counted instead
from the mail outbox, where every such mail is a row under a key that names its
network and event (`request_key`): slower, and only for the length of the
outage, but a guest can still register and nobody can mail anybody unlimited.

The mail is a row of the outbox (`core.outbox`) written in the registration's
own transaction (`write_request`): a registration that commits has its mail,
whatever happens to the broker.
"""

import hashlib
import logging
from datetime import timedelta

from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core import outbox
from core.errors import DomainError
from core.models import OutgoingMail
from core.text import single_line
from events.models import Registration, RegistrationStatus, local_time

logger = logging.getLogger(__name__)

# How long the link to confirm a registration works.
REQUEST_VALID_FOR = timedelta(hours=24)
# The counters' window, and their names in the cache (without the address itself).
THROTTLE_WINDOW = timedelta(hours=1)
KEY_PREFIX = "throttle:registration-mail"
# The outbox keys of those mails: `request_key`.
REQUEST_KEY_PREFIX = "event.request:"


def _address_key(email):
    digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()
    # One address is limited across every network: the mail goes to the same inbox.
    return f"{KEY_PREFIX}:address:{digest}"


def _event_key(event):
    return f"{KEY_PREFIX}:event:{event.network_id}:{event.pk}"


def request_key(registration, now):
    """The outbox key of one mail asking to confirm `registration`, asked at `now`."""
    event = f"{registration.network_id}:{registration.event_id}"
    return f"{REQUEST_KEY_PREFIX}{event}:{registration.pk}:{now.isoformat()}"


def _count(key):
    seconds = int(THROTTLE_WINDOW.total_seconds())
    cache.add(key, 0, timeout=seconds)
    try:
        return cache.incr(key)
    except ValueError:  # the counter expired between the two calls: a new window
        cache.add(key, 1, timeout=seconds)
        return 1


def take_mail_allowance(*, email, event):
    """Count one confirmation mail to `email` for `event`; refuse when either limit is reached."""
    limits = (
        (
            _address_key(email),
            settings.EVENT_REGISTRATION_MAILS_PER_ADDRESS,
            _(
                "Too many registrations were asked for this email address in the last hour. "
                "Please try again later."
            ),
        ),
        (
            _event_key(event),
            settings.EVENT_REGISTRATION_MAILS_PER_EVENT,
            _(
                "This event received too many registrations without an account in the last "
                "hour. Please try again later, or sign in to register."
            ),
        ),
    )
    try:
        # One after the other: an address refused spends nothing of the event's allowance.
        for key, limit, message in limits:
            if _count(key) > limit:
                raise DomainError(message)
    except DomainError:
        raise
    except Exception:
        logger.warning(
            "The registration mail limits could not be read from the cache; "
            "counting them from the mail outbox.",
            exc_info=True,
        )
        counts = _counts_from_outbox(email=email, event=event)
        for (_key, limit, message), count in zip(limits, counts, strict=True):
            if count > limit:
                raise DomainError(message) from None


def _counts_from_outbox(*, email, event):
    """The mails of the last window to `email` and for `event`, this one included."""
    since = timezone.now() - THROTTLE_WINDOW
    recent = OutgoingMail.objects.filter(key__startswith=REQUEST_KEY_PREFIX, created_at__gte=since)
    to_address = recent.filter(recipients__iexact=email.strip()).count()
    for_event = recent.filter(
        key__startswith=f"{REQUEST_KEY_PREFIX}{event.network_id}:{event.pk}:"
    ).count()
    return [to_address + 1, for_event + 1]


def confirm_url(registration):
    return settings.SITE_URL + reverse(
        "events:confirm_by_link",
        kwargs={
            "network_slug": registration.event.network.slug,
            "event_id": registration.event_id,
            "token": registration.cancel_token,
        },
    )


def write_request(registration, *, now):
    """Write the mail with the link to confirm `registration` to the outbox, in this transaction.

    Called by the service that saves the pending registration, so the two
    commit together. Returns the number of mails written.
    """
    event = registration.event
    hours = int(REQUEST_VALID_FOR.total_seconds() // 3600)
    with translation.override(registration.language):
        subject = single_line(_("Confirm your registration: %(event)s") % {"event": event.title})
        body = render_to_string(
            "events/email/confirm_registration.txt",
            {
                "event": event,
                "name": single_line(registration.name),
                "starts": local_time(event.starts_at, event.network),
                "hours": hours,
                "confirm_url": confirm_url(registration),
                "site_url": settings.SITE_URL,
            },
        )
    message = mail.EmailMessage(subject=subject, body=body, to=[registration.email])
    Registration.objects.filter(pk=registration.pk).update(request_sent_at=now)
    registration.request_sent_at = now
    return outbox.enqueue([message], keys=[request_key(registration, now)])


def send_request(registration_id, *, now=None):
    """A pending registration's mail, for a task queued by an older release; once per request.

    The registration is claimed by a conditional update, and the mail written
    to the outbox in the same transaction. Registrations saved now have their
    mail already (`write_request`), so this finds nothing to do for them.
    """
    now = now or timezone.now()
    with transaction.atomic():
        claimed = Registration.objects.filter(
            pk=registration_id,
            status=RegistrationStatus.PENDING,
            request_sent_at__isnull=True,
            expires_at__gt=now,
        ).update(request_sent_at=now)
        if not claimed:
            return 0
        registration = Registration.objects.select_related("event__network").get(pk=registration_id)
        written = write_request(registration, now=now)
    # This runs in the worker, after the commit: send the row just written.
    outbox.deliver()
    return written
