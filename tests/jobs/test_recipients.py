"""Each job tells exactly the right people of the right network (see the world in conftest).

The lifecycle sweep once added its recipient condition in a second `filter()`
over a multi-valued relation: "commission closed" went to the entity's
representatives in every network, to entities that had left the commission
and to suspended members, and "stalled" went to former facilitators. Each
test compares the whole set of (network, person) told, so any extra or
missing person fails it.
"""

import pytest

from commissions import lifecycle
from commissions.tasks import (
    send_commission_reminders_in_network,
    send_yearly_evaluation_reminders_in_network,
)
from events.models import Registration
from events.tasks import send_event_reminders_in_network
from members.models import Notification
from networks.scoping import all_networks
from tests.jobs.conftest import NOW

pytestmark = pytest.mark.django_db


def told(kind, about):
    """Who was told `kind` about this commission or event: {(network id, user)}."""
    with all_networks():
        return {
            (notification.network_id, notification.recipient)
            for notification in Notification.objects.filter(kind=kind).select_related("recipient")
            if notification.link.startswith(about.get_absolute_url())
        }


def in_network(side, people):
    return {(side.network.pk, person) for person in people}


def test_a_closing_commission_tells_its_facilitator_and_its_seated_active_members_only(world):
    lifecycle.sweep_commissions(now=NOW)
    for side in world.sides:
        expected = {side.facilitator} | side.people(side.own, side.shared)
        assert told("commission.closed", side.commissions["closing"]) == in_network(side, expected)
        # Spelled out: nobody of the other network, nobody suspended, nobody who left.
        closing = side.commissions["closing"]
        heard = {person for _network, person in told("commission.closed", closing)}
        other = world.other(side)
        assert not heard & (side.people(other.shared) - side.people(side.shared))
        assert not heard & side.people(side.suspended, side.leaver)
        assert side.former_facilitator not in heard and other.facilitator not in heard


def test_a_stalling_commission_tells_the_current_facilitator_of_its_network_only(world):
    lifecycle.sweep_commissions(now=NOW)
    for side in world.sides:
        assert told("commission.stalled", side.commissions["stalling"]) == in_network(
            side, {side.facilitator}
        )


def test_a_vacancy_reminder_tells_the_current_facilitator_of_its_network_only(world):
    lifecycle.sweep_commissions(now=NOW)
    for side in world.sides:
        assert told("commission.vacancy_reminder", side.commissions["closing_soon"]) == (
            in_network(side, {side.facilitator})
        )


def test_commission_reminders_tell_the_active_promoters_of_their_own_network(world):
    for side in world.sides:
        send_commission_reminders_in_network(side.network.pk)
        send_yearly_evaluation_reminders_in_network(side.network.pk)
    for side in world.sides:
        quiet = side.commissions["quiet"]
        # Promoters: the shared entity and `own` (open terms); the suspended promoter names nobody.
        promoters = in_network(side, side.people(side.shared, side.own))
        assert told("commission.quiet", quiet) == promoters
        assert told("commission.yearly_sheet", quiet) == promoters
        # Only the terms older than a year are asked: the shared entity's (and the suspended's).
        assert told("promoter_term.continue", quiet) == in_network(side, side.people(side.shared))
        # The overdue actions: the shared entity's people hear; the suspended one's, nobody.
        assert told("action.overdue", quiet) == in_network(side, side.people(side.shared))


def test_event_reminders_tell_the_registered_and_the_organisers_of_their_own_network(world):
    for side in world.sides:
        send_event_reminders_in_network(side.network.pk)
    for side in world.sides:
        assert told("event.reminder", side.events["upcoming"]) == in_network(
            side, side.people(side.shared) | {side.registrant}
        )
        # The former facilitator who convened the assembly is not told any more.
        assert told("event.minutes_missing", side.events["assembly"]) == in_network(
            side, side.people(side.shared)
        )
        assert told("event.minutes_missing", side.events["meeting"]) == in_network(
            side, side.people(side.own) | {side.facilitator}
        )


def test_an_entity_registration_reminds_its_people_of_today_not_the_one_who_registered(world):
    side = world.arequipa
    with all_networks():
        Registration.objects.filter(
            event=side.events["upcoming"], entity=side.shared.entity
        ).update(user=side.former_facilitator)
    send_event_reminders_in_network(side.network.pk)
    heard = {person for _network, person in told("event.reminder", side.events["upcoming"])}
    assert side.former_facilitator not in heard
    assert side.people(side.shared) <= heard
