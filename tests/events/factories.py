"""Events for tests: made directly, as rows, or through the services where a rule matters."""

from datetime import timedelta

import factory
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from events import services
from events.models import (
    AgendaItem,
    Decision,
    Event,
    EventKind,
    EventStatus,
    Minutes,
    Registration,
    RegistrationStatus,
    Visibility,
)
from tests.factories import NetworkFactory


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    network = factory.SubFactory(NetworkFactory)
    kind = EventKind.TRAINING
    title = factory.Sequence(lambda n: f"Taller de voluntariado {n}")
    place = "Casona de la Universidad, Arequipa"
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=20))
    ends_at = factory.LazyAttribute(lambda event: event.starts_at + timedelta(hours=3))
    registration_closes_at = factory.LazyAttribute(lambda event: event.starts_at)
    visibility = Visibility.PUBLIC
    status = EventStatus.ANNOUNCED


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Registration

    event = factory.SubFactory(EventFactory)
    network = factory.LazyAttribute(lambda registration: registration.event.network)
    people = 1
    status = RegistrationStatus.CONFIRMED
    confirmed_at = factory.LazyFunction(timezone.now)


def event_with_minutes(*, network, entity, commission, title):
    """A public plenary with an agenda item, the entity registered, and published minutes."""
    event = EventFactory(
        network=network, kind=EventKind.PLENARY, title=title, commission=commission
    )
    event.organiser_rows.create(network=network, entity=entity)
    AgendaItem.objects.create(
        network=network, event=event, title="Plan anual", proposer=entity, proposal="Aprobarlo"
    )
    registration = RegistrationFactory(event=event, entity=entity, people=2)
    minutes = Minutes.objects.create(
        network=network, event=event, summary="Se aprobó el plan.", published_at=timezone.now()
    )
    decision = Decision.objects.create(
        network=network,
        minutes=minutes,
        text="Organizar la feria",
        follow_up="Reservar la plaza",
        commission=commission,
    )
    return event, registration, decision


def register_guest(*, event, name="Rosa Quispe", email="rosa@example.org"):
    """A person without an account registers, then confirms through the link mailed to them."""
    visitor = AnonymousUser()
    pending = services.register_person(event=event, by=visitor, name=name, email=email)
    return services.confirm_registration(event=event, token=pending.cancel_token, by=visitor)
