from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from commissions.models import Action, PromoterTerm
from core import outbox
from core.errors import DomainError
from core.models import OutgoingMail
from events import selectors, services
from events.models import (
    Event,
    EventKind,
    EventStatus,
    Registration,
    RegistrationStatus,
    Visibility,
)
from members.models import Notification
from networks.scoping import all_networks
from tests import factories
from tests.events import factories as event_factories

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english", "unscoped")]


def count_events():
    with all_networks():
        return Event.objects.count()


def test_a_plenary_without_an_agenda_item_cannot_be_announced(cast):
    with pytest.raises(DomainError, match="A plenary is announced only with an agenda"):
        cast.event(kind=EventKind.PLENARY)
    assert count_events() == 0


def test_a_plenary_with_an_agenda_item_carrying_a_proposal_is_announced(cast):
    event = services.create_event(
        network=cast.network,
        by=cast.facilitator,
        kind=EventKind.PLENARY,
        title="Plenaria de septiembre",
        format="in_person",
        place="Auditorio",
        starts_at=timezone.now() + timedelta(days=10),
        ends_at=timezone.now() + timedelta(days=10, hours=2),
        visibility=Visibility.MEMBERS,
        agenda=[{"title": "Comisiones", "proposer": cast.entities[1], "proposal": "Renovarlas"}],
        announce=True,
    )
    assert event.status == EventStatus.ANNOUNCED
    assert event.agenda_items.get().proposer == cast.entities[1]


def test_an_agenda_item_needs_a_concrete_proposal(cast):
    with pytest.raises(DomainError, match="concrete proposal"):
        services.create_event(
            network=cast.network,
            by=cast.facilitator,
            kind=EventKind.PLENARY,
            title="Plenaria",
            format="in_person",
            place="Auditorio",
            starts_at=timezone.now() + timedelta(days=10),
            ends_at=timezone.now() + timedelta(days=10, hours=2),
            visibility=Visibility.PUBLIC,
            agenda=[{"title": "Varios", "proposer": cast.entities[1], "proposal": "  "}],
        )
    assert count_events() == 0


def test_a_draft_plenary_is_announced_once_an_item_is_added(cast):
    draft = services.create_event(
        network=cast.network,
        by=cast.facilitator,
        kind=EventKind.PLENARY,
        title="Plenaria",
        format="virtual",
        online_link="https://meet.example.org/plenaria",
        starts_at=timezone.now() + timedelta(days=10),
        ends_at=timezone.now() + timedelta(days=10, hours=2),
        visibility=Visibility.PUBLIC,
    )
    with pytest.raises(DomainError, match="agenda"):
        services.announce_event(event=draft, by=cast.facilitator)
    services.add_agenda_item(
        event=draft, title="Plan", proposer=cast.entities[0], proposal="X", by=cast.facilitator
    )
    assert services.announce_event(event=draft, by=cast.facilitator).status == (
        EventStatus.ANNOUNCED
    )


def test_an_event_that_ends_before_it_starts_is_refused(cast):
    start = timezone.now() + timedelta(days=3)
    with pytest.raises(DomainError, match="must end after it starts"):
        cast.event(starts_at=start, hours=-1)
    assert count_events() == 0


def test_an_in_person_event_needs_a_place_and_a_virtual_one_a_link(cast):
    with pytest.raises(DomainError, match="where the event takes place"):
        cast.event(place="")
    with pytest.raises(DomainError, match="link to join"):
        cast.event(format="virtual", place="")


def test_reminder_days_outside_one_to_thirty_are_refused(cast):
    with pytest.raises(DomainError, match="between 1 and 30 days"):
        cast.event(reminder_days="45,1")


def test_an_organiser_must_be_an_active_member(cast, other_network):
    stranger = factories.MembershipFactory(network=other_network).entity
    with pytest.raises(DomainError, match="not an active member"):
        services.create_event(
            network=cast.network,
            by=cast.facilitator,
            organisers=[stranger],
            kind=EventKind.TRAINING,
            title="Taller",
            format="in_person",
            place="Aula",
            starts_at=timezone.now() + timedelta(days=3),
            ends_at=timezone.now() + timedelta(days=3, hours=1),
            visibility=Visibility.PUBLIC,
        )
    assert count_events() == 0


