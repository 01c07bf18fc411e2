"""The jobs that remind people of events, and the confirmation mail with its calendar file.

Each reminder is recorded once, whatever the retries: a `Notification` row under
its uniqueness constraint for people with an account, a row of the mail outbox
under its own key for people without one (`core.outbox`, which sends each mail
on its own and tries a refused one again later). Only events inside a bounded
window are looked at, so nothing years old is ever reminded, and one broken
event is logged and stops nothing. The jobs read and write set by set: their
number of statements does not grow with the number of guests.

Everything here works in the active scope: the tasks of `events.tasks` run it
for one network at a time. People are told because of a role they hold now in
the event's network: representative or alternate of an active member entity
that is registered or organises, the person who registered alone, the
facilitator who convened the event while still facilitating.
"""

import logging
import math
from collections import defaultdict
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core import outbox
from core.mail import email_message
from events.ics import calendar_file
from events.models import (
    MAX_REMINDER_DAYS,
    Event,
    EventOrganiser,
    EventStatus,
    Minutes,
    Registration,
    RegistrationStatus,
    local_time,
)
from events.notifications import EventNotice
from members.models import Notification, User
from members.notifications import facilitator_ids_by_network, representative_ids_by_entity
from members.outbox import queue_notifications

logger = logging.getLogger(__name__)

MINUTES_REMINDER_DAYS = (3, 7)
# Minutes reminders stop a few days after the last one is due.
MINUTES_WINDOW = timedelta(days=max(MINUTES_REMINDER_DAYS) + 3)
# A confirmation that could not be mailed is retried for this long, then given up.
CONFIRMATION_WINDOW = timedelta(days=2)


def reminder_bucket(days_list, starts_at, now):
    """Which of the event's reminders is due now: the nearest one not yet past, or None."""
    days_left = (starts_at - now) / timedelta(days=1)
    due = [days for days in days_list if days >= days_left]
    return min(due) if due else None


def _event_rows(queryset):
    return list(queryset.select_related("network"))


def _people_of_registrations(registrations):
    pairs = {(r.network_id, r.entity_id) for r in registrations if r.entity_id}
    return representative_ids_by_entity(pairs)


@transaction.atomic
def remind_registered_people(*, now=None):
    """Before an event: remind confirmed registrations at the organiser's chosen days.

    Set-based: the events due, their registrations and the people of the
    registered entities are read with one query each, and the notifications
    and the guests' mails are written with one INSERT each (per thousand
    rows), under unique keys, so a rerun adds nothing. The guests' mails are
    rows of the mail outbox (`core.outbox`): a registration is never marked
    before its mail is sent. Returns the number of notifications and mails
    written.
    """
    now = now or timezone.now()
    events = _event_rows(
        Event.objects.filter(
            status=EventStatus.ANNOUNCED,
            reminders_enabled=True,
            starts_at__gt=now,
            starts_at__lte=now + timedelta(days=MAX_REMINDER_DAYS),
        )
    )
    due = {}
    for event in events:
        bucket = reminder_bucket(event.reminder_day_list, event.starts_at, now)
        if bucket is not None:
            due[event.pk] = (event, bucket)
    if not due:
        return 0
    registrations = defaultdict(list)
    for registration in Registration.objects.filter(
        event_id__in=due, status=RegistrationStatus.CONFIRMED
    ).order_by("pk"):
        registration.event = due[registration.event_id][0]
        registrations[registration.event_id].append(registration)
    people = _people_of_registrations([r for items in registrations.values() for r in items])
    notifications = []
    messages = []
    keys = []
    for event_id, (event, bucket) in due.items():
        try:
            event_notifications, event_messages, event_keys = _reminders_of_one_event(
                event, bucket, registrations.get(event_id, []), people
            )
        except Exception:
            logger.exception("Reminders for event %s failed; the others go on.", event_id)
            continue
        notifications.extend(event_notifications)
        messages.extend(event_messages)
        keys.extend(event_keys)
    written = queue_notifications(notifications)
    mailed = outbox.enqueue(messages, keys=keys)
    if mailed:
        # This runs in the worker: send once the rows are committed.
        outbox.deliver_after_commit()
    return written + mailed


