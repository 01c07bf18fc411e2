"""The bounds on typed dates: twenty years back to ten years ahead, in the network's calendar."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError

from core import dates
from core.errors import DomainError

LIMA = ZoneInfo("America/Lima")
TOKYO = ZoneInfo("Asia/Tokyo")
# 15 June 2025, at noon in Lima.
NOW = datetime(2025, 6, 15, 12, 0, tzinfo=LIMA)


@pytest.fixture(autouse=True)
def _now(english):
    with time_machine.travel(NOW, tick=False):
        yield


def test_the_bounds_run_from_twenty_years_back_to_ten_years_ahead():
    assert dates.bounds(LIMA) == (date(2005, 6, 15), date(2035, 6, 15))


def test_the_last_day_ten_years_ahead_is_accepted_and_the_next_refused():
    dates.check_day(date(2035, 6, 15), zone=LIMA)
    dates.check_moment(datetime(2035, 6, 15, 23, 59, tzinfo=LIMA), zone=LIMA)
    with pytest.raises(DomainError, match="June 15, 2035"):
        dates.check_day(date(2035, 6, 16), zone=LIMA)
    with pytest.raises(DomainError):
        dates.check_moment(datetime(2035, 6, 16, 0, 0, tzinfo=LIMA), zone=LIMA)


def test_the_first_day_twenty_years_back_is_accepted_and_the_one_before_refused():
    dates.check_day(date(2005, 6, 15), zone=LIMA)
    with pytest.raises(DomainError, match="June 15, 2005"):
        dates.check_day(date(2005, 6, 14), zone=LIMA)


def test_a_moment_is_judged_by_its_day_in_the_networks_calendar():
    # At 8:00 in Lima it is 22:00 in Tokyo: 15 June in both. Ten years on, 16 June
    # 00:30 in Tokyo is still 15 June in Lima: accepted there, refused in Tokyo.
    moment = datetime(2035, 6, 16, 0, 30, tzinfo=TOKYO)
    with time_machine.travel(datetime(2025, 6, 15, 8, 0, tzinfo=LIMA), tick=False):
        dates.check_moment(moment, zone=LIMA)
        with pytest.raises(DomainError):
            dates.check_moment(moment, zone=TOKYO)


def test_the_end_of_year_9999_in_lima_is_refused_with_a_clear_message():
    with pytest.raises(DomainError) as refused:
        dates.check_moment(
            datetime(9999, 12, 31, 23, 59, tzinfo=LIMA),
            zone=LIMA,
            what="The end of the event",
        )
    assert str(refused.value) == (
        "The end of the event: choose a date between June 15, 2005 and June 15, 2035."
    )


def test_a_moment_beyond_what_python_can_convert_is_refused_not_an_error():
    with pytest.raises(DomainError):
        dates.check_moment(datetime(9999, 12, 31, 23, 59, tzinfo=LIMA), zone=TOKYO)
    with pytest.raises(DomainError):
        dates.check_moment(datetime(1, 1, 1, 0, 0, tzinfo=TOKYO), zone=LIMA)


def test_29_february_ten_years_ahead_becomes_28_february():
    with time_machine.travel(datetime(2028, 2, 29, 12, 0, tzinfo=LIMA), tick=False):
        assert dates.bounds(LIMA) == (date(2008, 2, 29), date(2038, 2, 28))


def test_the_validators_give_forms_and_the_admin_the_same_message():
    with pytest.raises(ValidationError) as refused:
        dates.validate_day(date(9999, 12, 31))
    assert refused.value.messages == ["Choose a date between June 15, 2005 and June 15, 2035."]
    dates.validate_day(date(2030, 1, 1))
    dates.validate_moment(datetime(2030, 1, 1, 9, 0, tzinfo=LIMA))
    dates.validate_day(None)
