from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.core import mail

from core import outbox
from core.models import OutgoingMail
from events import reminders, services
from events.models import Event
from members.models import Notification
from tests import factories
from tests.events import factories as event_factories
from tests.events.conftest import Cast, forget_mail_so_far

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english", "unscoped")]

SANTIAGO = ZoneInfo("America/Santiago")
LIMA = ZoneInfo("America/Lima")
MINUTE = timedelta(minutes=1)


def reminders_of(kind="event.reminder"):
    return list(Notification.objects.filter(kind=kind).order_by("key", "recipient_id"))


def registered_event(cast, starts_at, **fields):
    with time_machine.travel(starts_at - timedelta(days=25)):
        event = cast.event(starts_at=starts_at, **fields)
        services.register_entity(
            event=event,
            entity=cast.entities[1],
            people=2,
            by=cast.representative_of(cast.entities[1]),
        )
    return event


def test_reminders_go_out_seven_days_and_one_day_before_each_once(cast):
    start = datetime(2025, 11, 20, 18, 0, tzinfo=LIMA)
    registered_event(cast, start)

    with time_machine.travel(start - timedelta(days=7) - MINUTE):
        assert reminders.remind_registered_people() == 0
    with time_machine.travel(start - timedelta(days=7) + MINUTE):
        reminders.remind_registered_people()
        reminders.remind_registered_people()  # a retry sends nothing twice
    assert {n.recipient for n in reminders_of()} == cast.people_of(cast.entities[1])
    assert len(reminders_of()) == 2
    with time_machine.travel(start - timedelta(days=2)):
        reminders.remind_registered_people()
    assert len(reminders_of()) == 2
    with time_machine.travel(start - timedelta(days=1) + MINUTE):
        reminders.remind_registered_people()
    assert len(reminders_of()) == 4
    assert reminders_of()[-1].context["starts"] == "2025-11-20 18:00 (America/Lima)"


def test_reminders_across_a_daylight_saving_change_count_real_days_and_show_local_time(network):
    network.time_zone = "America/Santiago"
    network.save()
    cast = Cast(network)
    # Chile moves its clocks forward on 7 September 2025: the event is after, its
    # seven-day reminder falls before the change.
    start = datetime(2025, 9, 10, 10, 0, tzinfo=SANTIAGO)
    assert start.utcoffset() == timedelta(hours=-3)
    registered_event(cast, start)
    # Seven days are counted as seven times 24 hours of real time: 09:00 local time then, not 10:00.
    seven_days_before = start.astimezone(UTC) - timedelta(days=7)
    assert seven_days_before.astimezone(SANTIAGO).hour == 9

    with time_machine.travel(seven_days_before - MINUTE):
        assert reminders.remind_registered_people() == 0
    with time_machine.travel(seven_days_before + MINUTE):
        assert reminders.remind_registered_people() == 2
    assert reminders_of()[0].context["starts"] == "2025-09-10 10:00 (America/Santiago)"


def test_the_organiser_may_change_the_days_add_a_message_or_turn_reminders_off(cast):
    start = datetime(2025, 11, 20, 18, 0, tzinfo=LIMA)
    custom = registered_event(cast, start, reminder_days="3", reminder_message="Traigan DNI")
    silent = registered_event(cast, start, title="Sin recordatorios", reminders_enabled=False)

    with time_machine.travel(start - timedelta(days=6)):
        assert reminders.remind_registered_people() == 0
    with time_machine.travel(start - timedelta(days=3) + MINUTE):
        reminders.remind_registered_people()
    sent = reminders_of()
    assert {n.key.split(":")[1] for n in sent} == {str(custom.pk)}
    assert sent[0].context["message"] == "Traigan DNI"
    assert str(silent.pk) not in {n.key.split(":")[1] for n in sent}


def test_a_rescheduled_event_is_reminded_again_at_its_new_date(cast):
    start = datetime(2025, 11, 20, 18, 0, tzinfo=LIMA)
    event = registered_event(cast, start)
    with time_machine.travel(start - timedelta(days=1) + MINUTE):
        reminders.remind_registered_people()
        new_start = start + timedelta(days=1)
        services.update_event(
            event=event,
            starts_at=new_start,
            ends_at=new_start + timedelta(hours=2),
            by=cast.facilitator,
        )
    with time_machine.travel(new_start - timedelta(days=1) + MINUTE):
        reminders.remind_registered_people()
    assert len({n.key for n in reminders_of()}) == 2


def test_nothing_is_reminded_of_past_or_cancelled_events(cast):
    start = datetime(2025, 11, 20, 18, 0, tzinfo=LIMA)
    registered_event(cast, start)
    cancelled = registered_event(cast, start, title="Cancelado")
    with time_machine.travel(start - timedelta(days=10)):
        services.cancel_event(event=cancelled, by=cast.facilitator)
    with time_machine.travel(start + timedelta(hours=1)):
        assert reminders.remind_registered_people() == 0
    with time_machine.travel(start + timedelta(days=900)):
        assert reminders.remind_registered_people() == 0
    with time_machine.travel(start - timedelta(hours=5)):
        reminders.remind_registered_people()
    assert str(cancelled.pk) not in {n.key.split(":")[1] for n in reminders_of()}


