"""How pages show times: in Europe/London, in the reader's language."""

from datetime import datetime
from zoneinfo import ZoneInfo

from babel.dates import format_datetime

LONDON = ZoneInfo("Europe/London")


def when(value: str | datetime | None, language: str = "cy") -> str:
    """`2026-12-04T02:50:00+00:00` as `4 Rhag 2026, 02:50` (or `4 Dec 2026, 02:50`)."""
    if not value:
        return ""
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return format_datetime(moment.astimezone(LONDON), "d MMM y, HH:mm", locale=language)
