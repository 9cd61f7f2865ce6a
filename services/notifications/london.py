"""Wall-clock time in Wales: moments are stored in UTC and turned into Europe/London
time only to schedule by the clock on the wall or to show a date to a person."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")

MONTHS = {
    "cy": (
        "Ionawr Chwefror Mawrth Ebrill Mai Mehefin Gorffennaf Awst Medi Hydref "
        "Tachwedd Rhagfyr"
    ).split(),
    "en": (
        "January February March April May June July August September October "
        "November December"
    ).split(),
}


def at(day: date, wall: time) -> datetime:
    """The UTC moment the clocks in Wales show `wall` on `day`. A time the clocks
    skip in March happens an hour later by the clock (01:30 is 02:30 BST); a time
    they show twice in October is its first showing (01:30 BST)."""
    local = datetime.combine(day, wall, tzinfo=LONDON)  # fold=0: the first showing
    return local.astimezone(UTC)


def today(now: datetime) -> date:
    """The date on the wall in Wales at the moment `now`."""
    return now.astimezone(LONDON).date()


def days_later(moment: datetime, days: int, wall: time) -> datetime:
    """`wall` o'clock in Wales, `days` calendar days after the day of `moment`."""
    return at(today(moment) + timedelta(days=days), wall)


def _parse(value: date | datetime | str) -> date | datetime:
    if isinstance(value, str):
        return (
            datetime.fromisoformat(value) if "T" in value else date.fromisoformat(value)
        )
    return value


def format_day(value: date | datetime | str, language: str) -> str:
    """`3 Rhagfyr 2026` / `3 December 2026`; a moment is shown as its day in Wales."""
    value = _parse(value)
    if isinstance(value, datetime):
        value = value.astimezone(LONDON).date()
    return f"{value.day} {MONTHS[language][value.month - 1]} {value.year}"


def format_moment(value: datetime | str, language: str) -> str:
    """`3 Rhagfyr 2026 am 21:40` / `3 December 2026 at 21:40`, Wales time."""
    moment = _parse(value)
    assert isinstance(moment, datetime)
    local = moment.astimezone(LONDON)
    joiner = "am" if language == "cy" else "at"
    return f"{format_day(local.date(), language)} {joiner} {local:%H:%M}"
