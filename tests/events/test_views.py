from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from events import services
from events.models import (
    Event,
    EventStatus,
    Minutes,
    Registration,
    RegistrationStatus,
    Visibility,
)
from networks.scoping import all_networks
from tests import factories
from tests.events import factories as event_factories
from tests.events.factories import RegistrationFactory

pytestmark = [pytest.mark.django_db]


@pytest.fixture(autouse=True)
def _plain_http(settings):
    settings.SECURE_SSL_REDIRECT = False


def url(name, network, **kwargs):
    return reverse(f"events:{name}", kwargs={"network_slug": network.slug, **kwargs})


def new_event_data(cast, **overrides):
    start = timezone.localtime(timezone.now() + timedelta(days=14), cast.network.zone)
    data = {
        "kind": "plenary",
        "title": "Plenaria de la red",
        "format": "in_person",
        "place": "Auditorio municipal",
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "visibility": "members",
        "reminders_enabled": "on",
        "reminder_days": "7, 1",
        "announce": "on",
    }
    data.update(overrides)
    return data


def test_a_facilitator_cannot_announce_a_plenary_without_agenda_and_can_with_one(
    client, cast, unscoped
):
    client.force_login(cast.facilitator)
    client.cookies["tejido_language"] = "en"

    refused = client.post(url("create", cast.network), new_event_data(cast))

    assert refused.status_code == 200
    assert "A plenary is announced only with an agenda" in refused.content.decode()
    assert Event.objects.count() == 0

    accepted = client.post(
        url("create", cast.network),
        new_event_data(
            cast,
            agenda_title="Plan de trabajo 2026",
            agenda_proposer=cast.entities[1].pk,
            agenda_proposal="Aprobar tres comisiones nuevas.",
        ),
    )
    event = Event.objects.get()
    assert accepted.status_code == 302
    assert event.status == EventStatus.ANNOUNCED
    # The times typed in are the network's local times.
    local = timezone.localtime(event.starts_at, cast.network.zone)
    assert local.strftime("%Y-%m-%dT%H:%M") == new_event_data(cast)["starts_at"]


def test_an_end_before_the_start_is_a_form_error_and_nothing_is_saved(client, cast, unscoped):
    client.force_login(cast.representative_of(cast.entities[0]))
    data = new_event_data(cast, kind="training", organisers=[cast.entities[0].pk])
    data["ends_at"], data["starts_at"] = data["starts_at"], data["ends_at"]
    response = client.post(url("create", cast.network), data)
    assert response.status_code == 200
    assert "ends_at" in response.context["form"].errors
    assert Event.objects.count() == 0


def test_a_member_registers_its_entity_and_sees_it_on_the_page(client, cast, unscoped):
    event = cast.event(visibility=Visibility.MEMBERS)
    person = cast.representative_of(cast.entities[1])
    client.force_login(person)
    response = client.post(
        url("register_entity", cast.network, event_id=event.pk),
        {"entity": cast.entities[1].pk, "people": 3},
    )
    assert response.status_code == 302
    registration = Registration.objects.get()
    assert (registration.entity, registration.people) == (cast.entities[1], 3)
    page = client.get(url("detail", cast.network, event_id=event.pk))
    assert cast.entities[1].name in page.content.decode()
    # The form does not offer to register it again: this person acts for no other entity.
    assert url("register_entity", cast.network, event_id=event.pk) not in page.content.decode()


def test_after_registering_oneself_the_personal_form_is_not_offered_again(client, cast, unscoped):
    event = cast.event()
    person = factories.UserFactory()
    client.force_login(person)
    registration_url = url("register_person", cast.network, event_id=event.pk)
    before = client.get(url("detail", cast.network, event_id=event.pk)).content.decode()
    assert registration_url in before
    services.register_person(event=event, by=person, name="Rosa Quispe", email=person.email)
    page = client.get(url("detail", cast.network, event_id=event.pk)).content.decode()
    assert registration_url not in page


def test_a_member_cannot_register_an_entity_it_does_not_act_for(client, cast, unscoped):
    event = cast.event()
    client.force_login(cast.representative_of(cast.entities[1]))
    response = client.post(
        url("register_entity", cast.network, event_id=event.pk),
        {"entity": cast.entities[2].pk, "people": 1},
    )
    assert response.status_code == 200
    assert not Registration.objects.exists()


def test_a_members_only_event_sends_visitors_to_log_in(client, cast, unscoped):
    event = cast.event(visibility=Visibility.MEMBERS)
    response = client.get(url("detail", cast.network, event_id=event.pk))
    assert response.status_code == 302
    assert "login" in response.url or "cuenta" in response.url


def test_a_draft_is_not_found_by_visitors(client, cast, unscoped):
    event = cast.event()
    Event.objects.filter(pk=event.pk).update(status=EventStatus.DRAFT)
    assert client.get(url("detail", cast.network, event_id=event.pk)).status_code == 404


