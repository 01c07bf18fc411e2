"""An event announced, moved, cancelled: who hears, with which calendar entry, once."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone
from icalendar import Calendar

from core.models import OutgoingMail
from events import services
from events.models import EventFormat, EventKind, EventStatus, Visibility
from events.notifications import EventNotice
from members import notifications
from networks.scoping import network_scope
from tests.events.factories import EventFactory, RegistrationFactory, register_guest
from tests.news.conftest import deliver_with_two_workers, leave

pytestmark = pytest.mark.django_db


def plenary(town, **fields):
    with network_scope(town.network):
        event = services.create_event(
            network=town.network,
            by=town.facilitator,
            kind=EventKind.PLENARY,
            title="Plenaria de diciembre",
            format=EventFormat.IN_PERSON,
            visibility=Visibility.MEMBERS,
            place="Casona de la Universidad",
            announce=True,
            agenda=[
                {"title": "Plan anual", "proposer": town.member.entity, "proposal": "Aprobarlo."}
            ],
            starts_at=timezone.now() + timedelta(days=20),
            ends_at=timezone.now() + timedelta(days=20, hours=3),
            **fields,
        )
    return event


def registered(town, event):
    with network_scope(town.network):
        for membership in (town.member, town.quiet, town.shared, town.gone):
            RegistrationFactory(event=event, entity=membership.entity)
    leave(town.gone)


def calendar_of(message):
    (attachment,) = message.attachments
    return Calendar.from_ical(attachment[1]), attachment


def test_an_announced_event_reaches_the_members_it_is_for(town):
    leave(town.gone)
    with network_scope(town.network):
        event = EventFactory(network=town.network, status=EventStatus.DRAFT, title="Feria")
        services.announce_event(event=event, by=town.facilitator)
    notifications.deliver_pending_notifications()
    for person in (town.member.representative, town.shared.alternate, town.quiet.representative):
        (item,) = town.inbox(person, EventNotice.ANNOUNCED)
        assert item.link == event.get_absolute_url()
    assert town.mailed(town.member.alternate)
    assert not town.mailed(town.quiet.representative)  # "not at all" for this network
    assert town.inbox(town.elsewhere.representative) == []
    assert town.inbox(town.gone.representative) == []
    (message,) = town.mailed(town.member.representative)
    assert town.network.name in message.body
    assert settings.SITE_URL + event.get_absolute_url() in message.body
    # The date in Spanish, in the network's zone: not "2026-12-12 09:00".
    local = timezone.localtime(event.starts_at, town.network.zone)
    assert f"{local.day} de " in message.body and local.strftime("%H:%M") in message.body


def test_a_moved_event_sends_registrants_the_same_uid_with_a_higher_sequence(town):
    event = plenary(town)
    registered(town, event)
    notifications.deliver_pending_notifications()
    first_sequence = event.sequence
    with network_scope(town.network):
        services.update_event(
            event=event, by=town.facilitator, starts_at=event.starts_at + timedelta(hours=2)
        )
    before = len(town.mailed(town.member.representative))
    notifications.deliver_pending_notifications()

    (changed,) = town.inbox(town.member.representative, EventNotice.CHANGED)
    assert changed.link == event.get_absolute_url()
    message = town.mailed(town.member.representative)[before]
    calendar, attachment = calendar_of(message)
    assert attachment[2].startswith("text/calendar")
    (entry,) = calendar.walk("VEVENT")
    assert str(entry["UID"]).startswith(f"event-{event.pk}@")
    assert int(entry["SEQUENCE"]) == first_sequence + 1
    assert town.inbox(town.quiet.representative, EventNotice.CHANGED)
    assert not town.inbox(town.elsewhere.representative, EventNotice.CHANGED)
    assert not town.inbox(town.gone.representative, EventNotice.CHANGED)


def test_a_change_of_description_alone_tells_nobody(town):
    event = plenary(town)
    registered(town, event)
    with network_scope(town.network):
        services.update_event(event=event, by=town.facilitator, description="Más detalles.")
    assert not town.inbox(town.member.representative, EventNotice.CHANGED)


def test_a_cancelled_event_sends_registrants_a_cancelling_entry(town):
    event = plenary(town)
    registered(town, event)
    with network_scope(town.network):
        services.cancel_event(event=event, by=town.facilitator, reason="Paro de transportes.")
    notifications.deliver_pending_notifications()
    (_item,) = town.inbox(town.shared.representative, EventNotice.CANCELLED)
    message = next(
        m for m in town.mailed(town.shared.representative) if "Paro de transportes" in m.body
    )
    calendar, _attachment = calendar_of(message)
    assert calendar["METHOD"] == "CANCEL"
    (entry,) = calendar.walk("VEVENT")
    assert entry["STATUS"] == "CANCELLED" and int(entry["SEQUENCE"]) == 1
    assert not town.inbox(town.gone.representative, EventNotice.CANCELLED)
    assert not town.inbox(town.elsewhere.representative, EventNotice.CANCELLED)
    assert not town.mailed(town.quiet.representative)


def test_the_unsubscribe_link_of_an_event_mail_works_without_a_session(client, town):
    event = plenary(town)
    registered(town, event)
    with network_scope(town.network):
        services.cancel_event(event=event, by=town.facilitator, reason="Lluvias.")
    notifications.deliver_pending_notifications()
    person = town.member.alternate
    message = town.mailed(person)[-1]
    url = message.extra_headers["List-Unsubscribe"].strip("<>").removeprefix(settings.SITE_URL)
    assert client.post(url, secure=True).status_code == 200
    assert notifications.preference_of(person, town.network) == "never"


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
    reason="two sessions at once need PostgreSQL (CI runs them)",
)
def test_a_cancellation_is_mailed_once_with_two_workers(town):
    event = plenary(town)
    registered(town, event)
    with network_scope(town.network):
        services.cancel_event(event=event, by=town.facilitator, reason="Lluvias.")
    deliver_with_two_workers()
    # One announcement mail and one cancellation mail, each written once.
    assert town.outbox_rows(town.member.representative) == 2
    assert town.outbox_rows(town.quiet.representative) == 0


def test_a_person_registered_without_an_account_gets_the_change_in_their_language(town):
    with network_scope(town.network):
        event = EventFactory(network=town.network, title="Feria abierta")
        guest = register_guest(event=event, name="Rosa Quispe", email="rosa@example.org")
        type(guest).objects.filter(pk=guest.pk).update(language="en")
        services.update_event(event=event, by=town.facilitator, place="Plaza de Armas")
        services.update_event(event=event, by=town.facilitator, place="Plaza de Armas")
    rows = OutgoingMail.objects.filter(
        recipients="rosa@example.org", key__startswith=f"{EventNotice.CHANGED}:"
    )
    (row,) = rows  # one mail for one change; saving the same place again tells nobody
    assert row.subject.startswith("Changed: Feria abierta")
    (attachment,) = row.message["attachments"]
    (entry,) = Calendar.from_ical(attachment["content"]["text"]).walk("VEVENT")
    assert int(entry["SEQUENCE"]) == 1
