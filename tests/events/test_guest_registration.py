"""Registering for a public event without an account: confirmed by mail, limited, plain.

Anybody could type any address and any text into the form, and a mail with that
text went at once to that address, as often as they liked. Now the registration
waits for the address's owner to confirm it, takes no place until then, lapses
after a day, the mail carries nothing the registrant typed but a short name,
and such mails are limited per address and per event.
"""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from core.errors import DomainError
from core.models import OutgoingMail
from events import confirmations, services
from events.models import Registration, RegistrationStatus
from tests import factories
from tests.events import factories as event_factories

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("unscoped")]

VISITOR = AnonymousUser()


@pytest.fixture(autouse=True)
def _plain_http(settings):
    settings.SECURE_SSL_REDIRECT = False


@pytest.fixture
def mails_sent_at_once(mail_delivered_at_commit):
    """The outbox sends at commit, in the test's process."""


def url(name, event, **kwargs):
    return reverse(
        f"events:{name}",
        kwargs={"network_slug": event.network.slug, "event_id": event.pk, **kwargs},
    )


def register(event, email="rosa@example.org", name="Rosa Quispe", by=VISITOR):
    return services.register_person(event=event, by=by, name=name, email=email)


def confirm_link(message):
    return next(line for line in message.body.splitlines() if "confirmar-inscripcion" in line)


# The flow


def test_a_visitor_is_registered_only_once_they_confirm_through_the_mailed_link(
    client, cast, mails_sent_at_once, django_capture_on_commit_callbacks
):
    event = cast.event(title="Día del Voluntariado")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("register_person", event), {"name": "Rosa Quispe", "email": "rosa@example.org"}
        )
    assert response.status_code == 302
    registration = Registration.objects.get()
    assert registration.status == RegistrationStatus.PENDING
    assert registration.confirmed_at is None
    (request,) = mail.outbox
    assert request.to == ["rosa@example.org"]
    assert "Día del Voluntariado" in request.subject
    link = confirm_link(request)
    path = link.split("://", 1)[-1].split("/", 1)[1]

    # Opening the link (as mail programs do on their own) confirms nothing.
    assert client.get(f"/{path}").status_code == 200
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.PENDING

    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/{path}").status_code == 302
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CONFIRMED
    assert registration.confirmed_at is not None
    # Now, and only now, the confirmation with the calendar file and the cancel link.
    assert len(mail.outbox) == 2
    assert "cancelar-inscripcion" in mail.outbox[1].body


def test_an_unconfirmed_registration_takes_no_place(cast):
    event = cast.event(capacity=1)
    pending = register(event)
    entity = services.register_entity(
        event=event, entity=cast.entities[1], people=1, by=cast.representative_of(cast.entities[1])
    )
    assert entity.status == RegistrationStatus.CONFIRMED
    # Confirming now finds the event full: a place on the waiting list.
    confirmed = services.confirm_registration(event=event, token=pending.cancel_token, by=VISITOR)
    assert confirmed.status == RegistrationStatus.WAITLISTED


def test_an_unconfirmed_registration_lapses_after_a_day(client, cast, english):
    event = cast.event()
    pending = register(event)
    with time_machine.travel(timezone.now() + timedelta(hours=25)):
        with pytest.raises(DomainError, match="expired"):
            services.confirm_registration(event=event, token=pending.cancel_token, by=VISITOR)
        client.cookies["tejido_language"] = "en"
        page = client.get(url("confirm_by_link", event, token=pending.cancel_token))
        assert page.status_code == 200
        assert "This link has expired" in page.content.decode()
        assert "Confirm the registration</button>" not in page.content.decode()
        # The address may register again: the lapsed request makes way.
        again = register(event)
    pending.refresh_from_db()
    assert pending.status == RegistrationStatus.EXPIRED
    assert again.pk != pending.pk and again.status == RegistrationStatus.PENDING


def test_registering_again_before_confirming_sends_a_fresh_link_not_a_second_row(cast):
    event = cast.event()
    first = register(event)
    second = register(event, name="Rosa Q.")
    assert second.pk == first.pk
    assert Registration.objects.count() == 1
    assert second.name == "Rosa Q."


def test_a_confirmed_address_cannot_register_twice(cast, english):
    event = cast.event()
    event_factories.register_guest(event=event)
    with pytest.raises(DomainError, match="already registered"):
        register(event, email="ROSA@example.org")


def test_a_signed_in_person_registering_their_own_verified_address_needs_no_link(cast):
    event = cast.event()
    person = factories.UserFactory()
    registration = register(event, email=person.email.upper(), by=person)
    assert registration.status == RegistrationStatus.CONFIRMED
    assert registration.user == person


def test_a_signed_in_person_registering_someone_elses_address_waits_for_its_owner(cast):
    event = cast.event()
    person = factories.UserFactory()
    registration = register(event, email="otra.persona@example.org", by=person)
    assert registration.status == RegistrationStatus.PENDING


# What the mail says


