"""Dates people type cannot break pages: bounded on the way in, and unreadable rows left out.

An event ending 9999-12-31 23:59 in Lima is year 10000 in UTC. It used to be
stored (PostgreSQL) or to fail on saving (SQLite); once stored, the network's
events page, its events API and its public calendar answered 500 to everybody.
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from commissions import services as commission_services
from commissions.forms import ActionForm
from commissions.models import Action
from core.errors import DomainError
from events import services
from events.forms import DecisionActionForm
from events.models import Event, EventKind
from members.models import Entity
from networks.scoping import all_networks, network_scope
from tests import factories
from tests.events.factories import EventFactory

pytestmark = [pytest.mark.django_db]

LIMA = ZoneInfo("America/Lima")
# 15 June 2025, at noon in Lima: the bounds run from 15 June 2005 to 15 June 2035.
NOW = datetime(2025, 6, 15, 12, 0, tzinfo=LIMA)


@pytest.fixture(autouse=True)
def _plain_http(settings):
    settings.SECURE_SSL_REDIRECT = False


def plenary(cast, *, starts_at, ends_at, **fields):
    return services.create_event(
        network=cast.network,
        by=cast.facilitator,
        kind=EventKind.PLENARY,
        title="Plenaria de fin de año",
        format="in_person",
        place="Auditorio municipal",
        starts_at=starts_at,
        ends_at=ends_at,
        visibility="public",
        **fields,
    )


def events_url(name, network, **kwargs):
    return reverse(f"events:{name}", kwargs={"network_slug": network.slug, **kwargs})


def api_events_url(network):
    return f"/api/v1/networks/{network.slug}/events/"


# An event ending on 31 December 9999 in Lima (past the last day Python can hold once
# moved to UTC), refused at each door


def test_an_event_ending_9999_12_31_in_lima_is_refused_by_the_service(cast, english):
    with pytest.raises(DomainError, match="choose a date between"):
        plenary(
            cast,
            starts_at=datetime(9999, 12, 31, 20, 0, tzinfo=LIMA),
            ends_at=datetime(9999, 12, 31, 23, 59, tzinfo=LIMA),
        )
    with all_networks():
        assert not Event.objects.exists()


def test_an_event_ending_9999_12_31_in_lima_is_refused_by_the_page(client, cast, english):
    client.force_login(cast.facilitator)
    client.cookies["tejido_language"] = "en"
    response = client.post(
        events_url("create", cast.network),
        {
            "kind": "plenary",
            "title": "Plenaria de fin de año",
            "format": "in_person",
            "place": "Auditorio municipal",
            "starts_at": "9999-12-31T20:00",
            "ends_at": "9999-12-31T23:59",
            "visibility": "public",
            "reminder_days": "7, 1",
        },
    )
    assert response.status_code == 200
    assert "Choose a date between" in response.content.decode()
    with all_networks():
        assert not Event.objects.exists()
    assert client.get(events_url("list", cast.network)).status_code == 200


def test_a_year_9999_filter_of_the_events_api_is_a_400_that_says_why(client, cast):
    client.cookies["tejido_language"] = "en"
    for query in ({"date_from": "9999-12-31"}, {"date_to": "9999-12-30"}):
        response = client.get(api_events_url(cast.network), query, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 400
        (field,) = query
        assert "Choose a date between" in response.json()["errors"][field][0]


# Where the bounds fall


def test_an_event_may_end_on_the_last_day_ten_years_ahead_and_not_the_day_after(cast, english):
    with time_machine.travel(NOW, tick=False):
        last = plenary(
            cast,
            starts_at=datetime(2035, 6, 15, 20, 0, tzinfo=LIMA),
            ends_at=datetime(2035, 6, 15, 23, 59, tzinfo=LIMA),
        )
        assert last.ends_at == datetime(2035, 6, 15, 23, 59, tzinfo=LIMA)
        with pytest.raises(DomainError) as refused:
            plenary(
                cast,
                starts_at=datetime(2035, 6, 15, 22, 0, tzinfo=LIMA),
                ends_at=datetime(2035, 6, 16, 0, 0, tzinfo=LIMA),
            )
    assert str(refused.value) == (
        "The end of the event: choose a date between June 15, 2005 and June 15, 2035."
    )


def test_an_event_may_start_twenty_years_back_and_not_a_day_earlier(cast, english):
    with time_machine.travel(NOW, tick=False):
        plenary(
            cast,
            starts_at=datetime(2005, 6, 15, 9, 0, tzinfo=LIMA),
            ends_at=datetime(2005, 6, 15, 12, 0, tzinfo=LIMA),
        )
        with pytest.raises(DomainError, match="The start of the event"):
            plenary(
                cast,
                starts_at=datetime(2005, 6, 14, 23, 0, tzinfo=LIMA),
                ends_at=datetime(2005, 6, 15, 1, 0, tzinfo=LIMA),
            )


def test_the_close_of_registration_is_bounded_too(cast, english):
    with time_machine.travel(NOW, tick=False), pytest.raises(DomainError, match="close of regis"):
        plenary(
            cast,
            starts_at=datetime(2026, 6, 15, 9, 0, tzinfo=LIMA),
            ends_at=datetime(2026, 6, 15, 12, 0, tzinfo=LIMA),
            registration_closes_at=datetime(2001, 1, 1, 0, 0, tzinfo=LIMA),
        )


def test_an_event_recorded_long_ago_can_still_be_corrected_without_retyping_its_dates(
    cast, english
):
    long_ago = datetime(2004, 3, 1, 9, 0, tzinfo=LIMA)
    with all_networks():
        event = EventFactory(
            network=cast.network,
            starts_at=long_ago,
            ends_at=long_ago + timedelta(hours=3),
        )
    with time_machine.travel(NOW, tick=False):
        services.update_event(event=event, by=cast.facilitator, title="Primer encuentro")
        with pytest.raises(DomainError, match="The start of the event"):
            services.update_event(
                event=event, by=cast.facilitator, starts_at=long_ago - timedelta(days=1)
            )
    assert event.title == "Primer encuentro"


def test_the_admin_refuses_the_same_dates_through_the_models_validators(cast, english):
    with all_networks():
        event = EventFactory.build(
            network=cast.network,
            starts_at=datetime(9999, 12, 31, 20, 0, tzinfo=LIMA),
            ends_at=datetime(9999, 12, 31, 23, 59, tzinfo=LIMA),
            registration_closes_at=datetime(9999, 12, 31, 20, 0, tzinfo=LIMA),
        )
        with pytest.raises(ValidationError) as refused:
            event.full_clean(exclude=["network", "commission", "created_by"])
    assert set(refused.value.message_dict) == {"starts_at", "ends_at", "registration_closes_at"}


# Actions' due dates


def test_an_action_due_in_year_9999_is_refused_by_the_service_and_the_forms(network, english):
    membership = factories.MembershipFactory(network=network)
    entity = membership.entity
    commission = commission_services.propose_commission(
        network=network,
        entity=entity,
        name="Comisión de Juventud",
        purpose="Voluntariado.",
        by=membership.representative,
    )
    with pytest.raises(DomainError, match="The due date: choose a date between"):
        commission_services.add_action(
            commission=commission,
            entity=entity,
            title="Feria",
            responsible=entity,
            due_on=datetime(9999, 12, 31).date(),
            by=membership.representative,
        )
    with all_networks():
        assert not Action.objects.exists()
    form = ActionForm(
        {"entity": entity.pk, "title": "Feria", "responsible": entity.pk, "due_on": "9999-12-31"},
        entities=[entity],
        promoters=[entity],
    )
    assert not form.is_valid()
    assert "Choose a date between" in form.errors["due_on"][0]
    with network_scope(network):
        decision_form = DecisionActionForm(
            {"entity": entity.pk, "responsible": entity.pk, "due_on": "9999-12-31"},
            entities=Entity.objects.filter(pk=entity.pk),
            promoters=Entity.objects.filter(pk=entity.pk),
        )
        assert not decision_form.is_valid()
    assert "Choose a date between" in decision_form.errors["due_on"][0]


# Rows stored before the bounds existed


def store_end_in_year_10000(event):
    """Write, as PostgreSQL once did, an event of 9999-12-31 20:00 to 23:59 in Lima."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "UPDATE events_event SET starts_at = %s::timestamptz, ends_at = %s::timestamptz,"
                " registration_closes_at = %s::timestamptz WHERE id = %s",
                [
                    "9999-12-31 20:00-05",
                    "9999-12-31 23:59-05",
                    "9999-12-31 20:00-05",
                    event.pk,
                ],
            )
        else:
            cursor.execute(
                "UPDATE events_event SET starts_at = %s, ends_at = %s,"
                " registration_closes_at = %s WHERE id = %s",
                ["10000-01-01 01:00:00", "10000-01-01 04:59:00", "10000-01-01 01:00:00", event.pk],
            )


