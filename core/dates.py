"""Bounds on the dates and moments people type: an event's start, an action's due date…

A date far in the past or the future is a typing mistake, and some break pages:
9999-12-31 23:59 in Lima is year 10000 in UTC, which Python cannot read back, so
every page listing that event would fail. Every date a person types is checked
here, in the calendar of the network it belongs to: from `YEARS_BACK` years ago
to `YEARS_AHEAD` years ahead, both days included. Services call `check_day` and
`check_moment`; forms, the admin and the API show the same message early through
`validate_day` and `validate_moment`.

Rows stored before these bounds existed may still hold a moment Python cannot
read; the reads that list events leave out anything outside `READABLE_FROM` and
`READABLE_UNTIL` (see `events.selectors`).
"""

from datetime import UTC, date, datetime, tzinfo

from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _

from core.errors import DomainError

YEARS_BACK = 20
YEARS_AHEAD = 10

# What the database may hold that every page can still read and convert to any
# time zone; wider than the bounds on typing, so nothing typed is ever hidden.
READABLE_FROM = datetime(1900, 1, 1, tzinfo=UTC)
READABLE_UNTIL = datetime(9999, 1, 1, tzinfo=UTC)


def _years_from(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year + years, day=28)


def bounds(zone: tzinfo | None = None, *, now: datetime | None = None) -> tuple[date, date]:
    """The first and the last day a person may type, in the calendar of `zone`."""
    today = timezone.localdate(now or timezone.now(), zone or timezone.get_current_timezone())
    return _years_from(today, -YEARS_BACK), _years_from(today, YEARS_AHEAD)


def out_of_bounds_message(zone: tzinfo | None = None, *, what: str | None = None) -> str:
    earliest, latest = bounds(zone)
    values = {
        "earliest": formats.date_format(earliest, "DATE_FORMAT"),
        "latest": formats.date_format(latest, "DATE_FORMAT"),
    }
    if what:
        return _("%(what)s: choose a date between %(earliest)s and %(latest)s.") % {
            **values,
            "what": what,
        }
    return _("Choose a date between %(earliest)s and %(latest)s.") % values


def day_is_within_bounds(day: date, zone: tzinfo | None = None) -> bool:
    earliest, latest = bounds(zone)
    return earliest <= day <= latest


def _local_day(moment: datetime, zone: tzinfo) -> date | None:
    """The moment's day in `zone`, or None when the moment has no place in the calendar."""
    try:
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment, zone)
        return timezone.localtime(moment, zone).date()
    except (OverflowError, ValueError):
        return None


def moment_is_within_bounds(moment: datetime, zone: tzinfo | None = None) -> bool:
    zone = zone or timezone.get_current_timezone()
    day = _local_day(moment, zone)
    return day is not None and day_is_within_bounds(day, zone)


def check_day(day: date | None, *, zone: tzinfo | None = None, what: str | None = None) -> None:
    """Refuse a typed day outside the bounds (None is no day, and passes)."""
    if day is None:
        return
    if isinstance(day, datetime) or not isinstance(day, date):
        raise TypeError(f"check_day takes a date, not {type(day).__name__}.")
    if not day_is_within_bounds(day, zone):
        raise DomainError(out_of_bounds_message(zone, what=what))


def check_moment(
    moment: datetime | None, *, zone: tzinfo | None = None, what: str | None = None
) -> None:
    """Refuse a typed moment whose day, in `zone`, is outside the bounds (None passes)."""
    if moment is None:
        return
    if not isinstance(moment, datetime):
        raise TypeError(f"check_moment takes a datetime, not {type(moment).__name__}.")
    if not moment_is_within_bounds(moment, zone):
        raise DomainError(out_of_bounds_message(zone, what=what))


@deconstructible
class DayValidator:
    """For date fields of forms, serializers and models: the bounds, in the current zone."""

    def __call__(self, value: date | None) -> None:
        if value is None:
            return
        try:
            check_day(value)
        except DomainError as error:
            raise ValidationError(error.message, code="date_out_of_bounds") from None

    def __eq__(self, other: object) -> bool:
        return isinstance(other, DayValidator)


@deconstructible
class MomentValidator:
    """For date-and-time fields of forms, serializers and models, in the current zone."""

    def __call__(self, value: datetime | None) -> None:
        if value is None:
            return
        try:
            check_moment(value)
        except DomainError as error:
            raise ValidationError(error.message, code="date_out_of_bounds") from None

    def __eq__(self, other: object) -> bool:
        return isinstance(other, MomentValidator)


validate_day = DayValidator()
validate_moment = MomentValidator()
