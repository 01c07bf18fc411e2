"""The changes events records in a network's history, and how each reads in the activity page."""

from django.utils.translation import gettext as _

from events.models import Event
from networks.history import HistoryAction, SentenceBook, subjects_of


class EventAction(HistoryAction):
    CREATED = "event.created"
    UPDATED = "event.updated"
    ANNOUNCED = "event.announced"
    CANCELLED = "event.cancelled"
    ATTENDANCE = "event.attendance"
    MINUTES_PUBLISHED = "event.minutes_published"


def _load_events(entries):
    return subjects_of(Event, entries)


def _event(entry, events):
    return events.get(entry.object_id)


def _sentence(message):
    def sentence(entry, events) -> str:
        event = events.get(entry.object_id)
        return message() % {"event": event.title if event is not None else _("an event")}

    return sentence


EVENT_SENTENCES = SentenceBook(
    actions=EventAction,
    load=_load_events,
    subject=_event,
    sentences={
        EventAction.CREATED: _sentence(lambda: _("The event %(event)s was created.")),
        EventAction.UPDATED: _sentence(lambda: _("The event %(event)s was changed.")),
        EventAction.ANNOUNCED: _sentence(
            lambda: _("The event %(event)s was announced to the members.")
        ),
        EventAction.CANCELLED: _sentence(lambda: _("The event %(event)s was cancelled.")),
        EventAction.ATTENDANCE: _sentence(
            lambda: _("The attendance of the event %(event)s was recorded.")
        ),
        EventAction.MINUTES_PUBLISHED: _sentence(
            lambda: _("The minutes of the event %(event)s were published.")
        ),
    },
)