def test_the_mail_carries_no_text_of_the_registrants_but_their_cleaned_name(
    cast, mails_sent_at_once, django_capture_on_commit_callbacks
):
    event = cast.event(title="Taller de primeros auxilios")
    with django_capture_on_commit_callbacks(execute=True):
        register(event, name="Rosa\r\nBcc: victima@example.org\tQuispe")
    (request,) = mail.outbox
    assert "Rosa Bcc: victima@example.org Quispe" in request.body
    assert "\r" not in request.body and "\t" not in request.body
    assert request.to == ["rosa@example.org"] and not request.bcc and not request.cc
    assert request.subject == "Confirme su inscripción: Taller de primeros auxilios"
    assert Registration.objects.get().name == "Rosa Bcc: victima@example.org Quispe"


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("Gane un premio en https://estafa.example", "web addresses"),
        ("Visite www.estafa.example hoy", "web addresses"),
        ("R" * 81, "80 characters"),
    ],
)
def test_names_that_carry_a_message_are_refused(cast, english, name, message):
    event = cast.event()
    with pytest.raises(DomainError, match=message):
        register(event, name=name)
    assert not Registration.objects.exists()


def test_the_form_says_so_before_anything_is_sent(client, cast):
    event = cast.event()
    client.cookies["tejido_language"] = "en"
    response = client.post(
        url("register_person", event),
        {"name": "Premio en https://estafa.example", "email": "rosa@example.org"},
    )
    assert response.status_code == 200
    assert "without web addresses" in response.content.decode()
    assert not Registration.objects.exists()
    assert mail.outbox == []


# The limits


def test_one_address_is_mailed_at_most_three_times_an_hour(cast, english):
    events = [cast.event(title=f"Taller {number}") for number in range(4)]
    for event in events[:3]:
        register(event)
    with pytest.raises(DomainError, match="this email address"):
        register(events[3])
    assert Registration.objects.filter(event=events[3]).count() == 0
    # The same address asking again for one event counts too.
    with pytest.raises(DomainError, match="this email address"):
        register(events[0])
    # Another address is not held back.
    register(events[3], email="ana@example.org")


def test_one_event_sends_a_limited_number_of_such_mails_an_hour(cast, english, settings):
    settings.EVENT_REGISTRATION_MAILS_PER_EVENT = 5
    event = cast.event()
    for number in range(5):
        register(event, email=f"persona{number}@example.org")
    with pytest.raises(DomainError, match="This event received too many"):
        register(event, email="persona5@example.org")
    # Another event, and signed-in people with their own address, are not held back.
    register(cast.event(title="Otro taller"), email="persona5@example.org")
    person = factories.UserFactory()
    assert register(event, email=person.email, by=person).status == RegistrationStatus.CONFIRMED


def test_when_the_cache_is_unreachable_the_limits_are_counted_from_the_mail_outbox(
    cast, english, monkeypatch, caplog, settings
):
    class Unreachable:
        def add(self, *args, **kwargs):
            raise ConnectionError("Redis is down")

        incr = add

    settings.EVENT_REGISTRATION_MAILS_PER_EVENT = 3
    monkeypatch.setattr(confirmations, "cache", Unreachable())
    events = [cast.event(title=f"Taller {number}") for number in range(4)]
    # A guest still registers, and the mail is written with the registration.
    for event in events[:3]:
        assert register(event).status == RegistrationStatus.PENDING
    assert OutgoingMail.objects.filter(recipients="rosa@example.org").count() == 3
    assert "counting them from the mail outbox" in caplog.text
    # The limits hold all the same: per address, across events ...
    with pytest.raises(DomainError, match="this email address"):
        register(events[3])
    # ... and per event, whoever asks.
    for number in range(3):
        register(events[3], email=f"persona{number}@example.org")
    register(events[0], email="ana@example.org")
    with pytest.raises(DomainError, match="This event received too many"):
        register(events[3], email="otra@example.org")
    # An hour later the window has passed.
    with time_machine.travel(timezone.now() + timedelta(hours=1, minutes=1)):
        assert register(events[3], email="otra@example.org").status == RegistrationStatus.PENDING


def test_the_request_mail_is_written_in_the_registrations_transaction(cast):
    event = cast.event()
    registration = register(event)
    (row,) = OutgoingMail.objects.all()
    assert row.recipients == "rosa@example.org"
    assert row.key.startswith(f"event.request:{event.network_id}:{event.pk}:{registration.pk}:")
    registration.refresh_from_db()
    assert registration.request_sent_at is not None
    # A task queued by an older release finds the mail written and writes nothing.
    assert confirmations.send_request(registration.pk) == 0
    assert OutgoingMail.objects.count() == 1


def test_a_registration_that_rolls_back_leaves_no_mail(cast):
    event = cast.event()
    with pytest.raises(RuntimeError), transaction.atomic():
        register(event)
        raise RuntimeError("the page failed after saving")
    assert not Registration.objects.exists()
    assert not OutgoingMail.objects.exists()
