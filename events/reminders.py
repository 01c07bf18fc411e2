"""The jobs that remind people of events, and the confirmation mail with its calendar file.

Each reminder is recorded once, whatever the retries: a `Notification` row under
its uniqueness constraint for people with an account, a conditional update of
the registration for people without one. Only events inside a bounded window
are looked at, so nothing years old is ever reminded, and each event is handled
in its own savepoint: one broken event is logged and stops nothing. Each mail
is sent on its own: one refused address is logged and given back for the next
run, and the others go out once.

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

from core.mail import delivery_connection, email_message, server_unavailable
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
from networks.scoping import network_scope

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
    """Before an event: remind confirmed registrations at the organiser's chosen days."""
    now = now or timezone.now()
    sent = 0
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
    ):
        registrations[registration.event_id].append(registration)
    people = _people_of_registrations([r for items in registrations.values() for r in items])
    for event_id, (event, bucket) in due.items():
        try:
            with transaction.atomic():
                sent += _remind_one_event(
                    event, bucket, registrations.get(event_id, []), people, now
                )
        except Exception:
            logger.exception("Reminders for event %s failed; the others go on.", event_id)
    return sent


def _reminder_context(event):
    return {
        "event": event.title,
        "starts": local_time(event.starts_at, event.network),
        "place": event.place or event.online_link,
        "message": event.reminder_message,
    }


def _remind_one_event(event, bucket, registrations, people, now):
    key = f"event.reminder:{event.pk}:{event.starts_at.isoformat()}:{bucket}"
    context = _reminder_context(event)
    recipients = set()
    for registration in registrations:
        if registration.entity_id:
            # The entity's people today, not whoever registered it back then.
            recipients |= people.get((event.network_id, registration.entity_id), set())
        elif registration.user_id:
            recipients.add(registration.user_id)
    queue_notifications(
        Notification(
            network_id=event.network_id,
            recipient_id=user_id,
            kind=EventNotice.REMINDER,
            key=key,
            context=context,
            link=event.get_absolute_url(),
        )
        for user_id in recipients
    )
    # People without an account: claim the registrations for this reminder, then mail.
    guests = Registration.objects.filter(
        event=event,
        status=RegistrationStatus.CONFIRMED,
        entity__isnull=True,
        user__isnull=True,
    ).exclude(reminder_key=key)
    guest_ids = [
        registration_id
        for registration_id in guests.values_list("pk", flat=True)
        # One conditional update per guest: a concurrent run claims each one once.
        if Registration.objects.filter(pk=registration_id)
        .exclude(reminder_key=key)
        .update(reminder_key=key)
    ]
    if guest_ids:
        network = event.network
        transaction.on_commit(lambda: _mail_guests(network, guest_ids, key))
    return len(recipients) + len(guest_ids)


def _mail_guests(network, registration_ids, key):
    """Mail each claimed guest on their own; a failed one is given back for the next run.

    Runs after the commit, so it opens the network's scope again itself.
    """
    with network_scope(network):
        registrations = list(
            Registration.objects.filter(pk__in=registration_ids, reminder_key=key).select_related(
                "event__network"
            )
        )
        settled = set()
        try:
            with delivery_connection() as connection:
                for registration in registrations:
                    try:
                        connection.send_messages([_guest_reminder(registration)])
                    except Exception:
                        logger.exception(
                            "Reminder mail for registration %s failed; it will be tried again.",
                            registration.pk,
                        )
                        _give_back_reminder([registration.pk], key)
                    settled.add(registration.pk)
        except Exception:
            # No connection to the mail server: what was not tried goes to the next run.
            unsent = [r.pk for r in registrations if r.pk not in settled]
            logger.exception("Reminder mail for registrations %s failed.", unsent)
            _give_back_reminder(unsent, key)


def _give_back_reminder(registration_ids, key):
    Registration.objects.filter(pk__in=registration_ids, reminder_key=key).update(reminder_key="")


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
    sent = 0
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
    for event in events:
        days_since = (now - event.ends_at) / timedelta(days=1)
        bucket = max(days for days in MINUTES_REMINDER_DAYS if days <= days_since)
        try:
            with transaction.atomic():
                recipients = set().union(
                    *(people.get(pair, set()) for pair in organisers[event.pk])
                )
                if event.created_by_id in facilitators[event.network_id]:
                    recipients.add(event.created_by_id)
                queue_notifications(
                    Notification(
                        network_id=event.network_id,
                        recipient_id=user_id,
                        kind=EventNotice.MINUTES_MISSING,
                        key=f"event.minutes_missing:{event.pk}:{bucket}",
                        context={
                            "event": event.title,
                            "days": math.floor(days_since),
                        },
                        link=event.get_absolute_url() + "acta/",
                    )
                    for user_id in recipients
                )
                sent += len(recipients)
        except Exception:
            logger.exception("Minutes reminder for event %s failed; the others go on.", event.pk)
    return sent


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
    """Mail a confirmed registration's people its confirmation, with the event's .ics file.

    The registration is claimed by a conditional update first, so the mail goes
    out once. Each person's mail is sent on its own: an address the server
    refuses is logged and the others go out. If nothing could be sent (the
    server is down) the claim is given back and the task retries.
    """
    now = now or timezone.now()
    claimed = Registration.objects.filter(
        pk=registration_id,
        status=RegistrationStatus.CONFIRMED,
        confirmation_sent_at__isnull=True,
    ).update(confirmation_sent_at=now)
    if not claimed:
        return 0
    registration = Registration.objects.select_related("event__network", "entity").get(
        pk=registration_id
    )
    event = registration.event
    if registration.entity_id:
        user_ids = representative_ids_by_entity(
            [(registration.network_id, registration.entity_id)]
        ).get((registration.network_id, registration.entity_id), set())
        if registration.user_id:
            user_ids.add(registration.user_id)
        recipients = [
            (user.email, user.language, str(user))
            for user in User.objects.filter(pk__in=user_ids).order_by("pk")
        ]
    else:
        recipients = [(registration.email, registration.language, registration.name)]
    # A confirmed registration holds a place: its people see the link to join online.
    attachment = calendar_file([event], name=event.title, online_link_for={event.pk})
    sent = 0
    try:
        with delivery_connection() as connection:
            for email, language, name in recipients:
                try:
                    message = _confirmation(registration, email, language, name, attachment)
                    sent += connection.send_messages([message]) or 0
                except Exception as error:
                    if server_unavailable(error):
                        raise
                    logger.exception(
                        "Confirmation of registration %s to one of its people failed; "
                        "the others go on.",
                        registration_id,
                    )
    except Exception:
        if sent:
            # Some people have it: sending again would mail them twice.
            logger.exception("Confirmation of registration %s was sent in part.", registration_id)
            return sent
        Registration.objects.filter(pk=registration_id).update(confirmation_sent_at=None)
        raise
    return sent


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


def send_pending_confirmations(*, now=None):
    """Catch confirmations a broker outage left behind; recent registrations only."""
    now = now or timezone.now()
    pending = list(
        Registration.objects.filter(
            status=RegistrationStatus.CONFIRMED,
            confirmation_sent_at__isnull=True,
            confirmed_at__gte=now - CONFIRMATION_WINDOW,
            event__starts_at__gt=now,
        ).values_list("pk", flat=True)
    )
    sent = 0
    for registration_id in pending:
        try:
            sent += send_confirmation(registration_id, now=now)
        except Exception:
            logger.exception("Confirmation for registration %s failed.", registration_id)
    return sent
