from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from commissions import lifecycle, services
from commissions.models import (
    ActionStatus,
    ClosingReason,
    ClosingSheet,
    Commission,
    CommissionState,
    StateChange,
)
from core.actors import SYSTEM
from members.models import Notification
from networks.scoping import all_networks, network_scope
from tests import factories
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

START = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)
DAY = timedelta(days=1)


def propose(cast, entity=None, name="Medio Ambiente"):
    entity = entity or cast.entities[0]
    with time_machine.travel(START, tick=False):
        return services.propose_commission(
            network=cast.network, entity=entity, name=name, by=cast.rep(entity)
        )


def vacate(cast, commission, at):
    with all_networks():
        term = commission.promoter_terms.select_related("entity").get(ended_at__isnull=True)
    with time_machine.travel(at, tick=False):
        services.step_down_as_promoter(
            term=term, reason="Cambio de prioridades", by=cast.rep(term.entity)
        )
    commission.refresh_from_db()


def sweep(at):
    return lifecycle.sweep_commissions(now=at)


def in_network(cast, job, at):
    """Run a reminder job as its task does: inside the network's scope."""
    with network_scope(cast.network):
        return job(now=at)


def notified(kind):
    with all_networks():
        return set(
            Notification.objects.filter(kind=kind).values_list("recipient__email", flat=True)
        )


def test_active_commission_is_not_stalled_one_day_before_the_stall_period(cast):
    commission = propose(cast)
    assert sweep(START + 60 * DAY - DAY)["stalled"] == 0
    commission.refresh_from_db()
    assert commission.state == CommissionState.ACTIVE


def test_active_commission_stalls_after_the_stall_period_and_the_facilitator_hears_once(cast):
    commission = propose(cast)
    assert sweep(START + 60 * DAY)["stalled"] == 1
    commission.refresh_from_db()
    assert commission.state == CommissionState.STALLED
    assert commission.state_changed_at == START + 60 * DAY
    assert notified("commission.stalled") == {cast.facilitator.email}
    assert sweep(START + 61 * DAY)["stalled"] == 0
    with all_networks():
        assert Notification.objects.filter(kind="commission.stalled").count() == 1
        change = StateChange.objects.filter(commission=commission).last()
    assert (change.from_state, change.to_state, change.reason) == (
        "active",
        "stalled",
        "no_activity",
    )


def test_the_network_stall_period_is_respected(cast):
    cast.network.stall_after_days = 10
    cast.network.save()
    commission = propose(cast)
    sweep(START + 9 * DAY)
    commission.refresh_from_db()
    assert commission.state == CommissionState.ACTIVE
    sweep(START + 10 * DAY + timedelta(minutes=1))
    commission.refresh_from_db()
    assert commission.state == CommissionState.STALLED


def test_an_action_change_counts_as_activity(cast):
    commission = propose(cast)
    promoter = cast.entities[0]
    with time_machine.travel(START + 50 * DAY, tick=False):
        action = services.add_action(
            commission=commission,
            entity=promoter,
            title="Feria",
            responsible=promoter,
            by=cast.rep(promoter),
        )
    sweep(START + 61 * DAY)
    commission.refresh_from_db()
    assert commission.state == CommissionState.ACTIVE
    with time_machine.travel(START + 100 * DAY, tick=False):
        services.change_action_status(
            action=action, entity=promoter, status=ActionStatus.DONE, by=cast.rep(promoter)
        )
    sweep(START + 159 * DAY)
    commission.refresh_from_db()
    assert commission.state == CommissionState.ACTIVE
    sweep(START + 160 * DAY)
    commission.refresh_from_db()
    assert commission.state == CommissionState.STALLED


def test_vacant_commission_stays_open_until_the_grace_period_ends(cast):
    commission = propose(cast)
    vacate(cast, commission, START + DAY)
    assert sweep(START + DAY + 30 * DAY - DAY)["closed"] == 0
    commission.refresh_from_db()
    assert commission.state == CommissionState.VACANT