def test_an_event_stored_before_the_bounds_does_not_break_the_pages_the_api_or_the_calendar(
    client, cast
):
    with all_networks():
        kept = EventFactory(network=cast.network, title="Taller de marzo")
        broken = EventFactory(network=cast.network, title="Fin de los tiempos")
    store_end_in_year_10000(broken)

    pages = [
        events_url("list", cast.network),
        api_events_url(cast.network),
        events_url("network_feed", cast.network),
    ]
    for person in (None, cast.representative_of(cast.entities[1]), cast.facilitator):
        if person is None:
            client.logout()
        else:
            client.force_login(person)
        for page in pages:
            response = client.get(page)
            assert response.status_code == 200, page
            assert kept.title in response.content.decode()
            assert broken.title not in response.content.decode()
        assert client.get(events_url("detail", cast.network, event_id=broken.pk)).status_code == 404
        assert client.get(f"{api_events_url(cast.network)}{broken.pk}/").status_code == 404
    workspace = reverse("facilitation:overview", kwargs={"network_slug": cast.network.slug})
    assert client.get(workspace).status_code == 200


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="only PostgreSQL ever stored such moments"
)
def test_the_migration_brings_such_events_back_within_reach(cast):
    import importlib

    from django.apps import apps

    repair = importlib.import_module("events.migrations.0004_repair_unreadable_event_moments")
    with all_networks():
        broken = EventFactory(network=cast.network, title="Fin de los tiempos")
    store_end_in_year_10000(broken)

    with connection.schema_editor() as editor:
        repair.repair(apps, editor)

    with all_networks():
        broken.refresh_from_db()
    assert broken.starts_at < broken.ends_at < repair.READABLE_UNTIL
    assert timezone.localtime(broken.ends_at, LIMA).year == 9998