def test_the_public_page_shows_no_personal_data_nor_waiting_entities(client, cast, unscoped):
    event = cast.event(capacity=1)
    event_factories.register_guest(event=event, name="Rosa Quispe", email="rosa@example.org")
    services.register_entity(
        event=event, entity=cast.entities[2], people=1, by=cast.representative_of(cast.entities[2])
    )
    page = client.get(url("detail", cast.network, event_id=event.pk)).content.decode()
    assert "Rosa Quispe" not in page
    assert "rosa@example.org" not in page
    assert cast.entities[2].name not in page


def test_organisers_see_the_registrations_with_people_details(client, cast, unscoped):
    event = cast.event()
    event_factories.register_guest(event=event, name="Rosa Quispe", email="rosa@example.org")
    client.force_login(cast.facilitator)
    page = client.get(url("registrations", cast.network, event_id=event.pk)).content.decode()
    assert "rosa@example.org" in page
    client.force_login(cast.representative_of(cast.entities[2]))
    assert client.get(url("registrations", cast.network, event_id=event.pk)).status_code == 403


def test_the_cancel_link_of_the_mail_cancels_the_registration(client, cast, unscoped):
    event = cast.event()
    registration = event_factories.register_guest(
        event=event, name="Rosa", email="rosa@example.org"
    )
    link = url("cancel_by_link", cast.network, event_id=event.pk, token=registration.cancel_token)
    assert client.get(link).status_code == 200
    assert client.post(link).status_code == 302
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CANCELLED


def test_the_facilitator_marks_attendance_and_publishes_minutes(client, cast, unscoped):
    start = timezone.now() + timedelta(days=2)
    event = cast.event(starts_at=start)
    registration = services.register_entity(
        event=event, entity=cast.entities[1], people=3, by=cast.representative_of(cast.entities[1])
    )
    client.force_login(cast.facilitator)
    with time_machine.travel(start + timedelta(hours=5)):
        response = client.post(
            url("attendance", cast.network, event_id=event.pk),
            {f"attended_{registration.pk}": "2"},
        )
        assert response.status_code == 302
        response = client.post(
            url("minutes", cast.network, event_id=event.pk),
            {
                "summary": "Se aprobó el plan.",
                "decisions-TOTAL_FORMS": "1",
                "decisions-INITIAL_FORMS": "0",
                "decisions-0-text": "Feria en diciembre",
                "decisions-0-follow_up": "Reservar la plaza",
            },
        )
        assert response.status_code == 302
        assert (
            client.post(url("minutes_publish", cast.network, event_id=event.pk)).status_code == 302
        )
    registration.refresh_from_db()
    assert registration.attended_people == 2
    assert event.minutes.published_at is not None
    client.force_login(cast.representative_of(cast.entities[2]))
    page = client.get(url("minutes", cast.network, event_id=event.pk)).content.decode()
    assert "Reservar la plaza" in page


def test_minutes_are_for_members_only(client, cast, unscoped):
    event = cast.event()
    response = client.get(url("minutes", cast.network, event_id=event.pk))
    assert response.status_code == 302


def test_the_network_page_shows_the_participation_share(client, cast, unscoped):
    past = timezone.now() - timedelta(days=30)
    with time_machine.travel(past - timedelta(days=5)):
        event = cast.event(starts_at=past)
        services.register_entity(
            event=event,
            entity=cast.entities[0],
            people=1,
            by=cast.representative_of(cast.entities[0]),
        )
    page = client.get(reverse("networks:detail", kwargs={"network_slug": cast.network.slug}))
    # One of three member entities took part in the last 12 months.
    assert "33 %" in page.content.decode()


def test_participation_counts_attendance_when_recorded_and_only_the_last_year(cast, unscoped):
    from events.selectors import participation_share

    start = timezone.now() - timedelta(days=10)
    with time_machine.travel(start - timedelta(days=5)):
        event = cast.event(starts_at=start)
        came = services.register_entity(
            event=event,
            entity=cast.entities[0],
            people=1,
            by=cast.representative_of(cast.entities[0]),
        )
        absent = services.register_entity(
            event=event,
            entity=cast.entities[1],
            people=1,
            by=cast.representative_of(cast.entities[1]),
        )
    old = timezone.now() - timedelta(days=400)
    with time_machine.travel(old - timedelta(days=5)):
        ancient = cast.event(starts_at=old)
        services.register_entity(
            event=ancient,
            entity=cast.entities[2],
            people=1,
            by=cast.representative_of(cast.entities[2]),
        )
    services.record_attendance(
        event=event, attended={came.pk: 1, absent.pk: 0}, by=cast.facilitator
    )

    share = participation_share(network=cast.network)

    assert (share.participating, share.members, share.percent) == (1, 3, 33)


def registrations(event, count):
    with all_networks():
        entities = factories.bulk_members(event.network, count, start=Registration.objects.count())
        Registration.objects.bulk_create(
            Registration(
                network=event.network,
                event=event,
                entity=entity,
                people=1,
                status=RegistrationStatus.CONFIRMED,
                cancel_token=f"token-{entity.pk}",
            )
            for entity in entities
        )