def test_a_commission_of_another_network_is_refused(cast, other_network):
    theirs = factories.CommissionFactory(network=other_network)
    with pytest.raises(DomainError, match="commission of this network"):
        cast.event(commission=theirs)


def test_a_member_entity_registers_with_its_number_of_people(
    cast, django_capture_on_commit_callbacks, confirmations_sent_at_once
):
    event = cast.event()
    with django_capture_on_commit_callbacks(execute=True):
        registration = services.register_entity(
            event=event,
            entity=cast.entities[1],
            people=4,
            by=cast.representative_of(cast.entities[1]),
        )
    assert registration.status == RegistrationStatus.CONFIRMED
    assert registration.people == 4
    # The confirmation goes to the entity's representative and alternate, with the calendar file.
    assert {message.to[0] for message in mail.outbox} == {
        person.email for person in cast.people_of(cast.entities[1])
    }
    filename, content, mimetype = mail.outbox[0].attachments[0]
    assert filename == "evento.ics"
    assert mimetype.startswith("text/calendar")
    assert "BEGIN:VEVENT" in (content.decode() if isinstance(content, bytes) else content)


def test_the_confirmation_is_written_with_the_registration_and_goes_out_once(cast):
    from events.reminders import send_confirmation, send_pending_confirmations

    event = cast.event()
    registration = services.register_entity(
        event=event, entity=cast.entities[1], people=1, by=cast.representative_of(cast.entities[1])
    )
    # One row per person of the entity, in the registration's own transaction.
    assert OutgoingMail.objects.pending().count() == 2
    # Neither a task of an older release nor the hourly job writes them again.
    assert send_confirmation(registration.pk) == 0
    assert send_pending_confirmations() == 0
    assert outbox.deliver() == 2
    assert len(mail.outbox) == 2


def test_a_second_registration_of_the_same_entity_is_refused(cast):
    event = cast.event()
    services.register_entity(
        event=event, entity=cast.entities[1], people=1, by=cast.representative_of(cast.entities[1])
    )
    with pytest.raises(DomainError, match="already registered"):
        services.register_entity(
            event=event,
            entity=cast.entities[1],
            people=2,
            by=cast.representative_of(cast.entities[1]),
        )
    with all_networks():
        assert Registration.objects.filter(event=event).count() == 1


def test_a_second_registration_of_the_same_email_is_refused_whatever_its_case(cast):
    event = cast.event()
    event_factories.register_guest(event=event, name="Rosa Quispe", email="rosa@example.org")
    with pytest.raises(DomainError, match="already registered"):
        event_factories.register_guest(event=event, name="Rosa", email="ROSA@example.org")


def test_registration_after_closing_is_refused(cast):
    start = timezone.now() + timedelta(days=5)
    event = cast.event(starts_at=start, registration_closes_at=start - timedelta(days=2))
    with (
        time_machine.travel(start - timedelta(days=1)),
        pytest.raises(DomainError, match="Registration for this event closed"),
    ):
        services.register_entity(
            event=event,
            entity=cast.entities[1],
            people=1,
            by=cast.representative_of(cast.entities[1]),
        )
    with all_networks():
        assert not Registration.objects.filter(event=event).exists()


def test_registration_for_a_draft_is_refused(cast):
    draft = services.create_event(
        network=cast.network,
        by=cast.representative_of(cast.entities[0]),
        organisers=[cast.entities[0]],
        kind=EventKind.TRAINING,
        title="Borrador",
        format="in_person",
        place="Aula",
        starts_at=timezone.now() + timedelta(days=3),
        ends_at=timezone.now() + timedelta(days=3, hours=1),
        visibility=Visibility.PUBLIC,
    )
    with pytest.raises(DomainError, match="not open for registration"):
        services.register_entity(
            event=draft,
            entity=cast.entities[1],
            people=1,
            by=cast.representative_of(cast.entities[1]),
        )


