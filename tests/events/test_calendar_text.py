"""Calendar files and mail stay valid whatever an event's stored title holds.

Rows saved before typed input was cleaned may hold line breaks and control
characters; a raw line break cannot be written in an iCalendar property, and
used to make every calendar that listed the event answer 500.
"""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from events import services
from events.models import Event
from tests.events.conftest import forget_mail_so_far

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("unscoped")]

DIRTY_TITLE = "Taller\r\nBcc: todos@example.org\x1b"


def with_dirty_text(event):
    Event.objects.filter(pk=event.pk).update(
        title=DIRTY_TITLE, place="Casona\nUniversitaria", description="Agenda:\r\n1. Plan\x07"
    )
    event.refresh_from_db()
    return event


def parsed_event(content):
    text = content.decode() if isinstance(content, bytes) else content
    (component,) = Calendar.from_ical(text).walk("VEVENT")
    return component


def test_the_event_file_of_a_title_with_a_line_break_is_valid(client, cast):
    event = with_dirty_text(cast.event())
    response = client.get(
        reverse("events:ics", kwargs={"network_slug": cast.network.slug, "event_id": event.pk}),
        secure=True,
    )
    assert response.status_code == 200
    component = parsed_event(response.content)
    assert str(component["SUMMARY"]) == "Taller Bcc: todos@example.org"
    assert str(component["LOCATION"]) == "Casona Universitaria"
    assert str(component["DESCRIPTION"]).startswith("Agenda:\n1. Plan\n\n")
    assert "X-WR-CALNAME:Taller Bcc: todos@example.org" in response.content.decode()


def test_the_network_feed_with_such_an_event_is_valid(client, cast):
    with_dirty_text(cast.event())
    cast.network.name = "Red\nArequipa"
    cast.network.save()
    response = client.get(
        reverse("events:network_feed", kwargs={"network_slug": cast.network.slug}), secure=True
    )
    assert response.status_code == 200
    assert str(parsed_event(response.content)["SUMMARY"]) == "Taller Bcc: todos@example.org"


def test_the_personal_feed_with_such_an_event_is_valid(client, cast):
    event = cast.event()
    services.register_entity(
        event=event, entity=cast.entities[1], people=2, by=cast.representative_of(cast.entities[1])
    )
    with_dirty_text(event)
    token = services.renew_calendar_token(user=cast.representative_of(cast.entities[1])).token
    response = client.get(reverse("calendar:feed", kwargs={"token": token}), secure=True)
    assert response.status_code == 200
    assert str(parsed_event(response.content)["SUMMARY"]) == "Taller Bcc: todos@example.org"


def test_the_confirmation_of_such_an_event_is_mailed_with_its_file(
    cast, confirmations_sent_at_once, django_capture_on_commit_callbacks
):
    event = with_dirty_text(cast.event())
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.register_entity(
            event=event,
            entity=cast.entities[1],
            people=1,
            by=cast.representative_of(cast.entities[1]),
        )
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        person.email for person in cast.people_of(cast.entities[1])
    )
    for message in mail.outbox:
        assert "\n" not in message.subject and "Bcc" not in message.message()
        ((_name, attachment, _type),) = message.attachments
        assert str(parsed_event(attachment)["SUMMARY"]) == "Taller Bcc: todos@example.org"


def test_a_guest_reminder_of_such_an_event_is_mailed(cast, django_capture_on_commit_callbacks):
    from events import reminders

    starts_at = timezone.now() + timedelta(days=10)
    event = cast.event(starts_at=starts_at)
    registration = services.register_person(
        event=event, by=AnonymousUser(), name="Rosa\nQuispe", email="rosa@example.org"
    )
    services.confirm_registration(event=event, token=registration.cancel_token, by=AnonymousUser())
    with_dirty_text(event)
    forget_mail_so_far()
    with django_capture_on_commit_callbacks(execute=True):
        reminders.remind_registered_people(now=starts_at - timedelta(days=1) + timedelta(hours=1))
    (message,) = mail.outbox
    assert message.to == ["rosa@example.org"]
    assert "Bcc" not in message.message()
