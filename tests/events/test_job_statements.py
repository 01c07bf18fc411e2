"""The event jobs cost the same number of statements for 20 guests as for 2,000.

Each prints its counts, for the record (`pytest -s tests/events/test_job_statements.py`).
"""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.models import OutgoingMail
from events import reminders
from events.models import Registration, RegistrationStatus
from networks.scoping import network_scope
from tests.events.factories import EventFactory

pytestmark = pytest.mark.django_db

SIZES = (20, 2000)


def guests(event, count, **fields):
    Registration.objects.bulk_create(
        Registration(
            network=event.network,
            event=event,
            name=f"Persona {number}",
            email=f"persona{number}@example.org",
            status=RegistrationStatus.CONFIRMED,
            **fields,
        )
        for number in range(count)
    )


def statements(network, job, **kwargs):
    with network_scope(network), CaptureQueriesContext(connection) as queries:
        written = job(**kwargs)
    return len(queries), written


def test_reminders_take_the_same_statements_for_20_and_2000_guests(network):
    now = timezone.now()
    counts = {}
    for size in SIZES:
        event = EventFactory(network=network, starts_at=now + timedelta(days=1, hours=-1 + size))
        guests(event, size, confirmation_sent_at=now)
        at = event.starts_at - timedelta(days=1) + timedelta(minutes=1)
        counts[size], written = statements(network, reminders.remind_registered_people, now=at)
        assert written == size
        assert statements(network, reminders.remind_registered_people, now=at)[1] == 0
    print(f"\nremind_registered_people statements: {counts}")
    assert counts[SIZES[0]] == counts[SIZES[1]]
    assert OutgoingMail.objects.count() == sum(SIZES)


def test_pending_confirmations_take_the_same_statements_for_20_and_2000_guests(network):
    now = timezone.now()
    counts = {}
    for size in SIZES:
        event = EventFactory(network=network, starts_at=now + timedelta(days=10 + size))
        guests(event, size, confirmed_at=now - timedelta(hours=1))
        counts[size], written = statements(network, reminders.send_pending_confirmations, now=now)
        assert written == size
    print(f"\nsend_pending_confirmations statements: {counts}")
    assert counts[SIZES[0]] == counts[SIZES[1]]
    with network_scope(network):
        assert not Registration.objects.filter(confirmation_sent_at__isnull=True).exists()
