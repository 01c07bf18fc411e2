"""What people type into events is cleaned in the services: one line for titles and places.

A line break in an event title once stopped every network's mail and broke its
calendar file; a NUL byte is a server error on PostgreSQL; a title longer than
its column is one too. Each gets a clean value or a clear message.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core.errors import DomainError
from events import services
from events.models import AgendaItem, Event, EventKind, Minutes
from networks.scoping import all_networks

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

LONG = "x" * 10_000


def reloaded(model, pk):
    with all_networks():
        return model.objects.get(pk=pk)


def test_an_event_title_and_place_are_stored_on_one_line(cast):
    event = cast.event(
        title="Taller\r\nBcc: todos@example.org",
        place="Casona\x00 Universitaria",
        description="Primera línea\nSegunda\x00 línea",
    )
    stored = reloaded(Event, event.pk)
    assert stored.title == "Taller Bcc: todos@example.org"
    assert stored.place == "Casona Universitaria"
    assert stored.description == "Primera línea\nSegunda línea"


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("title", "title: write at most 200 characters"),
        ("place", "place: write at most 300 characters"),
        ("description", "description: write at most 10000 characters"),
    ],
)
def test_event_texts_longer_than_their_limit_are_refused(cast, field, message):
    with pytest.raises(DomainError, match=message):
        cast.event(**{field: LONG + "x"})
    with all_networks():
        assert not Event.objects.exists()


def test_an_update_cleans_and_bounds_the_title_too(cast):
    event = cast.event()
    with pytest.raises(DomainError, match="title: write at most 200 characters"):
        services.update_event(event=event, title=LONG, by=cast.facilitator)
    services.update_event(event=event, title="Nuevo\ntítulo", by=cast.facilitator)
    assert reloaded(Event, event.pk).title == "Nuevo título"


def test_agenda_items_and_minutes_are_cleaned_and_bounded(cast):
    plenary = services.create_event(
        network=cast.network,
        by=cast.facilitator,
        kind=EventKind.PLENARY,
        title="Plenaria",
        format="in_person",
        place="Auditorio",
        starts_at=timezone.now() - timedelta(hours=3),
        ends_at=timezone.now() - timedelta(hours=1),
        visibility="members",
    )
    with pytest.raises(DomainError, match="agenda item: write at most 200 characters"):
        services.add_agenda_item(
            event=plenary, title=LONG, proposer=cast.entities[0], proposal="X", by=cast.facilitator
        )
    item = services.add_agenda_item(
        event=plenary,
        title="Plan\nanual",
        proposer=cast.entities[0],
        proposal="Aprobar\x00lo",
        by=cast.facilitator,
    )
    minutes = services.save_minutes(
        event=plenary,
        summary="Se aprobó\x00 el plan.",
        decisions=[{"text": "Feria", "follow_up": "Pedir\nla plaza"}],
        by=cast.facilitator,
    )

    assert (reloaded(AgendaItem, item.pk).title, item.proposal) == ("Plan anual", "Aprobarlo")
    assert reloaded(Minutes, minutes.pk).summary == "Se aprobó el plan."
    with all_networks():
        assert minutes.decisions.get().follow_up == "Pedir la plaza"
    with pytest.raises(DomainError, match="follow-up action: write at most 300 characters"):
        services.save_minutes(
            event=plenary,
            summary="Acta",
            decisions=[{"text": "Feria", "follow_up": LONG}],
            by=cast.facilitator,
        )


def test_the_event_form_answers_a_long_or_nul_title_with_a_form_error_and_cleans_newlines(
    client, cast
):
    entity = cast.entities[0]
    client.force_login(cast.representative_of(entity))
    start = timezone.localtime(timezone.now() + timedelta(days=14), cast.network.zone)
    data = {
        "kind": "training",
        "format": "in_person",
        "place": "Auditorio",
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "visibility": "public",
        "organisers": [entity.pk],
        "reminder_days": "7",
        "announce": "on",
    }
    url = reverse("events:create", args=[cast.network.slug])

    too_long = client.post(url, {**data, "title": LONG})
    with_nul = client.post(url, {**data, "title": "Taller\x00"})
    with_newline = client.post(url, {**data, "title": "Taller\nBcc: todos@example.org"})

    assert "title" in too_long.context["form"].errors
    # A NUL byte is refused before any view runs (RefuseNulBytesMiddleware).
    assert with_nul.status_code == 400
    assert with_newline.status_code == 302
    with all_networks():
        assert list(Event.objects.values_list("title", flat=True)) == [
            "Taller Bcc: todos@example.org"
        ]
