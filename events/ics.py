"""iCalendar files: one event, a network's or a commission's calendar, a person's feed.

Times are written in the network's own time zone (with its VTIMEZONE), never as
floating times, and every event links back to its page (DESIGN.md: "calendar
files carry the time zone and a link back"). The link to join online is written
only for the events named in `online_link_for`: those whose page would show it
to the person the file is for (`events.view_online_link`).

Text comes from the database as it was stored, and rows saved before input was
cleaned may hold line breaks or control characters: single-line properties are
made one line and free text loses its control characters, so that a file is
always valid (a raw line break in a property cannot be written at all).
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, vText
from icalendar import Event as CalendarEvent

from core.text import multi_line, single_line
from events.models import EventFormat, EventStatus

PRODUCT_ID = "-//Tejido//Events//ES"


def _host():
    return urlsplit(settings.SITE_URL).hostname or "tejido"


def event_uid(event):
    return f"event-{event.pk}@{_host()}"


def _component(event, *, now, online_link):
    zone = event.network.zone
    component = CalendarEvent()
    component.add("uid", event_uid(event))
    component.add("sequence", event.sequence)
    component.add("dtstamp", now)
    component.add("dtstart", timezone.localtime(event.starts_at, zone))
    component.add("dtend", timezone.localtime(event.ends_at, zone))
    component.add("summary", single_line(event.title))
    url = settings.SITE_URL + event.get_absolute_url()
    component.add("url", url)
    text = multi_line(event.description)
    description = [text] if text else []
    link = event.online_link if online_link and event.format != EventFormat.IN_PERSON else ""
    if link:
        description.append(link)
    description.append(url)
    component.add("description", "\n\n".join(description))
    location = single_line(event.place if event.format != EventFormat.VIRTUAL else link)
    if location:
        component.add("location", location)
    component.add("status", "CANCELLED" if event.status == EventStatus.CANCELLED else "CONFIRMED")
    component.add("categories", [single_line(event.get_kind_display())])
    return component


def calendar_file(events, *, name, online_link_for=frozenset(), method="PUBLISH"):
    """The bytes of an iCalendar file with these events (their `network` loaded).

    `online_link_for` holds the ids of the events whose link to join online the
    reader may see; for every other event the file says nothing of it. A file
    that calls a cancelled event off says `method="CANCEL"`; each entry keeps
    its UID and carries the event's SEQUENCE, so a calendar updates the entry it has.
    """
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    calendar.add("x-wr-calname", vText(single_line(name)))
    now = timezone.now()
    for event in events:
        calendar.add_component(_component(event, now=now, online_link=event.pk in online_link_for))
    calendar.add_missing_timezones()
    return calendar.to_ical()
