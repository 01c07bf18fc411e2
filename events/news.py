"""Telling people what happened to an event: announced, moved, called off.

- Announced: the members it is for (the commission's for a commission meeting,
  the whole network's otherwise).
- Changed in time or place, or cancelled: its registrants, with a calendar
  entry attached that keeps the event's UID and carries its new SEQUENCE
  (METHOD:CANCEL for a cancellation), so their calendar replaces what it holds.

People with an account hear through `members.outbox.queue_notifications` (the
inbox, then mail as each chose for the network); people who registered
without one get a row of the mail outbox under a key, in their language. Each
message is written once under its key, whatever the retries.
"""

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from commissions.models import CommissionMember
from core import outbox
from core.mail import email_message
from events.ics import calendar_file
from events.models import ACTIVE_REGISTRATION_STATUSES, Event, EventStatus, Registration
from events.notifications import EventNotice
from members.models import Membership, MembershipStatus, Notification
from members.notifications import moment, representative_ids_by_entity, subject_and_body
from members.outbox import queue_notifications

# What, changed, makes registrants' calendars wrong.
TIME_AND_PLACE = ("starts_at", "ends_at", "place", "format", "online_link")


def _context(event, **more):
    return {
        "event": event.title,
        "event_id": event.pk,
        "starts": moment(event.starts_at),
        "place": event.place or event.online_link,
        **more,
    }


def _people_of(network_id, entity_ids):
    people = representative_ids_by_entity((network_id, entity_id) for entity_id in entity_ids)
    return set().union(*people.values()) if people else set()


def _notify(event, user_ids, *, kind, key, context):
    queue_notifications(
        Notification(
            network_id=event.network_id,
            recipient_id=user_id,
            kind=kind,
            key=key,
            context=context,
            link=event.get_absolute_url(),
        )
        for user_id in sorted(user_ids)
    )


def tell_announced(event, *, by=None):
    """The members an announced event is for; not the person who announced it (in scope)."""
    if event.commission_id:
        entity_ids = CommissionMember.objects.filter(
            commission_id=event.commission_id, left_on__isnull=True
        ).values_list("entity_id", flat=True)
    else:
        entity_ids = Membership.objects.filter(status=MembershipStatus.ACTIVE).values_list(
            "entity_id", flat=True
        )
    people = _people_of(event.network_id, entity_ids)
    people.discard(getattr(by, "pk", None))
    _notify(
        event,
        people,
        kind=EventNotice.ANNOUNCED,
        key=f"{EventNotice.ANNOUNCED}:{event.pk}",
        context=_context(event),
    )


def _registrations(event):
    return list(Registration.objects.filter(event=event, status__in=ACTIVE_REGISTRATION_STATUSES))


def _tell_registrants(event, *, kind, context):
    registrations = _registrations(event)
    key = f"{kind}:{event.pk}:{event.sequence}"
    people = _people_of(event.network_id, {r.entity_id for r in registrations if r.entity_id})
    _notify(event, people, kind=kind, key=key, context=context)
    guests = [r for r in registrations if r.entity_id is None and r.email]
    outbox.enqueue(
        [_guest_message(event, guest, kind=kind, context=context) for guest in guests],
        keys=[f"{key}:guest:{guest.pk}" for guest in guests],
    )


def tell_changed(event):
    """Registrants of an event whose time or place changed (its `sequence` already raised)."""
    _tell_registrants(event, kind=EventNotice.CHANGED, context=_context(event))


def tell_cancelled(event, *, reason):
    """Registrants of an event called off (its `sequence` already raised)."""
    _tell_registrants(
        event, kind=EventNotice.CANCELLED, context=_context(event, reason=reason or "—")
    )


def calendar_entry(event, *, cancelled=False):
    """(filename, content, mimetype) of the event's entry for a registrant's calendar."""
    method = "CANCEL" if cancelled else "PUBLISH"
    content = calendar_file([event], name=event.title, online_link_for={event.pk}, method=method)
    return ("evento.ics", content, f"text/calendar; method={method}")


def attachment_of(notification):
    """The calendar entry a change or a cancellation carries (`members.notifications` hook)."""
    event = (
        Event.objects.filter(pk=notification.context.get("event_id"))
        .select_related("network")
        .first()
    )
    if event is None:
        return None
    return calendar_entry(event, cancelled=event.status == EventStatus.CANCELLED)


def _guest_message(event, registration, *, kind, context):
    notice = Notification(network=event.network, kind=kind, context=context)
    with translation.override(registration.language):
        subject, body = subject_and_body(notice)
        text = render_to_string(
            "events/email/guest_news.txt",
            {
                "name": registration.name,
                "body": body,
                "network": event.network,
                "event_url": settings.SITE_URL + event.get_absolute_url(),
                "cancel_url": settings.SITE_URL
                + reverse(
                    "events:cancel_by_link",
                    kwargs={
                        "network_slug": event.network.slug,
                        "event_id": event.pk,
                        "token": registration.cancel_token,
                    },
                ),
                "cancelled": event.status == EventStatus.CANCELLED,
            },
        )
    return email_message(
        subject=subject,
        body=text,
        to=[registration.email],
        attachments=[calendar_entry(event, cancelled=event.status == EventStatus.CANCELLED)],
    )
