"""Events in the API: what each person sees, registering and cancelling, attendance."""

from datetime import datetime, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from events.models import (
    AgendaItem,
    Event,
    EventKind,
    EventStatus,
    Registration,
    RegistrationStatus,
    Visibility,
)
from networks.scoping import all_networks
from tests import factories
from tests.events.factories import EventFactory, RegistrationFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

LIMA = ZoneInfo("America/Lima")
BASE = "/api/v1/networks/arequipa/events/"


@pytest.fixture
def cast(network, other_network):
    with all_networks():
        organiser = factories.MembershipFactory(network=network)
        member = factories.MembershipFactory(network=network)
        outsider = factories.MembershipFactory(network=other_network)
        facilitator = factories.FacilitatorFactory(network=network).user
        event = EventFactory(
            network=network,
            kind=EventKind.PLENARY,
            title="Plenaria de Arequipa",
            starts_at=datetime(2030, 3, 10, 9, 0, tzinfo=LIMA),
            ends_at=datetime(2030, 3, 10, 13, 0, tzinfo=LIMA),
            registration_closes_at=datetime(2030, 3, 9, 18, 0, tzinfo=LIMA),
            capacity=10,
        )
        event.organiser_rows.create(network=network, entity=organiser.entity)
        AgendaItem.objects.create(
            network=network,
            event=event,
            title="Plan anual",
            proposer=member.entity,
            proposal="Aprobar el plan anual de voluntariado",
        )
        members_only = EventFactory(
            network=network, title="Reunión de socios", visibility=Visibility.MEMBERS
        )
        draft = EventFactory(network=network, title="Borrador", status=EventStatus.DRAFT)
        draft.organiser_rows.create(network=network, entity=organiser.entity)
        foreign = EventFactory(network=other_network, title="Plenaria de Cusco")
    return SimpleNamespace(
        organiser=organiser,
        member=member,
        outsider=outsider,
        facilitator=facilitator,
        event=event,
        members_only=members_only,
        draft=draft,
        foreign=foreign,
    )


def titles(response):
    assert response.status_code == 200, response.content
    return [event["title"] for event in response.json()["results"]]


def test_visitors_see_announced_public_events_only(client, cast):
    assert titles(client.get(BASE)) == ["Plenaria de Arequipa"]


def test_members_see_members_only_events_and_organisers_their_drafts(client, cast):
    client.force_login(cast.member.representative)
    assert set(titles(client.get(BASE))) == {"Plenaria de Arequipa", "Reunión de socios"}
    client.force_login(cast.organiser.alternate)
    assert set(titles(client.get(BASE))) == {
        "Plenaria de Arequipa",
        "Reunión de socios",
        "Borrador",
    }
    client.force_login(cast.facilitator)
    assert len(titles(client.get(BASE))) == 3
    client.force_login(cast.outsider.representative)
    assert titles(client.get(BASE)) == ["Plenaria de Arequipa"]


def test_the_list_agrees_with_the_view_event_permission_for_every_person(client, cast):
    people = [
        None,
        cast.member.representative,
        cast.organiser.representative,
        cast.outsider.representative,
        cast.facilitator,
    ]
    with all_networks():
        events = list(Event.objects.filter(network=cast.event.network))
    for person in people:
        client.logout()
        if person is not None:
            client.force_login(person)
        listed = set(titles(client.get(BASE)))
        user = person or AnonymousUser()
        allowed = {event.title for event in events if user.has_perm("events.view_event", event)}
        assert listed == allowed, person


def test_the_detail_gives_agenda_organisers_local_times_and_places_left(client, cast):
    with all_networks():
        RegistrationFactory(event=cast.event, entity=cast.member.entity, people=3)
        RegistrationFactory(
            event=cast.event,
            entity=cast.outsider.entity,
            status=RegistrationStatus.WAITLISTED,
            confirmed_at=None,
        )
    body = client.get(f"{BASE}{cast.event.pk}/").json()
    assert body["starts_at"] == "2030-03-10T09:00:00-05:00"
    assert body["registration_closes_at"] == "2030-03-09T18:00:00-05:00"
    assert body["time_zone"] == "America/Lima"
    assert body["organisers"] == [
        {"slug": cast.organiser.entity.slug, "name": cast.organiser.entity.name}
    ]
    assert body["agenda"] == [
        {
            "position": 1,
            "title": "Plan anual",
            "proposer": {"slug": cast.member.entity.slug, "name": cast.member.entity.name},
            "proposal": "Aprobar el plan anual de voluntariado",
        }
    ]
    assert (body["capacity"], body["confirmed_people"], body["places_left"]) == (10, 3, 7)
    assert body["waiting_count"] == 1


