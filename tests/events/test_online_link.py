"""The link to join an event online: calendar files show it to whom the event page shows it.

The page shows it to whoever holds (or waits for) a place, personally or
through an entity they act for, and to whoever runs the event. The network's
and a commission's calendars are public files: they never carry it.
"""

import pytest
from django.urls import reverse
from icalendar import Calendar

from commissions.services import propose_commission
from events import services

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("unscoped")]

LINK = "https://meet.example.org/plenaria-reservada"


@pytest.fixture(autouse=True)
def _plain_http(settings):
    settings.SECURE_SSL_REDIRECT = False


@pytest.fixture
def online(cast):
    """A hybrid event of the cast; the second entity registered for it, the third did not."""
    promoter = cast.entities[0]
    commission = propose_commission(
        network=cast.network,
        entity=promoter,
        name="Comisión en línea",
        by=cast.representative_of(promoter),
    )
    event = cast.event(
        title="Taller en línea",
        format="hybrid",
        online_link=LINK,
        commission=commission,
    )
    services.register_entity(
        event=event, entity=cast.entities[1], people=1, by=cast.representative_of(cast.entities[1])
    )
    return event


def event_url(name, event, **kwargs):
    return reverse(
        f"events:{name}",
        kwargs={"network_slug": event.network.slug, "event_id": event.pk, **kwargs},
    )


def calendar_text(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    # Unfolded, so that a long line split by the format still reads as one.
    return Calendar.from_ical(response.content).to_ical().decode().replace("\r\n ", "")


def as_person(client, person):
    client.logout()
    if person is not None:
        client.force_login(person)
    return client


def test_an_events_file_carries_the_link_exactly_for_those_its_page_shows_it_to(
    client, cast, online
):
    people = {
        "a visitor": (None, False),
        "a member not registered": (cast.representative_of(cast.entities[2]), False),
        "a registered member": (cast.representative_of(cast.entities[1]), True),
        "the organiser": (cast.representative_of(cast.entities[0]), True),
        "the facilitator": (cast.facilitator, True),
    }
    for who, (person, shown) in people.items():
        as_person(client, person)
        page = client.get(event_url("detail", online)).content.decode()
        ics = calendar_text(client.get(event_url("ics", online)))
        assert (LINK in page) is shown, who
        assert (LINK in ics) is shown, who


def test_the_network_and_commission_calendars_never_carry_the_link(client, cast, online):
    feeds = [
        reverse("events:network_feed", kwargs={"network_slug": cast.network.slug}),
        reverse(
            "events:commission_feed",
            kwargs={"network_slug": cast.network.slug, "commission_id": online.commission_id},
        ),
    ]
    # Not even for a registered member or the facilitator: the same file serves everybody.
    for person in (None, cast.representative_of(cast.entities[1]), cast.facilitator):
        as_person(client, person)
        for feed in feeds:
            text = calendar_text(client.get(feed))
            assert online.title in text
            assert LINK not in text


def test_a_private_feed_carries_the_link_of_the_events_its_person_holds_a_place_for(
    client, cast, online
):
    registered = cast.representative_of(cast.entities[1])
    token = services.renew_calendar_token(user=registered).token
    text = calendar_text(client.get(reverse("calendar:feed", kwargs={"token": token})))
    assert online.title in text and LINK in text

    # The person who did not register has neither the event nor its link in their feed.
    other = cast.representative_of(cast.entities[2])
    token = services.renew_calendar_token(user=other).token
    text = calendar_text(client.get(reverse("calendar:feed", kwargs={"token": token})))
    assert online.title not in text and LINK not in text


def test_a_virtual_events_location_is_not_the_link_for_those_who_may_not_see_it(client, cast):
    event = cast.event(title="Solo en línea", format="virtual", place="", online_link=LINK)
    ics = calendar_text(client.get(event_url("ics", event)))
    assert "LOCATION" not in ics and LINK not in ics
    as_person(client, cast.facilitator)
    assert f"LOCATION:{LINK}" in calendar_text(client.get(event_url("ics", event)))
