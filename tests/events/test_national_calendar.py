"""The national network's calendar shows its regions' events, as each region shows them."""

import pytest
from django.urls import reverse
from icalendar import Calendar

from events.models import EventStatus, Visibility
from networks.models import NetworkKind
from networks.scoping import all_networks
from tests import factories
from tests.events.factories import EventFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def country():
    national = factories.NetworkFactory(
        name="Red Nacional Soy Voluntari@", slug="nacional", kind=NetworkKind.NATIONAL, region=""
    )
    regions = [
        factories.NetworkFactory(
            name=f"Red Soy Voluntari@ {name}", slug=name.lower(), region=name, parent=national
        )
        for name in ("Arequipa", "Piura")
    ]
    return national, *regions


def calendar(client, network, **query):
    response = client.get(
        reverse("events:list", kwargs={"network_slug": network.slug}), query, secure=True
    )
    assert response.status_code == 200
    return response


def titles(response):
    listing = response.context["listing"]
    return sorted(event.title for event in listing.upcoming + listing.past)


@pytest.fixture
def events(country):
    national, arequipa, piura = country
    EventFactory(network=national, title="Congreso Nacional")
    EventFactory(network=arequipa, title="Feria Ambiental de Arequipa")
    EventFactory(network=piura, title="Reunión interna de Piura", visibility=Visibility.MEMBERS)
    EventFactory(network=piura, title="Borrador de Piura", status=EventStatus.DRAFT)
    return country


def test_the_national_calendar_shows_the_regions_public_events_with_their_region(client, events):
    national, arequipa, _piura = events

    response = calendar(client, national)

    assert titles(response) == ["Congreso Nacional", "Feria Ambiental de Arequipa"]
    text = response.content.decode()
    event = next(e for e in response.context["listing"].upcoming if e.network_id == arequipa.pk)
    assert reverse("events:detail", args=["arequipa", event.pk]) in text
    assert "Arequipa ·" in text


def test_a_regions_members_only_event_is_on_the_national_calendar_for_its_members_only(
    client, events
):
    national, arequipa, piura = events
    of_piura = factories.MembershipFactory(network=piura).representative
    of_arequipa = factories.MembershipFactory(network=arequipa).representative

    client.force_login(of_piura)
    assert "Reunión interna de Piura" in titles(calendar(client, national))

    client.force_login(of_arequipa)
    assert "Reunión interna de Piura" not in titles(calendar(client, national))


def test_a_regions_draft_never_reaches_the_national_calendar(client, events):
    national, _arequipa, piura = events
    client.force_login(factories.FacilitatorFactory(network=piura).user)

    assert "Borrador de Piura" not in titles(calendar(client, national))


def test_the_national_calendar_filters_by_region_and_ignores_an_unknown_one(client, events):
    national, _arequipa, _piura = events

    assert titles(calendar(client, national, region="arequipa")) == ["Feria Ambiental de Arequipa"]
    assert titles(calendar(client, national, region="lima-norte")) == [
        "Congreso Nacional",
        "Feria Ambiental de Arequipa",
    ]


def test_a_regional_calendar_shows_nothing_of_its_sibling(client, events):
    _national, arequipa, _piura = events

    assert titles(calendar(client, arequipa)) == ["Feria Ambiental de Arequipa"]


def test_the_national_calendar_makes_the_same_queries_with_more_regional_events(
    client, events, django_assert_max_num_queries, django_assert_num_queries
):
    national, arequipa, piura = events
    with django_assert_max_num_queries(15) as few:
        calendar(client, national)

    with all_networks():
        for network in (arequipa, piura):
            for event in EventFactory.create_batch(5, network=network):
                event.organiser_rows.create(
                    network=network, entity=factories.MembershipFactory(network=network).entity
                )
    with django_assert_num_queries(len(few)):
        response = calendar(client, national)

    assert len(titles(response)) == 2 + 10


def feed(client, network):
    response = client.get(
        reverse("events:network_feed", kwargs={"network_slug": network.slug}), secure=True
    )
    assert response.status_code == 200
    return Calendar.from_ical(response.content.decode())


def summaries(parsed):
    return sorted(str(component["SUMMARY"]) for component in parsed.walk("VEVENT"))


def test_the_national_feed_holds_its_regions_public_events_and_links_them_to_their_region(
    client, events
):
    national, arequipa, _piura = events

    parsed = feed(client, national)

    # Neither Piura's members-only meeting nor its draft: the file is the same for everyone.
    assert summaries(parsed) == ["Congreso Nacional", "Feria Ambiental de Arequipa"]
    with all_networks():
        fair = arequipa.events.get(title="Feria Ambiental de Arequipa")
    [component] = [c for c in parsed.walk("VEVENT") if str(c["SUMMARY"]).startswith("Feria")]
    assert reverse("events:detail", args=["arequipa", fair.pk]) in str(component["URL"])


def test_a_regional_feed_holds_nothing_of_its_sibling_nor_of_the_national_network(client, events):
    _national, arequipa, piura = events
    EventFactory(network=piura, title="Jornada de reforestación en Piura")

    assert summaries(feed(client, arequipa)) == ["Feria Ambiental de Arequipa"]
    assert summaries(feed(client, piura)) == ["Jornada de reforestación en Piura"]


def test_the_national_feed_makes_the_same_queries_with_2_and_20_regional_events(
    client, events, django_assert_max_num_queries, django_assert_num_queries
):
    national, arequipa, piura = events
    EventFactory(network=piura, title="Jornada de reforestación en Piura")
    with django_assert_max_num_queries(10) as few:
        assert len(summaries(feed(client, national))) == 1 + 2

    with all_networks():
        for network in (arequipa, piura):
            EventFactory.create_batch(9, network=network)
    with django_assert_num_queries(len(few)):
        assert len(summaries(feed(client, national))) == 1 + 20
