"""Minutes and their decisions: for whoever runs the event, and for members once published.

The minutes URLs used to let any member read a draft event's title and the
decisions of minutes nobody had published yet.
"""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from core.errors import DomainError
from events import services
from events.models import EventKind, EventStatus
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("unscoped")]

SECRET_DECISION = "Cerrar la sede de Yanahuara"
DRAFT_TITLE = "Reunión reservada sobre la sede"


@pytest.fixture(autouse=True)
def _plain_http(settings):
    settings.SECURE_SSL_REDIRECT = False


def url(name, event, **kwargs):
    return reverse(
        f"events:{name}",
        kwargs={"network_slug": event.network.slug, "event_id": event.pk, **kwargs},
    )


def past_event_with_minutes(cast, *, title, announce=True):
    """An event that took place yesterday, with minutes written but not published."""
    start = timezone.now() - timedelta(days=1)
    commission = factories.CommissionFactory(network=cast.network)
    with time_machine.travel(start - timedelta(days=20)):
        event = services.create_event(
            network=cast.network,
            by=cast.representative_of(cast.entities[0]),
            organisers=[cast.entities[0]],
            kind=EventKind.TRAINING,
            title=title,
            format="in_person",
            place="Casona",
            starts_at=start,
            ends_at=start + timedelta(hours=3),
            visibility="members",
            announce=announce,
        )
    services.save_minutes(
        event=event,
        summary="Resumen reservado",
        decisions=[{"text": SECRET_DECISION, "commission": commission}],
        by=cast.representative_of(cast.entities[0]),
    )
    return event, event.minutes.decisions.get()


def test_a_draft_events_minutes_are_a_404_for_members_without_its_title(client, cast):
    event, decision = past_event_with_minutes(cast, title=DRAFT_TITLE, announce=False)
    assert event.status == EventStatus.DRAFT
    client.force_login(cast.representative_of(cast.entities[1]))
    for page in (
        url("minutes", event),
        url("decision_action", event, decision_id=decision.pk),
    ):
        response = client.get(page)
        assert response.status_code == 404
        assert DRAFT_TITLE not in response.content.decode()
        assert SECRET_DECISION not in response.content.decode()


def test_unpublished_minutes_and_their_decisions_are_not_shown_to_members(client, cast):
    event, decision = past_event_with_minutes(cast, title="Taller de otoño")
    client.force_login(cast.representative_of(cast.entities[1]))
    for page in (
        url("minutes", event),
        url("decision_action", event, decision_id=decision.pk),
    ):
        response = client.get(page)
        assert response.status_code in (403, 404)
        assert SECRET_DECISION not in response.content.decode()
        assert "Resumen reservado" not in response.content.decode()
    assert "acta/" not in client.get(url("detail", event)).content.decode()


def test_whoever_runs_the_event_reads_the_minutes_before_they_are_published(client, cast):
    event, _decision = past_event_with_minutes(cast, title=DRAFT_TITLE, announce=False)
    for person in (cast.facilitator, cast.representative_of(cast.entities[0])):
        client.force_login(person)
        response = client.get(url("minutes", event))
        assert response.status_code == 200
        assert SECRET_DECISION in response.content.decode()


def test_published_minutes_are_read_by_the_members_and_no_one_else(client, cast, other_network):
    event, decision = past_event_with_minutes(cast, title="Taller de otoño")
    services.publish_minutes(event=event, by=cast.facilitator)

    client.force_login(cast.representative_of(cast.entities[1]))
    assert SECRET_DECISION in client.get(url("minutes", event)).content.decode()
    assert client.get(url("decision_action", event, decision_id=decision.pk)).status_code == 200

    client.force_login(factories.MembershipFactory(network=other_network).representative)
    response = client.get(url("minutes", event))
    assert response.status_code in (403, 404)
    assert SECRET_DECISION not in response.content.decode()


def test_a_decision_of_unpublished_minutes_cannot_become_a_commission_action(cast, english):
    _event, decision = past_event_with_minutes(cast, title="Taller de otoño")
    with pytest.raises(DomainError, match="once the minutes are published"):
        services.turn_decision_into_action(
            decision=decision,
            entity=cast.entities[0],
            responsible=cast.entities[0],
            by=cast.representative_of(cast.entities[0]),
        )
