from datetime import UTC, date, datetime

import pytest

from services.stories.members import anchor_date
from services.stories.rounds import due_on, london_today, newest_due


@pytest.mark.parametrize(
    ("anchor", "expected"),
    [
        (date(2026, 8, 31), [date(2027, 2, 28), date(2027, 8, 31), date(2028, 2, 29)]),
        (date(2028, 2, 29), [date(2028, 8, 29), date(2029, 2, 28), date(2029, 8, 29)]),
        (date(2027, 3, 31), [date(2027, 9, 30), date(2028, 3, 31), date(2028, 9, 30)]),
    ],
)
def test_rounds_fall_every_six_months_counted_from_the_first_date(anchor, expected):
    assert [due_on(anchor, n) for n in (1, 2, 3)] == expected


def test_a_leap_day_member_gets_the_29th_again_in_the_next_leap_year():
    assert due_on(date(2028, 2, 29), 8) == date(2032, 2, 29)


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2027, 2, 27), 0),
        (date(2027, 2, 28), 1),
        (date(2027, 8, 30), 1),
        (date(2027, 8, 31), 2),
        (date(2030, 1, 1), 6),
    ],
)
def test_the_newest_due_round_is_found_from_the_first_date(today, expected):
    assert newest_due(date(2026, 8, 31), today) == expected


@pytest.mark.parametrize(
    ("moment", "london_day"),
    [
        # BST: 23:30 UTC is already the next day in London.
        (datetime(2026, 3, 29, 23, 30, tzinfo=UTC), date(2026, 3, 30)),
        # The spring change itself (01:00 UTC on 29 March 2026).
        (datetime(2026, 3, 29, 0, 59, tzinfo=UTC), date(2026, 3, 29)),
        (datetime(2026, 3, 29, 1, 0, tzinfo=UTC), date(2026, 3, 29)),
        # GMT again after 25 October 2026: 23:30 UTC is still that day.
        (datetime(2026, 10, 25, 23, 30, tzinfo=UTC), date(2026, 10, 25)),
        (datetime(2026, 10, 24, 23, 30, tzinfo=UTC), date(2026, 10, 25)),
    ],
)
def test_days_are_london_days_across_the_clock_changes(moment, london_day):
    assert london_today(moment) == london_day


def test_the_first_date_is_the_london_date_of_confirming_else_of_joining():
    joined = datetime(2026, 8, 30, 12, 0, tzinfo=UTC)
    confirmed = datetime(2026, 8, 30, 23, 15, tzinfo=UTC)  # 00:15 on the 31st, BST

    assert anchor_date({"joined_at": joined, "verified_at": confirmed}) == date(
        2026, 8, 31
    )
    assert anchor_date({"joined_at": joined, "verified_at": None}) == date(2026, 8, 30)