def test_reminders_reach_nobody_of_another_network(cast, other_network):
    start = datetime(2025, 11, 20, 18, 0, tzinfo=LIMA)
    registered_event(cast, start)
    theirs = Cast.__new__(Cast)
    theirs.network = other_network
    other_people = factories.MembershipFactory(network=other_network)
    with time_machine.travel(start - timedelta(days=1) + MINUTE):
        reminders.remind_registered_people()
    recipients = {n.recipient for n in reminders_of()}
    assert other_people.representative not in recipients
    assert {n.network_id for n in reminders_of()} == {cast.network.pk}


def test_one_broken_event_stops_no_other_reminder(cast, monkeypatch):
    start = datetime(2025, 11, 20, 18, 0, tzinfo=LIMA)
    broken = registered_event(cast, start, title="Roto")
    fine = registered_event(cast, start, title="Bien")
    real = reminders._reminder_context

    def context(event):
        if event.pk == broken.pk:
            raise RuntimeError("a corrupt row")
        return real(event)

    monkeypatch.setattr(reminders, "_reminder_context", context)
    with time_machine.travel(start - timedelta(days=1) + MINUTE):
        reminders.remind_registered_people()
    assert {n.key.split(":")[1] for n in reminders_of()} == {str(fine.pk)}


def test_people_without_an_account_are_mailed_each_reminder_once(
    cast, django_capture_on_commit_callbacks
):
    start = datetime(2025, 11, 20, 18, 0, tzinfo=LIMA)
    with time_machine.travel(start - timedelta(days=20)):
        event = cast.event(starts_at=start)
        event_factories.register_guest(event=event, name="Rosa Quispe", email="rosa@example.org")
    forget_mail_so_far()
    with time_machine.travel(start - timedelta(days=1) + MINUTE):
        with django_capture_on_commit_callbacks(execute=True):
            reminders.remind_registered_people()
        with django_capture_on_commit_callbacks(execute=True):
            reminders.remind_registered_people()
    assert [message.to for message in mail.outbox] == [["rosa@example.org"]]
    assert "cancelar-inscripcion" in mail.outbox[0].body


def test_organisers_hear_of_missing_minutes_three_and_seven_days_after(cast):
    start = datetime(2025, 11, 20, 18, 0, tzinfo=LIMA)
    event = registered_event(cast, start)
    end = event.ends_at
    with time_machine.travel(end + timedelta(days=3) - MINUTE):
        assert reminders.remind_missing_minutes() == 0
    with time_machine.travel(end + timedelta(days=3) + MINUTE):
        reminders.remind_missing_minutes()
        reminders.remind_missing_minutes()
    first = reminders_of("event.minutes_missing")
    # The organising entity's people, one of whom created the event.
    assert {n.recipient for n in first} == cast.people_of(cast.entities[0])
    with time_machine.travel(end + timedelta(days=7) + MINUTE):
        reminders.remind_missing_minutes()
    assert len(reminders_of("event.minutes_missing")) == 2 * len(first)
    with time_machine.travel(end + timedelta(days=30)):
        assert reminders.remind_missing_minutes() == 0


def test_published_minutes_stop_the_minutes_reminders(cast):
    start = datetime(2025, 11, 20, 18, 0, tzinfo=LIMA)
    event = registered_event(cast, start)
    with time_machine.travel(event.ends_at + timedelta(days=1)):
        services.save_minutes(event=event, summary="Acta", by=cast.facilitator)
        services.publish_minutes(event=event, by=cast.facilitator)
    with time_machine.travel(event.ends_at + timedelta(days=3) + MINUTE):
        assert reminders.remind_missing_minutes() == 0


def test_the_beat_task_runs_every_job_once_per_network(cast, other_network, monkeypatch):
    from events.tasks import send_event_reminders, send_event_reminders_in_network

    queued = []
    monkeypatch.setattr(send_event_reminders_in_network, "delay", queued.append)
    assert send_event_reminders() == 2
    assert sorted(queued) == sorted([cast.network.pk, other_network.pk])
    assert set(send_event_reminders_in_network(other_network.pk)) == {
        "before_event",
        "missing_minutes",
        "confirmations",
    }
    assert Event.objects.count() == 0


def test_a_refused_guest_stops_no_other_reminder_and_is_tried_again(
    cast, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.members.failing_mail.RefusingBackend"
    start = datetime(2025, 11, 20, 18, 0, tzinfo=LIMA)
    guests = ["ana@example.org", "nadie@refused.example.org", "luis@example.org"]
    with time_machine.travel(start - timedelta(days=20)):
        event = cast.event(starts_at=start)
        for number, email in enumerate(guests):
            registration = services.register_person(
                event=event, by=AnonymousUser(), name=f"Persona {number}", email=email
            )
            services.confirm_registration(
                event=event, token=registration.cancel_token, by=AnonymousUser()
            )
    forget_mail_so_far()
    for hours in (1, 2):
        with (
            time_machine.travel(start - timedelta(days=1) + hours * timedelta(hours=1)),
            django_capture_on_commit_callbacks(execute=True),
        ):
            reminders.remind_registered_people()
    assert sorted(message.to[0] for message in mail.outbox) == [
        "ana@example.org",
        "luis@example.org",
    ]
    # Kept in the outbox, tried again later: never marked as reminded before it is sent.
    refused = OutgoingMail.objects.pending().get(recipients="nadie@refused.example.org")
    assert refused.sent_at is None and refused.attempts == 1

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with (
        time_machine.travel(start - timedelta(hours=20)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert reminders.remind_registered_people() == 0
        outbox.deliver()  # the delivery beat runs every minute
    assert [message.to[0] for message in mail.outbox[2:]] == ["nadie@refused.example.org"]
