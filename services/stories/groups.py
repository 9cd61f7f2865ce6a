"""Which stories a group holds: the viewer's audience, then every filter, as
conditions on `story_facts` (one row per story, so no join is needed)."""

from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, and_, func, or_, select, true, tuple_

from services.stories.framework import layout
from services.stories.models import story_facts

LONDON = ZoneInfo("Europe/London")
F = story_facts.c


def condition(group: dict[str, Any], viewer: dict[str, Any]) -> ColumnElement:
    """One WHERE condition on `story_facts` for the stories in `group` that
    `viewer` may count."""
    return and_(true(), _audience(viewer), *_filters(group))


def same_members(first: ColumnElement, second: ColumnElement) -> ColumnElement:
    """`first`, keeping only tellers who also have a story matching `second`."""
    tellers = select(F.member_id).where(second, F.member_id.is_not(None))
    return and_(first, F.member_id.in_(tellers))


def _audience(viewer: dict[str, Any]) -> ColumnElement:
    audience, member_id = viewer["audience"], viewer.get("member_id")
    if audience == "coordinators":
        return true()
    shared = ("members", "public") if audience == "members" else ("public",)
    allowed = F.sharing.in_(shared)
    return or_(allowed, F.member_id == member_id) if member_id else allowed


def _filters(group: dict[str, Any]) -> list[ColumnElement]:
    found = []
    if group.get("area"):
        found.append(F.area == group["area"])
    if group.get("kind"):
        found.append(F.member_kind == group["kind"])
    if group.get("occasion"):
        found.append(F.occasion == group["occasion"])
    if group.get("round"):
        found.append(_round(group["round"]))
    if group.get("since"):
        found.append(F.submitted_at >= _london_midnight(group["since"]))
    if group.get("until"):
        found.append(F.submitted_at < _london_midnight(group["until"], 1))
    for question, options in (group.get("choices") or {}).items():
        found.append(_chose(question, options))
    return found


def _chose(question: str, options: list[str]) -> ColumnElement:
    slot = layout()[question]
    column = story_facts.c[slot.column]
    codes = [slot.codes[option] for option in options]
    if slot.column.startswith("m"):
        mask = sum(1 << code for code in codes)
        return and_(column > 0, column.op("&")(mask) != 0)
    return column.in_(codes)


def _round(value: str) -> ColumnElement:
    if value != "latest":
        return F.round == int(value)
    # Each teller's newest round, found once for everyone (a grouped subquery
    # the database can hash) rather than once for every story it looks at.
    later = story_facts.alias("later")
    newest = (
        select(later.c.member_id, func.max(later.c.round))
        .where(later.c.occasion == "feedback")
        .group_by(later.c.member_id)
    )
    return and_(F.occasion == "feedback", tuple_(F.member_id, F.round).in_(newest))


def _london_midnight(day, days_after: int = 0) -> datetime:
    moment = datetime.combine(day + timedelta(days=days_after), time(), LONDON)
    return moment.astimezone(ZoneInfo("UTC"))