def test_vacant_commission_closes_after_grace_period(cast):
    member = cast.entities[1]
    commission = propose(cast)
    services.join_commission(commission=commission, entity=member, by=cast.rep(member))
    vacate(cast, commission, START + DAY)
    closing_day = START + DAY + 31 * DAY
    assert sweep(closing_day)["closed"] == 1
    commission.refresh_from_db()
    assert commission.state == CommissionState.CLOSED
    assert commission.closed_reason == ClosingReason.NO_PROMOTER
    assert commission.closed_on == timezone.localdate(closing_day, cast.network.zone)
    with all_networks():
        change = StateChange.objects.filter(commission=commission).last()
    assert (change.from_state, change.to_state, change.reason) == (
        "vacant",
        "closed",
        "no_promoter",
    )
    assert notified("commission.closed") == (
        {cast.facilitator.email} | cast.emails_of(member) | cast.emails_of(cast.entities[0])
    )
    assert sweep(closing_day + DAY)["closed"] == 0
    with all_networks():
        assert Commission.objects.filter(pk=commission.pk).exists()


def test_a_stalled_commission_also_becomes_vacant_and_closes(cast):
    commission = propose(cast)
    sweep(START + 60 * DAY)
    vacate(cast, commission, START + 61 * DAY)
    assert commission.state == CommissionState.VACANT
    sweep(START + 61 * DAY + 30 * DAY)
    commission.refresh_from_db()
    assert commission.state == CommissionState.CLOSED


def test_stepping_up_within_the_grace_period_saves_the_commission(cast):
    commission = propose(cast)
    vacate(cast, commission, START + DAY)
    with time_machine.travel(START + 29 * DAY, tick=False):
        services.step_up_as_promoter(
            commission=commission, entity=cast.entities[2], by=cast.rep(cast.entities[2])
        )
    sweep(START + 40 * DAY)
    commission.refresh_from_db()
    assert commission.state == CommissionState.ACTIVE


def test_the_facilitator_is_reminded_seven_days_and_one_day_before_closing(cast):
    commission = propose(cast)
    vacate(cast, commission, START)
    closes_on = commission.closes_on
    for day in range(0, 31):
        sweep(START + day * DAY + timedelta(hours=1))
    with all_networks():
        reminders = list(
            Notification.objects.filter(kind="commission.vacancy_reminder").values_list(
                "context", flat=True
            )
        )
    assert sorted(reminder["days_left"] for reminder in reminders) == [1, 7]
    assert closes_on == timezone.localdate(START, cast.network.zone) + 30 * DAY


def test_sweeps_touch_only_commissions_that_are_due_in_every_network(cast, other_network):
    facilitator_b = UserFactory()
    from networks.services import appoint_facilitator

    appoint_facilitator(network=other_network, user=facilitator_b, by=SYSTEM)
    membership_b = factories.MembershipFactory(network=other_network)
    with time_machine.travel(START, tick=False):
        in_b = services.propose_commission(
            network=other_network,
            entity=membership_b.entity,
            name="Juventud",
            by=membership_b.representative,
        )
    in_a = propose(cast)
    other_network.stall_after_days = 90
    other_network.save()
    sweep(START + 60 * DAY)
    in_a.refresh_from_db()
    in_b.refresh_from_db()
    assert (in_a.state, in_b.state) == (CommissionState.STALLED, CommissionState.ACTIVE)
    assert notified("commission.stalled") == {cast.facilitator.email}


def test_overdue_actions_remind_the_responsible_promoter_once_per_due_date(cast):
    commission = propose(cast)
    promoter = cast.entities[0]
    with time_machine.travel(START, tick=False):
        action = services.add_action(
            commission=commission,
            entity=promoter,
            title="Feria",
            responsible=promoter,
            due_on=(START + 5 * DAY).date(),
            by=cast.rep(promoter),
        )
    assert in_network(cast, lifecycle.remind_overdue_actions, START + 5 * DAY) == 0
    sent = in_network(cast, lifecycle.remind_overdue_actions, START + 6 * DAY)
    assert sent == 2
    # Offered again, stored once: nothing new is counted.
    assert in_network(cast, lifecycle.remind_overdue_actions, START + 7 * DAY) == 0
    with all_networks():
        assert Notification.objects.filter(kind="action.overdue").count() == 2
    assert notified("action.overdue") == cast.emails_of(promoter)
    with time_machine.travel(START + 8 * DAY, tick=False):
        services.change_action_status(
            action=action, entity=promoter, status=ActionStatus.DONE, by=cast.rep(promoter)
        )
    assert in_network(cast, lifecycle.remind_overdue_actions, START + 9 * DAY) == 0


