"""How a drive is going, computed from the history of statuses (no database
here, so the arithmetic is tested on its own).

Pace is the net change in the number of active members over the last 28 days
(or since the drive started, if that is more recent), per day. Carried on to the
end of the deadline day (Europe/London), it gives the projected number of active
members; the drive is on track when that reaches the target (or it already has).
"""

from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from contracts import areas
from services.membership.schemas import LONDON

WINDOW = timedelta(days=28)
DAY = 86_400.0

History = Iterable[tuple[str, str, datetime]]  # (member_id, status, at), in order


def start_of(day: date) -> datetime:
    """Midnight at the start of `day` in Wales, in UTC."""
    return datetime.combine(day, time(), LONDON).astimezone(UTC)


def active_at(history: History, moment: datetime) -> int:
    """How many members were active at `moment`."""
    latest: dict[str, str] = {}
    for member_id, status, at in history:
        if at > moment:
            break
        latest[member_id] = status
    return sum(1 for status in latest.values() if status == "active")


def weeks(campaign, history: list, now: datetime) -> list[dict[str, Any]]:
    """Each ISO week of the drive so far: members who became active in it, and
    how many were active at its end."""
    last_day = min(now.astimezone(LONDON).date(), campaign.deadline)
    monday = campaign.starts_on - timedelta(days=campaign.starts_on.weekday())
    rows = []
    while monday <= last_day:
        begins, ends = start_of(monday), min(start_of(monday + timedelta(7)), now)
        year, week, _ = monday.isocalendar()
        rows.append(
            {
                "week": f"{year}-W{week:02d}",
                "starts_on": monday.isoformat(),
                "became_active": sum(
                    1 for _, s, at in history if s == "active" and begins <= at < ends
                ),
                "active_at_end": active_at(history, ends),
            }
        )
        monday += timedelta(7)
    return rows


def forecast(campaign, history: list, active_now: int, now: datetime) -> dict:
    start, end = (
        start_of(campaign.starts_on),
        start_of(campaign.deadline + timedelta(1)),
    )
    since = max(start, now - WINDOW)
    days = max((now - since).total_seconds() / DAY, 0.0)
    per_day = (active_now - active_at(history, since)) / days if days >= 1 else 0.0
    days_left = max((end - now).total_seconds() / DAY, 0.0)
    projected = active_now + per_day * days_left
    remaining = max(campaign.target - active_now, 0)
    return {
        "window_days": round(days, 1),
        "per_week": round(per_day * 7, 2),
        "days_left": round(days_left, 1),
        "needed_per_week": round(remaining / max(days_left / 7, 1 / 7), 2),
        "projected_at_deadline": int(projected),
        "on_track": remaining == 0 or projected >= campaign.target,
    }


def report(
    campaign, history: list, active_by_area: dict[str, int], now: datetime
) -> dict[str, Any]:
    active_now = sum(active_by_area.values())
    return {
        "active_now": active_now,
        "target": campaign.target,
        "remaining": max(campaign.target - active_now, 0),
        "by_area": [
            {**area.as_dict(), "active": active_by_area.get(area.code, 0)}
            for area in areas.all_areas()
        ],
        "by_week": weeks(campaign, history, now),
        "pace": forecast(campaign, history, active_now, now),
    }