def _reminder_context(event):
    return {
        "event": event.title,
        "starts": local_time(event.starts_at, event.network),
        "place": event.place or event.online_link,
        "message": event.reminder_message,
    }


def _reminders_of_one_event(event, bucket, registrations, people):
    """The notifications, and the guests' mails with their outbox keys, of one event's reminder."""
    key = f"event.reminder:{event.pk}:{event.starts_at.isoformat()}:{bucket}"
    context = _reminder_context(event)
    recipients = set()
    guests = []
    for registration in registrations:
        if registration.entity_id:
            # The entity's people today, not whoever registered it back then.
            recipients |= people.get((event.network_id, registration.entity_id), set())
        elif registration.user_id:
            recipients.add(registration.user_id)
        else:
            guests.append(registration)
    notifications = [
        Notification(
            network_id=event.network_id,
            recipient_id=user_id,
            kind=EventNotice.REMINDER,
            key=key,
            context=context,
            link=event.get_absolute_url(),
        )
        for user_id in sorted(recipients)
    ]
    messages = [_guest_reminder(registration) for registration in guests]
    keys = [f"{key}:guest:{registration.pk}" for registration in guests]
    return notifications, messages, keys


def _guest_reminder(registration):
    event = registration.event
    with translation.override(registration.language):
        subject = _("Reminder: %(event)s") % {"event": event.title}
        body = render_to_string(
            "events/email/reminder.txt",
            {
                "event": event,
                "name": registration.name,
                "starts": local_time(event.starts_at, event.network),
                "site_url": settings.SITE_URL,
                "cancel_url": _cancel_url(registration),
            },
        )
    return email_message(subject=subject, body=body, to=[registration.email])


@transaction.atomic
def remind_missing_minutes(*, now=None):
    """3 and 7 days after an event, tell its organisers if the minutes are still unpublished.

    The organisers are the people of its organising entities and the
    facilitator who convened it, while they still facilitate the network.
    """
    now = now or timezone.now()
    published = Minutes.objects.filter(event=OuterRef("pk"), published_at__isnull=False)
    events = _event_rows(
        Event.objects.filter(
            status=EventStatus.ANNOUNCED,
            ends_at__lte=now - timedelta(days=min(MINUTES_REMINDER_DAYS)),
            ends_at__gt=now - MINUTES_WINDOW,
        ).exclude(Exists(published))
    )
    if not events:
        return 0
    organisers = defaultdict(set)
    for event_id, network_id, entity_id in EventOrganiser.objects.filter(
        event_id__in=[event.pk for event in events]
    ).values_list("event_id", "network_id", "entity_id"):
        organisers[event_id].add((network_id, entity_id))
    people = representative_ids_by_entity(pair for pairs in organisers.values() for pair in pairs)
    facilitators = facilitator_ids_by_network(event.network_id for event in events)
    notifications = []
    for event in events:
        days_since = (now - event.ends_at) / timedelta(days=1)
        bucket = max(days for days in MINUTES_REMINDER_DAYS if days <= days_since)
        try:
            recipients = set().union(*(people.get(pair, set()) for pair in organisers[event.pk]))
            if event.created_by_id in facilitators[event.network_id]:
                recipients.add(event.created_by_id)
            notifications.extend(
                Notification(
                    network_id=event.network_id,
                    recipient_id=user_id,
                    kind=EventNotice.MINUTES_MISSING,
                    key=f"event.minutes_missing:{event.pk}:{bucket}",
                    context={"event": event.title, "days": math.floor(days_since)},
                    link=event.get_absolute_url() + "acta/",
                )
                for user_id in sorted(recipients)
            )
        except Exception:
            logger.exception("Minutes reminder for event %s failed; the others go on.", event.pk)
    return queue_notifications(notifications)