def test_individuals_cannot_register_for_a_members_only_event(cast):
    event = cast.event(visibility=Visibility.MEMBERS)
    with pytest.raises(DomainError, match="member entities only"):
        event_factories.register_guest(event=event, name="Ana", email="ana@example.org")


def test_an_entity_of_another_network_cannot_register(cast, other_network):
    event = cast.event()
    stranger = factories.MembershipFactory(network=other_network)
    with pytest.raises(DomainError, match="do not act for"):
        services.register_entity(
            event=event, entity=stranger.entity, people=1, by=stranger.representative
        )
    with all_networks():
        assert not Registration.objects.filter(event=event).exists()


def test_a_registration_beyond_the_whole_capacity_is_refused(cast):
    event = cast.event(capacity=5)
    with pytest.raises(DomainError, match="room for 5 people"):
        services.register_entity(
            event=event,
            entity=cast.entities[1],
            people=6,
            by=cast.representative_of(cast.entities[1]),
        )


def test_when_full_registrations_wait_and_move_up_in_order_when_someone_cancels(cast):
    event = cast.event(capacity=5)
    first = services.register_entity(
        event=event, entity=cast.entities[0], people=4, by=cast.representative_of(cast.entities[0])
    )
    second = services.register_entity(
        event=event, entity=cast.entities[1], people=2, by=cast.representative_of(cast.entities[1])
    )
    third = event_factories.register_guest(event=event, name="Ana", email="ana@example.org")
    assert second.status == RegistrationStatus.WAITLISTED
    # Nobody jumps the queue, even though one seat would fit the third.
    assert third.status == RegistrationStatus.WAITLISTED

    services.cancel_registration(registration=first, by=cast.representative_of(cast.entities[0]))

    second.refresh_from_db()
    third.refresh_from_db()
    assert second.status == RegistrationStatus.CONFIRMED
    assert third.status == RegistrationStatus.CONFIRMED
    with all_networks():
        moved = Notification.objects.filter(kind="event.moved_up")
        assert {n.recipient for n in moved} == cast.people_of(cast.entities[1])


def test_raising_the_capacity_moves_the_waiting_list_up(cast):
    event = cast.event(capacity=2)
    services.register_entity(
        event=event, entity=cast.entities[0], people=2, by=cast.representative_of(cast.entities[0])
    )
    waiting = services.register_entity(
        event=event, entity=cast.entities[1], people=2, by=cast.representative_of(cast.entities[1])
    )
    services.update_event(event=event, capacity=4, by=cast.facilitator)
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.CONFIRMED


def test_the_capacity_cannot_drop_below_the_confirmed_people(cast):
    event = cast.event(capacity=10)
    services.register_entity(
        event=event, entity=cast.entities[0], people=6, by=cast.representative_of(cast.entities[0])
    )
    with pytest.raises(DomainError, match="6 people are already confirmed"):
        services.update_event(event=event, capacity=5, by=cast.facilitator)
    event.refresh_from_db()
    assert event.capacity == 10


def test_attendance_is_recorded_once_the_event_started(cast):
    start = timezone.now() + timedelta(days=2)
    event = cast.event(starts_at=start)
    registration = services.register_entity(
        event=event, entity=cast.entities[1], people=3, by=cast.representative_of(cast.entities[1])
    )
    with pytest.raises(DomainError, match="once the event has started"):
        services.record_attendance(event=event, attended={registration.pk: 2}, by=cast.facilitator)
    with time_machine.travel(start + timedelta(hours=1)):
        services.record_attendance(event=event, attended={registration.pk: 2}, by=cast.facilitator)
    registration.refresh_from_db()
    assert registration.attended_people == 2