def test_hidden_and_foreign_events_are_not_found(client, cast):
    assert client.get(f"{BASE}{cast.members_only.pk}/").status_code == 404
    assert client.get(f"{BASE}{cast.draft.pk}/").status_code == 404
    assert client.get(f"{BASE}{cast.foreign.pk}/").status_code == 404
    client.force_login(cast.facilitator)
    assert client.get(f"{BASE}{cast.foreign.pk}/").status_code == 404
    assert client.get(f"{BASE}{cast.draft.pk}/").status_code == 200


def test_events_filter_by_kind_status_commission_and_dates_and_order_by_start(client, cast):
    with all_networks():
        commission = factories.CommissionFactory(network=cast.event.network)
        EventFactory(
            network=cast.event.network,
            title="Taller de la comisión",
            commission=commission,
            starts_at=datetime(2030, 3, 12, 9, 0, tzinfo=LIMA),
            ends_at=datetime(2030, 3, 12, 11, 0, tzinfo=LIMA),
        )
        EventFactory(network=cast.event.network, title="Cancelado", status=EventStatus.CANCELLED)
    assert titles(client.get(BASE, {"kind": "plenary"})) == ["Plenaria de Arequipa"]
    assert titles(client.get(BASE, {"status": "cancelled"})) == ["Cancelado"]
    assert titles(client.get(BASE, {"commission": commission.pk})) == ["Taller de la comisión"]
    window = {"date_from": "2030-03-10", "date_to": "2030-03-11"}
    assert titles(client.get(BASE, window)) == ["Plenaria de Arequipa"]
    assert titles(client.get(BASE, {"date_from": "2030-03-11"})) == ["Taller de la comisión"]
    ordered = titles(client.get(BASE, {"ordering": "-starts_at"}))
    assert ordered[:2] == ["Taller de la comisión", "Plenaria de Arequipa"]


def test_bad_filters_are_a_400_with_field_errors(client, cast):
    response = client.get(BASE, {"date_from": "mañana", "kind": "fiesta"})
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"date_from", "kind"}


def test_public_readers_see_confirmed_entities_only_without_personal_data(client, cast):
    with all_networks():
        RegistrationFactory(event=cast.event, entity=cast.member.entity, people=2)
        RegistrationFactory(
            event=cast.event,
            entity=cast.organiser.entity,
            status=RegistrationStatus.WAITLISTED,
            confirmed_at=None,
        )
        RegistrationFactory(event=cast.event, name="Rosa Quispe", email="rosa@example.org")
    url = f"{BASE}{cast.event.pk}/registrations/"
    client.force_login(cast.member.alternate)
    response = client.get(url)
    body = response.json()
    assert [row["entity"]["slug"] for row in body["results"]] == [cast.member.entity.slug]
    assert body["results"][0]["people"] == 2 and body["results"][0]["email"] is None
    assert "Rosa" not in response.content.decode() and "rosa@" not in response.content.decode()
    client.force_login(cast.organiser.representative)
    body = client.get(url).json()
    assert {row["status"] for row in body["results"]} == {"confirmed", "waitlisted"}
    assert {row["email"] for row in body["results"]} == {None, "rosa@example.org"}
    assert client.get(url, {"status": "waitlisted"}).json()["count"] == 1


def test_a_member_registers_an_entity_it_acts_for(client, cast):
    client.force_login(cast.member.representative)
    url = f"{BASE}{cast.event.pk}/registrations/"
    response = client.post(url, {"entity": cast.member.entity.slug, "people": 4})
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "confirmed" and response.json()["people"] == 4
    with all_networks():
        registration = Registration.objects.get(event=cast.event, entity=cast.member.entity)
    assert registration.user == cast.member.representative
    again = client.post(url, {"entity": cast.member.entity.slug, "people": 1})
    assert again.status_code == 409
    assert again.json()["code"] == "refused"
    assert cast.member.entity.name in again.json()["detail"]


def test_a_full_event_puts_an_entity_on_the_waiting_list_and_refuses_more_than_capacity(
    client, cast
):
    with all_networks():
        RegistrationFactory(event=cast.event, entity=cast.organiser.entity, people=9)
    client.force_login(cast.member.representative)
    url = f"{BASE}{cast.event.pk}/registrations/"
    too_many = client.post(url, {"entity": cast.member.entity.slug, "people": 11})
    assert too_many.status_code == 409
    waiting = client.post(url, {"entity": cast.member.entity.slug, "people": 2})
    assert waiting.status_code == 201 and waiting.json()["status"] == "waitlisted"


def test_registering_after_registration_closed_is_refused(client, cast):
    with time_machine.travel(datetime(2030, 3, 9, 20, 0, tzinfo=LIMA)):
        client.force_login(cast.member.representative)
        response = client.post(
            f"{BASE}{cast.event.pk}/registrations/", {"entity": cast.member.entity.slug}
        )
    assert response.status_code == 409
    with all_networks():
        assert not Registration.objects.filter(event=cast.event).exists()


