"""Wall-clock times in Wales, across the clock changes."""

from datetime import UTC, date, datetime, time

import pytest

from services.notifications import london


@pytest.mark.parametrize(
    ("day", "wall", "moment"),
    [
        (date(2027, 1, 15), time(10), datetime(2027, 1, 15, 10, tzinfo=UTC)),
        (date(2027, 7, 15), time(10), datetime(2027, 7, 15, 9, tzinfo=UTC)),
        # skipped in March: 01:30 is read as 02:30 BST
        (date(2027, 3, 28), time(1, 30), datetime(2027, 3, 28, 1, 30, tzinfo=UTC)),
        # shown twice in October: the first showing, in BST
        (date(2027, 10, 31), time(1, 30), datetime(2027, 10, 31, 0, 30, tzinfo=UTC)),
    ],
)
def test_a_wall_clock_time_becomes_one_moment(day, wall, moment):
    assert london.at(day, wall) == moment


def test_the_day_in_wales_is_not_the_day_in_utc_late_on_a_summer_evening():
    assert london.today(datetime(2027, 6, 30, 23, 30, tzinfo=UTC)) == date(2027, 7, 1)


def test_dates_are_written_with_welsh_and_english_month_names():
    moment = "2027-12-25T15:05:00+00:00"

    assert london.format_moment(moment, "cy") == "25 Rhagfyr 2027 am 15:05"
    assert london.format_moment(moment, "en") == "25 December 2027 at 15:05"
    assert london.format_day("2027-02-01", "cy") == "1 Chwefror 2027"