def test_attendance_for_a_registration_of_another_event_is_refused(cast):
    start = timezone.now() + timedelta(days=2)
    event = cast.event(starts_at=start)
    other = cast.event(starts_at=start, title="Otro")
    theirs = services.register_entity(
        event=other, entity=cast.entities[1], people=1, by=cast.representative_of(cast.entities[1])
    )
    with (
        time_machine.travel(start + timedelta(hours=1)),
        pytest.raises(DomainError, match="confirmed registrations of this event"),
    ):
        services.record_attendance(event=event, attended={theirs.pk: 1}, by=cast.facilitator)
    theirs.refresh_from_db()
    assert theirs.attended_people is None


def test_minutes_are_published_to_the_registered_entities_and_a_decision_becomes_an_action(cast):
    start = timezone.now() + timedelta(days=2)
    commission = factories.CommissionFactory(network=cast.network)
    with all_networks():
        PromoterTerm.objects.create(
            network=cast.network, commission=commission, entity=cast.entities[1]
        )
    event = cast.event(starts_at=start, commission=commission, organisers=[cast.entities[1]])
    services.register_entity(
        event=event, entity=cast.entities[1], people=1, by=cast.representative_of(cast.entities[1])
    )
    with time_machine.travel(start + timedelta(hours=4)):
        services.save_minutes(
            event=event,
            summary="Se acordó la feria.",
            decisions=[
                {
                    "text": "Feria en diciembre",
                    "follow_up": "Pedir la plaza",
                    "commission": commission,
                }
            ],
            by=cast.facilitator,
        )
        services.publish_minutes(event=event, by=cast.facilitator)
        with pytest.raises(DomainError, match="already published"):
            services.publish_minutes(event=event, by=cast.facilitator)
        decision = event.minutes.decisions.get()
        action = services.turn_decision_into_action(
            decision=decision,
            entity=cast.entities[1],
            responsible=cast.entities[1],
            by=cast.representative_of(cast.entities[1]),
        )
    assert action.title == "Pedir la plaza"
    with all_networks():
        assert Action.objects.get(pk=action.pk).commission == commission
        told = Notification.objects.filter(kind="event.minutes_published")
        assert {n.recipient for n in told} == cast.people_of(cast.entities[1])
    with pytest.raises(DomainError, match="already is a commission action"):
        services.turn_decision_into_action(
            decision=decision,
            entity=cast.entities[1],
            responsible=cast.entities[1],
            by=cast.representative_of(cast.entities[1]),
        )


def test_only_a_promoter_turns_a_decision_into_a_commission_action(cast):
    start = timezone.now() - timedelta(days=1)
    commission = factories.CommissionFactory(network=cast.network)
    with time_machine.travel(start - timedelta(days=30)):
        event = cast.event(starts_at=start)
    services.save_minutes(
        event=event,
        summary="Acta",
        decisions=[{"text": "Hacer algo", "commission": commission}],
        by=cast.facilitator,
    )
    services.publish_minutes(event=event, by=cast.facilitator)
    with pytest.raises(DomainError, match="promoters"):
        services.turn_decision_into_action(
            decision=event.minutes.decisions.get(),
            entity=cast.entities[2],
            responsible=cast.entities[2],
            by=cast.representative_of(cast.entities[2]),
        )
    with all_networks():
        assert not Action.objects.exists()


def test_a_renewed_calendar_token_revokes_the_old_one(cast):
    old = services.renew_calendar_token(user=cast.facilitator).token
    new = services.renew_calendar_token(user=cast.facilitator).token
    assert old != new
    assert selectors.calendar_token_of(cast.facilitator).token == new


def test_the_calendar_page_makes_no_address_until_the_person_asks_for_one(client, cast):
    from events.models import CalendarToken

    client.force_login(cast.facilitator)
    page = client.get("/calendario/", secure=True)
    assert page.status_code == 200 and page.context["feed_url"] == ""
    assert not CalendarToken.objects.filter(user=cast.facilitator).exists()

    client.post("/calendario/renovar/", secure=True)

    token = CalendarToken.objects.get(user=cast.facilitator).token
    assert client.get("/calendario/", secure=True).context["feed_url"].endswith(f"{token}.ics")