@pytest.mark.parametrize("persona", ["visitor", "member", "facilitator"])
def test_the_event_page_makes_as_many_queries_with_10_as_with_1000_registrations(
    client, cast, persona, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with all_networks():
        event = cast.event()
    if persona == "member":
        client.force_login(cast.representative_of(cast.entities[1]))
    elif persona == "facilitator":
        client.force_login(cast.facilitator)
    page = url("detail", cast.network, event_id=event.pk)
    registrations(event, 10)
    with CaptureQueriesContext(connection) as small:
        assert client.get(page).status_code == 200
    registrations(event, 990)
    with django_assert_num_queries(len(small)):
        response = client.get(page)
    assert response.status_code == 200


def test_the_event_list_makes_as_many_queries_with_2_as_with_40_events(
    client, cast, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with all_networks():
        for _ in range(2):
            cast.event()
    page = url("list", cast.network)
    with CaptureQueriesContext(connection) as small:
        assert client.get(page).status_code == 200
    with all_networks():
        for _ in range(38):
            cast.event()
    with django_assert_num_queries(len(small)):
        client.get(page)


def test_minutes_page_makes_as_many_queries_with_10_as_with_1000_registrations(
    client, cast, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with all_networks():
        event = cast.event()
        Minutes.objects.create(
            network=cast.network, event=event, summary="Acta", published_at=timezone.now()
        )
    client.force_login(cast.representative_of(cast.entities[1]))
    page = url("minutes", cast.network, event_id=event.pk)
    registrations(event, 10)
    with CaptureQueriesContext(connection) as small:
        assert client.get(page).status_code == 200
    registrations(event, 990)
    with django_assert_num_queries(len(small)):
        client.get(page)


def test_an_event_id_of_another_network_is_not_found(client, cast, other_network, unscoped):
    from tests.events.factories import EventFactory

    theirs = EventFactory(network=other_network)
    RegistrationFactory(event=theirs, name="X", email="x@example.org")
    client.force_login(cast.facilitator)
    assert client.get(url("detail", cast.network, event_id=theirs.pk)).status_code == 404
    assert client.get(url("ics", cast.network, event_id=theirs.pk)).status_code == 404


def decision_of_a_commission_promoted_by(cast, promoter):
    """Published minutes of a past event with a decision followed up by a commission."""
    from commissions.models import PromoterTerm

    commission = factories.CommissionFactory(network=cast.network, name="Comisión de Salud")
    with all_networks():
        PromoterTerm.objects.create(network=cast.network, commission=commission, entity=promoter)
    start = timezone.now() - timedelta(days=2)
    with time_machine.travel(start - timedelta(days=20)):
        event = cast.event(starts_at=start)
    services.save_minutes(
        event=event,
        summary="Acta",
        decisions=[
            {"text": "Feria de salud", "follow_up": "Pedir la plaza", "commission": commission}
        ],
        by=cast.facilitator,
    )
    services.publish_minutes(event=event, by=cast.facilitator)
    with all_networks():
        decision = event.minutes.decisions.get()
    return event, decision


def test_a_member_promoting_none_is_offered_no_entity_and_refused_a_decision_action(client, cast):
    from django.utils import translation

    from commissions.models import Action
    from core.errors import DomainError

    promoter, member = cast.entities[1], cast.entities[0]
    event, decision = decision_of_a_commission_promoted_by(cast, promoter)
    page_url = url("decision_action", cast.network, event_id=event.pk, decision_id=decision.pk)
    client.force_login(cast.representative_of(member))

    page = client.get(page_url)
    posted = client.post(page_url, {"entity": promoter.pk, "responsible": promoter.pk})

    assert page.status_code == 200
    assert list(page.context["form"].fields["entity"].queryset) == []
    assert not page.context["can_act"]
    assert promoter.name not in page.content.decode()
    assert posted.status_code == 403
    with translation.override("en"), pytest.raises(DomainError, match="do not act for"):
        services.turn_decision_into_action(
            decision=decision,
            entity=promoter,
            responsible=promoter,
            by=cast.representative_of(member),
        )
    with all_networks():
        assert not Action.objects.exists()


def test_a_promoter_is_offered_its_own_entity_and_turns_the_decision_into_an_action(client, cast):
    from commissions.models import Action

    promoter = cast.entities[1]
    event, decision = decision_of_a_commission_promoted_by(cast, promoter)
    page_url = url("decision_action", cast.network, event_id=event.pk, decision_id=decision.pk)
    client.force_login(cast.representative_of(promoter))

    page = client.get(page_url)
    posted = client.post(page_url, {"entity": promoter.pk, "responsible": promoter.pk})

    assert list(page.context["form"].fields["entity"].queryset) == [promoter]
    assert posted.status_code == 302
    with all_networks():
        assert Action.objects.get().title == "Pedir la plaza"