def _cancel_url(registration):
    from django.urls import reverse

    return settings.SITE_URL + reverse(
        "events:cancel_by_link",
        kwargs={
            "network_slug": registration.event.network.slug,
            "event_id": registration.event_id,
            "token": registration.cancel_token,
        },
    )


def send_confirmation(registration_id, *, now=None):
    """A confirmed registration's mails, for a task queued by an older release; once.

    Registrations confirmed now have their mails already: the service that
    confirms them writes them in its own transaction (`queue_confirmations`),
    so this finds nothing to do for them. Returns the number of mails written.
    """
    with transaction.atomic():
        written = queue_confirmations(
            Registration.objects.filter(pk=registration_id), now=now or timezone.now()
        )
    if written:
        # This runs in the worker, after the commit: send the rows just written.
        outbox.deliver()
    return written


def queue_confirmations(registrations, *, now):
    """Claim the confirmed registrations not yet confirmed by mail and write their mails.

    Called in the transaction that confirms a registration, and by the hourly
    job for what an older release left behind. The claim (a conditional
    update) and the mails, one outbox row per person with the event's .ics
    file, commit together; the outbox sends each on its own. A fixed number
    of statements, whatever the number of registrations.
    """
    registrations = registrations.filter(
        status=RegistrationStatus.CONFIRMED, confirmation_sent_at__isnull=True
    )
    rows = list(
        registrations.select_for_update(of=("self",), skip_locked=True)
        .select_related("event__network", "entity")
        .order_by("pk")
    )
    if not rows:
        return 0
    Registration.objects.filter(pk__in=[row.pk for row in rows]).update(confirmation_sent_at=now)
    pairs = {(row.network_id, row.entity_id) for row in rows if row.entity_id}
    people = representative_ids_by_entity(pairs)
    user_ids = set().union(*people.values()) | {row.user_id for row in rows if row.user_id}
    users = {user.pk: user for user in User.objects.filter(pk__in=user_ids)}
    attachments = {}
    messages = []
    keys = []
    for registration in rows:
        event = registration.event
        if event.pk not in attachments:
            # A confirmed registration holds a place: its people see the link to join online.
            attachments[event.pk] = calendar_file(
                [event], name=event.title, online_link_for={event.pk}
            )
        if registration.entity_id:
            ids = set(people.get((registration.network_id, registration.entity_id), set()))
            if registration.user_id:
                ids.add(registration.user_id)
            recipients = [
                (users[pk].email, users[pk].language, str(users[pk]))
                for pk in sorted(ids)
                if pk in users
            ]
        else:
            recipients = [(registration.email, registration.language, registration.name)]
        for email, language, name in recipients:
            messages.append(
                _confirmation(registration, email, language, name, attachments[event.pk])
            )
            keys.append(f"event.confirmation:{registration.pk}:{email}"[:200])
    return outbox.enqueue(messages, keys=keys)


def _confirmation(registration, email, language, name, attachment):
    event = registration.event
    with translation.override(language):
        subject = _("You are registered: %(event)s") % {"event": event.title}
        body = render_to_string(
            "events/email/confirmation.txt",
            {
                "event": event,
                "registration": registration,
                "name": name,
                "starts": local_time(event.starts_at, event.network),
                "ends": local_time(event.ends_at, event.network),
                "site_url": settings.SITE_URL,
                "cancel_url": _cancel_url(registration),
            },
        )
    message = email_message(subject=subject, body=body, to=[email])
    message.attach("evento.ics", attachment, "text/calendar; charset=utf-8; method=PUBLISH")
    return message


@transaction.atomic
def send_pending_confirmations(*, now=None):
    """Catch confirmations left to a task by an older release; recent registrations only.

    A registration confirmed now has its mails written in the same transaction
    (`queue_confirmations`), so this normally finds nothing.

    Set-based (`queue_confirmations`); returns the number of mails written.
    """
    now = now or timezone.now()
    written = queue_confirmations(
        Registration.objects.filter(
            confirmed_at__gte=now - CONFIRMATION_WINDOW, event__starts_at__gt=now
        ),
        now=now,
    )
    if written:
        outbox.deliver_after_commit()
    return written