def test_bad_registrations_are_400_or_403_and_change_nothing(client, cast):
    url = f"{BASE}{cast.event.pk}/registrations/"
    assert client.post(url, {"entity": cast.member.entity.slug}).status_code == 401
    client.force_login(cast.member.representative)
    response = client.post(url, {"entity": cast.organiser.entity.slug})
    assert response.status_code == 400 and "entity" in response.json()["errors"]
    response = client.post(url, {"entity": cast.member.entity.slug, "people": 0})
    assert response.status_code == 400 and "people" in response.json()["errors"]
    response = client.post(url, {"entity": cast.member.entity.slug, "people": "muchos"})
    assert response.status_code == 400
    assert client.post(url, {}).status_code == 400
    draft_url = f"{BASE}{cast.draft.pk}/registrations/"
    assert client.post(draft_url, {"entity": cast.member.entity.slug}).status_code == 404
    client.force_login(cast.facilitator)  # neutral: acts for no entity
    assert client.post(url, {"entity": cast.member.entity.slug}).status_code == 403
    with all_networks():
        assert not Registration.objects.filter(event=cast.event).exists()


def test_cancelling_moves_the_waiting_list_up_and_only_for_those_concerned(client, cast):
    with all_networks():
        first = RegistrationFactory(event=cast.event, entity=cast.member.entity, people=10)
        waiting = RegistrationFactory(
            event=cast.event,
            entity=cast.organiser.entity,
            status=RegistrationStatus.WAITLISTED,
            confirmed_at=None,
        )
    url = f"{BASE}{cast.event.pk}/registrations/{first.pk}/cancel/"
    client.force_login(cast.outsider.representative)
    assert client.post(url).status_code == 403
    client.force_login(cast.member.alternate)
    assert client.get(url).json()["status"] == "confirmed"
    response = client.post(url)
    assert response.status_code == 200 and response.json()["status"] == "cancelled"
    with all_networks():
        waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.CONFIRMED
    assert client.post(url).status_code == 409


def test_attendance_is_for_organisers_and_facilitators(client, cast):
    with all_networks():
        RegistrationFactory(event=cast.event, entity=cast.member.entity, attended_people=2)
    url = f"{BASE}{cast.event.pk}/attendance/"
    assert client.get(url).status_code == 401
    client.force_login(cast.member.representative)
    assert client.get(url).status_code == 403
    client.force_login(cast.organiser.representative)
    body = client.get(url).json()
    assert body["results"][0]["attended_people"] == 2 and body["results"][0]["attended"]


@pytest.mark.parametrize("size", [10, 1000])
def test_every_event_list_makes_the_same_queries_at_any_size(
    client, cast, size, django_assert_num_queries
):
    network = cast.event.network
    now = timezone.now()
    with all_networks():
        events = Event.objects.bulk_create(
            Event(
                network=network,
                kind=EventKind.TRAINING,
                title=f"Taller {number}",
                starts_at=now + timedelta(days=30),
                ends_at=now + timedelta(days=30, hours=2),
                registration_closes_at=now + timedelta(days=29),
                status=EventStatus.ANNOUNCED,
            )
            for number in range(size)
        )
        for event in events[:10]:
            event.organiser_rows.create(network=network, entity=cast.member.entity)
        Registration.objects.bulk_create(
            Registration(
                network=network,
                event=cast.event,
                name=f"Persona {number}",
                email=f"persona{number}@example.org",
                status=RegistrationStatus.CONFIRMED,
                attended_people=1,
            )
            for number in range(size)
        )
    client.force_login(cast.facilitator)
    client.get(BASE)  # the session and the person's roles, read once
    # network (with the networks under it), user with roles; count, page, organisers
    with django_assert_num_queries(5):
        assert client.get(BASE, {"page_size": 200}).status_code == 200
    with django_assert_num_queries(6):
        assert client.get(f"{BASE}{cast.event.pk}/registrations/?page_size=200").status_code == 200
    with django_assert_num_queries(6):
        assert client.get(f"{BASE}{cast.event.pk}/attendance/?page_size=200").status_code == 200


def test_numbers_beyond_any_id_are_a_404_or_a_400_never_a_500(client, cast):
    huge = 10**30
    assert client.get(f"{BASE}{huge}/").status_code == 404
    assert client.get(f"{BASE}{cast.event.pk}/registrations/{huge}/cancel/").status_code == 404
    assert client.get(BASE, {"commission": huge}).status_code == 400
    wide = {"date_from": "2020-01-01", "date_to": "2030-12-31"}
    assert titles(client.get(BASE, wide)) == ["Plenaria de Arequipa"]
    far = client.get(BASE, {"date_from": "0001-01-01", "date_to": "9999-12-31"})
    assert far.status_code == 400
    assert set(far.json()["errors"]) == {"date_from", "date_to"}
    client.force_login(cast.member.representative)
    response = client.post(
        f"{BASE}{cast.event.pk}/registrations/",
        ["not", "an", "object"],
        content_type="application/json",
    )
    assert response.status_code == 400