def test_quiet_commissions_nudge_their_promoters_once_per_silence(cast):
    commission = propose(cast)
    assert in_network(cast, lifecycle.remind_quiet_commissions, START + 13 * DAY) == 0
    in_network(cast, lifecycle.remind_quiet_commissions, START + 14 * DAY)
    in_network(cast, lifecycle.remind_quiet_commissions, START + 15 * DAY)
    with all_networks():
        assert Notification.objects.filter(kind="commission.quiet").count() == 2
    with time_machine.travel(START + 20 * DAY, tick=False):
        services.post_progress_update(
            commission=commission,
            entity=cast.entities[0],
            text="Avance",
            by=cast.rep(cast.entities[0]),
        )
    in_network(cast, lifecycle.remind_quiet_commissions, START + 34 * DAY)
    with all_networks():
        assert Notification.objects.filter(kind="commission.quiet").count() == 4


def test_yearly_evaluation_is_asked_once_a_year_until_the_sheet_is_filled(cast):
    commission = propose(cast)
    assert in_network(cast, lifecycle.remind_yearly_evaluations, START + 364 * DAY) == 0
    a_year_on = START + 366 * DAY
    assert in_network(cast, lifecycle.remind_yearly_evaluations, a_year_on) == 2
    in_network(cast, lifecycle.remind_yearly_evaluations, a_year_on + DAY)
    with all_networks():
        assert Notification.objects.filter(kind="commission.yearly_sheet").count() == 2
    fields = dict.fromkeys(
        ("participants", "objectives", "methodology", "activities", "results", "evaluation"), "x"
    )
    services.fill_closing_sheet(
        commission=commission,
        entity=cast.entities[0],
        occasion=ClosingSheet.Occasion.YEARLY,
        year=a_year_on.year + 1,
        by=cast.rep(cast.entities[0]),
        **fields,
    )
    next_year = START + (366 + 365) * DAY
    assert in_network(cast, lifecycle.remind_yearly_evaluations, next_year) == 0


def test_a_promoter_term_older_than_a_year_asks_whether_to_continue(cast):
    propose(cast)
    assert in_network(cast, lifecycle.ask_long_terms_to_continue, START + 300 * DAY) == 0
    assert in_network(cast, lifecycle.ask_long_terms_to_continue, START + 366 * DAY) == 2
    assert in_network(cast, lifecycle.ask_long_terms_to_continue, START + 400 * DAY) == 0
    assert in_network(cast, lifecycle.ask_long_terms_to_continue, START + 2 * 366 * DAY) == 2
    assert notified("promoter_term.continue") == cast.emails_of(cast.entities[0])


@pytest.mark.parametrize("commissions", [3, 30])
def test_the_sweep_makes_the_same_number_of_queries_whatever_the_number_of_commissions(
    cast, commissions, django_assert_num_queries
):
    promoter = cast.entities[0]
    cast.network.max_promoter_terms = 100
    cast.network.save()
    created = [propose(cast, promoter, name=f"Comisión {n}") for n in range(commissions)]
    for commission in created[: commissions // 3]:
        vacate(cast, commission, START + DAY)
    # SQLite is asked once per connection whether it stores JSON; that is not the sweep's cost.
    assert connection.features.supports_json_field
    # One of them reads every network's settings, for the deadlines (commissions.deadlines).
    with django_assert_num_queries(17):
        counts = lifecycle.sweep_commissions(now=START + 70 * DAY)
    assert counts["stalled"] == commissions - commissions // 3
    assert counts["closed"] == commissions // 3
