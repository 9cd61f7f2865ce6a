"""The drive's arithmetic, with no database: who was active when, week by week,
and whether the pace of the last 28 days reaches the target."""

from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace

from services.membership import pace

DRIVE = SimpleNamespace(
    target=10, starts_on=date(2027, 1, 4), deadline=date(2027, 3, 1)
)


def at(day: int, hour: int = 12) -> datetime:
    return datetime(2027, 1, 4, hour, tzinfo=UTC) + timedelta(days=day)


def joined(member: str, day: int) -> list[tuple]:
    return [(member, "pending", at(day, 9)), (member, "active", at(day, 10))]


def test_active_counts_only_the_latest_status_of_each_member():
    history = joined("a", 0) + joined("b", 1) + [("a", "lapsed", at(3))]

    assert pace.active_at(history, at(0, 9)) == 0
    assert pace.active_at(history, at(2)) == 2
    assert pace.active_at(history, at(4)) == 1


def test_weeks_are_iso_weeks_from_the_start_of_the_drive():
    history = joined("a", 0) + joined("b", 8) + joined("c", 9)

    weeks = pace.weeks(DRIVE, history, at(10))

    assert [w["week"] for w in weeks] == ["2027-W01", "2027-W02"]
    assert [w["became_active"] for w in weeks] == [1, 2]
    assert [w["active_at_end"] for w in weeks] == [1, 3]


def test_a_drive_gaining_fast_enough_is_on_track():
    history = [row for n in range(6) for row in joined(f"m{n}", n * 3)]

    forecast = pace.forecast(DRIVE, history, 6, at(20))

    assert forecast["per_week"] == round(6 / 20.5 * 7, 2)  # since the start
    assert forecast["on_track"] is True
    assert forecast["projected_at_deadline"] >= 10


def test_a_drive_gaining_too_slowly_is_not():
    history = joined("a", 0) + joined("b", 10)

    forecast = pace.forecast(DRIVE, history, 2, at(20))

    assert forecast["on_track"] is False
    assert forecast["needed_per_week"] > forecast["per_week"]


def test_only_the_last_28_days_make_the_pace():
    early = [row for n in range(8) for row in joined(f"m{n}", 0)]

    forecast = pace.forecast(DRIVE, early, 8, at(40))

    assert forecast["window_days"] == 28.0
    assert forecast["per_week"] == 0.0
    assert forecast["on_track"] is False


def test_a_target_already_reached_is_on_track():
    history = [row for n in range(10) for row in joined(f"m{n}", 0)]

    assert pace.forecast(DRIVE, history, 10, at(50))["on_track"] is True
