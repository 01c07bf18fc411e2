"""The iCalendar files: parsed back by two parsers, with the right UTC offsets and a link back."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import ics
import pytest
import time_machine
from django.urls import reverse
from icalendar import Calendar

from events import services
from events.models import Visibility
from tests.events.conftest import Cast

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("unscoped")]

MADRID = ZoneInfo("Europe/Madrid")
LIMA = ZoneInfo("America/Lima")


def parse_both(content):
    text = content.decode() if isinstance(content, bytes) else content
    return Calendar.from_ical(text), ics.Calendar(text)


@pytest.fixture
def madrid_cast(network):
    network.time_zone = "Europe/Madrid"
    network.save()
    return Cast(network)


def test_an_event_file_carries_its_time_zone_and_link_in_winter_and_summer(client, madrid_cast):
    # Spain changes to summer time on 30 March 2025: one event on each side.
    with time_machine.travel(datetime(2025, 3, 1, tzinfo=MADRID)):
        winter = madrid_cast.event(starts_at=datetime(2025, 3, 28, 18, 0, tzinfo=MADRID))
        summer = madrid_cast.event(starts_at=datetime(2025, 4, 4, 18, 0, tzinfo=MADRID))
        for event, offset in ((winter, timedelta(hours=1)), (summer, timedelta(hours=2))):
            url = reverse(
                "events:ics", kwargs={"network_slug": event.network.slug, "event_id": event.pk}
            )
            response = client.get(url, secure=True)
            assert response["Content-Type"].startswith("text/calendar")
            parsed, imported = parse_both(response.content)

            assert [tz["TZID"] for tz in parsed.walk("VTIMEZONE")] == ["Europe/Madrid"]
            (component,) = parsed.walk("VEVENT")
            start = component.decoded("DTSTART")
            assert start.utcoffset() == offset
            assert (start.hour, start.minute) == (18, 0)
            assert str(component["URL"]).endswith(event.get_absolute_url())
            assert "TZID=Europe/Madrid" in response.content.decode()

            (second,) = imported.events
            assert second.begin.utcoffset() == offset
            assert (
                second.begin.datetime.astimezone(ZoneInfo("UTC")).hour
                == 18 - offset.seconds // 3600
            )
            assert second.name == event.title


def test_lima_events_carry_minus_five_hours(client, cast):
    start = datetime(2025, 12, 5, 9, 0, tzinfo=LIMA)
    with time_machine.travel(start - timedelta(days=30)):
        event = cast.event(starts_at=start, kind="volunteer_day", title="Día del Voluntariado")
        response = client.get(
            reverse("events:network_feed", kwargs={"network_slug": cast.network.slug}),
            secure=True,
        )
    parsed, imported = parse_both(response.content)
    assert [tz["TZID"] for tz in parsed.walk("VTIMEZONE")] == ["America/Lima"]
    (component,) = parsed.walk("VEVENT")
    assert component.decoded("DTSTART").utcoffset() == timedelta(hours=-5)
    assert imported.events.pop().begin.utcoffset() == timedelta(hours=-5)
    assert str(component["SUMMARY"]) == event.title


def test_the_network_feed_lists_public_events_only(client, cast):
    cast.event(title="Abierto al público")
    cast.event(title="Solo para miembros", visibility=Visibility.MEMBERS)
    response = client.get(
        reverse("events:network_feed", kwargs={"network_slug": cast.network.slug}), secure=True
    )
    parsed, _imported = parse_both(response.content)
    assert [str(c["SUMMARY"]) for c in parsed.walk("VEVENT")] == ["Abierto al público"]


def test_the_commission_feed_lists_its_events_only(client, cast):
    from tests import factories

    commission = factories.CommissionFactory(network=cast.network)
    factories.PromoterTermFactory(commission=commission, entity=cast.entities[0])
    cast.event(title="Reunión de la comisión", kind="commission_meeting", commission=commission)
    cast.event(title="Otro evento")
    response = client.get(
        reverse(
            "events:commission_feed",
            kwargs={"network_slug": cast.network.slug, "commission_id": commission.pk},
        ),
        secure=True,
    )
    parsed, imported = parse_both(response.content)
    assert [str(c["SUMMARY"]) for c in parsed.walk("VEVENT")] == ["Reunión de la comisión"]
    assert len(imported.events) == 1


def test_the_private_feed_lists_what_my_entities_registered_for_until_revoked(
    client, cast, other_network
):
    mine = cast.event(title="Mío")
    cast.event(title="Ajeno")
    services.register_entity(
        event=mine, entity=cast.entities[1], people=1, by=cast.representative_of(cast.entities[1])
    )
    person = cast.representative_of(cast.entities[1])
    token = services.renew_calendar_token(user=person).token

    response = client.get(reverse("calendar:feed", kwargs={"token": token}), secure=True)
    parsed, imported = parse_both(response.content)
    assert [str(c["SUMMARY"]) for c in parsed.walk("VEVENT")] == ["Mío"]
    assert len(imported.events) == 1

    services.renew_calendar_token(user=person)
    assert (
        client.get(reverse("calendar:feed", kwargs={"token": token}), secure=True).status_code
        == 404
    )
