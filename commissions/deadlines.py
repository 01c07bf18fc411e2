"""When a commission stalls and when a vacant one closes, from the network's settings as they are.

Nothing is stored: the deadlines follow from the last activity, the start of
the vacancy and the network's `stall_after_days` and `vacancy_grace_days` at
the moment they are read, so a changed setting applies from the next sweep
and every page shows the date the sweep will use.

One rule, in the network's calendar: a commission whose last activity fell on
day D stalls on day D + stall_after_days, and a commission left without
promoter on day V closes on day V + vacancy_grace_days. The change happens from
the start of that day in the network's time zone, so the date announced in
mails and pages is the day it happens, whatever time the daily sweep runs.

The sweep asks the database with one timestamp per network (the start of the
day that makes a commission due, see `due_before`), so finding what is due
stays one indexed comparison, across every network at once.
"""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Case, DateTimeField, IntegerField, Q, Value, When
from django.utils import timezone

from networks.models import Network


def day_start(day: date, zone: ZoneInfo) -> datetime:
    """The first moment of `day` in `zone` (a day may start at 01:00 when the clock jumps)."""
    return datetime.combine(day, time(), tzinfo=zone)


def stalls_on(*, last_activity_at: datetime, stall_after_days: int, zone: ZoneInfo) -> date:
    """The day an active commission stalls if nothing happens before."""
    return timezone.localdate(last_activity_at, zone) + timedelta(days=stall_after_days)


def closes_on(*, vacant_since: datetime, vacancy_grace_days: int, zone: ZoneInfo) -> date:
    """The day a commission without promoter closes if no entity steps up before."""
    return timezone.localdate(vacant_since, zone) + timedelta(days=vacancy_grace_days)


def due_before(*, days: int, zone: ZoneInfo, now: datetime) -> datetime:
    """A moment `since` is due by `now` after `days` days exactly when `since` is before this.

    Due means: local day of `since` + `days` <= today, that is, `since` falls
    before the start of the day after (today - `days`).
    """
    today = timezone.localdate(now, zone)
    return day_start(today - timedelta(days=days - 1), zone)


def network_settings() -> list[dict]:
    """Every network's time zone and deadlines, as they are now: one query."""
    return list(Network.objects.values("id", "time_zone", "stall_after_days", "vacancy_grace_days"))


def _per_network(networks, value, output_field):
    return Case(
        *[When(network_id=network["id"], then=Value(value(network))) for network in networks],
        default=Value(None),
        output_field=output_field,
    )


def stall_due(networks, *, now: datetime) -> Q:
    """Active commissions whose stall day has come, in each one's network (rows, not joins)."""
    if not networks:
        return Q(pk__in=[])
    return Q(
        last_activity_at__lt=_per_network(
            networks,
            lambda network: due_before(
                days=network["stall_after_days"], zone=ZoneInfo(network["time_zone"]), now=now
            ),
            DateTimeField(),
        )
    )


def close_due(networks, *, now: datetime, days_ahead: int = 0) -> Q:
    """Vacant commissions whose closing day comes within `days_ahead` days (0: today or before)."""
    if not networks:
        return Q(pk__in=[])
    return Q(
        vacant_since__lt=_per_network(
            networks,
            lambda network: due_before(
                days=network["vacancy_grace_days"] - days_ahead,
                zone=ZoneInfo(network["time_zone"]),
                now=now,
            ),
            DateTimeField(),
        )
    )


def stall_days(networks, *, network_path: str = "network_id") -> Case:
    """The stall period each network uses now, as an expression, for the mail to quote it."""
    return Case(
        *[
            When(**{network_path: network["id"]}, then=Value(network["stall_after_days"]))
            for network in networks
        ],
        default=Value(None),
        output_field=IntegerField(),
    )
