"""Deadlines follow the network's settings as they are at sweep time, in the network's calendar.

A commission stalls, or closes, from the start of the day announced, in the
network's time zone: never a day later than the mail said, whatever time the
daily sweep runs, and a changed setting applies from the next sweep, with the
number actually used in the mail.
"""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from commissions import deadlines, lifecycle, services
from commissions.models import CommissionState
from members.models import Notification
from members.notifications import subject_and_body
from networks.scoping import all_networks

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

LIMA = ZoneInfo("America/Lima")  # UTC-5, no daylight saving
TOKYO = ZoneInfo("Asia/Tokyo")  # UTC+9
DAY = timedelta(days=1)


def propose(cast, at):
    entity = cast.entities[0]
    with time_machine.travel(at, tick=False):
        return services.propose_commission(
            network=cast.network, entity=entity, name="Medio Ambiente", by=cast.rep(entity)
        )


def vacate(cast, commission, at):
    with all_networks():
        term = commission.promoter_terms.select_related("entity").get(ended_at__isnull=True)
    with time_machine.travel(at, tick=False):
        services.step_down_as_promoter(term=term, reason="Sin tiempo", by=cast.rep(term.entity))
    commission.refresh_from_db()


def set_network(cast, **settings):
    for name, value in settings.items():
        setattr(cast.network, name, value)
    cast.network.save()


def state(commission):
    commission.refresh_from_db()
    return commission.state


def stall_mail(cast):
    with all_networks():
        notification = Notification.objects.get(
            kind="commission.stalled", recipient=cast.facilitator
        )
    return subject_and_body(notification)[1]


def test_lowering_the_stall_period_stalls_a_commission_idle_for_longer_at_the_next_sweep(cast):
    start = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)
    commission = propose(cast, start)
    lifecycle.sweep_commissions(now=start + 45 * DAY)
    assert state(commission) == CommissionState.ACTIVE

    set_network(cast, stall_after_days=30)
    lifecycle.sweep_commissions(now=start + 45 * DAY + timedelta(hours=1))

    assert state(commission) == CommissionState.STALLED
    assert "for 30 days" in stall_mail(cast)


def test_raising_the_stall_period_keeps_a_commission_active_and_the_mail_quotes_it(cast):
    start = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)
    commission = propose(cast, start)
    set_network(cast, stall_after_days=90)

    lifecycle.sweep_commissions(now=start + 61 * DAY)
    assert state(commission) == CommissionState.ACTIVE
    lifecycle.sweep_commissions(now=start + 90 * DAY)

    assert state(commission) == CommissionState.STALLED
    assert "for 90 days" in stall_mail(cast)


def test_a_stall_period_of_one_day_says_day(cast):
    start = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)
    propose(cast, start)
    set_network(cast, stall_after_days=1)
    lifecycle.sweep_commissions(now=start + DAY)
    assert "for 1 day." in stall_mail(cast)


def test_the_commission_closes_on_the_day_the_reminder_announced_whatever_the_sweeps_hour(cast):
    # Vacant at 23:30 in Lima on 19 October: 30 days later is 18 November in Lima.
    vacant_at = datetime(2026, 10, 20, 4, 30, tzinfo=UTC)
    commission = propose(cast, vacant_at - 10 * DAY)
    vacate(cast, commission, vacant_at)
    assert commission.closes_on == date(2026, 11, 18)
    lifecycle.sweep_commissions(now=datetime(2026, 11, 17, 11, 0, tzinfo=UTC))
    with all_networks():
        reminder = Notification.objects.get(kind="commission.vacancy_reminder")
    assert reminder.context["closes_on"] == "2026-11-18"
    assert subject_and_body(reminder)[0].endswith("closes in 1 day without a promoter")

    # 23:59 on the 17th in Lima is the 18th in UTC: still open.
    lifecycle.sweep_commissions(now=datetime(2026, 11, 18, 4, 59, tzinfo=UTC))
    assert state(commission) == CommissionState.VACANT
    # Midnight in Lima: the announced day has begun.
    lifecycle.sweep_commissions(now=datetime(2026, 11, 18, 5, 0, tzinfo=UTC))
    assert state(commission) == CommissionState.CLOSED
    assert commission.closed_on == date(2026, 11, 18)


def test_the_rule_follows_the_network_time_zone(cast):
    set_network(cast, time_zone="Asia/Tokyo")
    # 08:30 on 20 October in Tokyo (still the 19th in UTC).
    vacant_at = datetime(2026, 10, 19, 23, 30, tzinfo=UTC)
    commission = propose(cast, vacant_at - 10 * DAY)
    vacate(cast, commission, vacant_at)
    assert commission.closes_on == date(2026, 11, 19)

    lifecycle.sweep_commissions(now=datetime(2026, 11, 18, 14, 59, tzinfo=UTC))
    assert state(commission) == CommissionState.VACANT
    lifecycle.sweep_commissions(now=datetime(2026, 11, 18, 15, 0, tzinfo=UTC))
    assert state(commission) == CommissionState.CLOSED
    assert commission.closed_on == date(2026, 11, 19)


@pytest.mark.parametrize(
    ("since", "zone", "now", "due"),
    [
        # Last activity late in the evening, Lima: due from midnight 60 days later.
        (datetime(2026, 1, 1, 4, 59, tzinfo=UTC), LIMA, datetime(2026, 3, 1, 4, 59), False),
        (datetime(2026, 1, 1, 4, 59, tzinfo=UTC), LIMA, datetime(2026, 3, 1, 5, 0), True),
        # One minute later it is the next day in Lima: one more day to go.
        (datetime(2026, 1, 1, 5, 0, tzinfo=UTC), LIMA, datetime(2026, 3, 2, 4, 59), False),
        (datetime(2026, 1, 1, 5, 0, tzinfo=UTC), LIMA, datetime(2026, 3, 2, 5, 0), True),
        # Tokyo: the day starts at 15:00 UTC the day before.
        (datetime(2026, 1, 1, 14, 59, tzinfo=UTC), TOKYO, datetime(2026, 3, 1, 14, 59), False),
        (datetime(2026, 1, 1, 14, 59, tzinfo=UTC), TOKYO, datetime(2026, 3, 1, 15, 0), True),
    ],
)
def test_due_exactly_from_the_start_of_the_announced_day(since, zone, now, due):
    now = now.replace(tzinfo=UTC)
    announced = deadlines.stalls_on(last_activity_at=since, stall_after_days=60, zone=zone)
    assert (since < deadlines.due_before(days=60, zone=zone, now=now)) is due
    assert (now >= deadlines.day_start(announced, zone)) is due


def test_a_day_that_starts_at_one_in_the_morning_starts_when_the_clock_jumps():
    # Santiago de Chile moved its clocks from 00:00 to 01:00 on 6 September 2026.
    santiago = ZoneInfo("America/Santiago")
    start = deadlines.day_start(date(2026, 9, 6), santiago)
    assert start.astimezone(UTC) == datetime(2026, 9, 6, 4, 0, tzinfo=UTC)
