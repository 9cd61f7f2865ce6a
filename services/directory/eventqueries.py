"""The read side of what's on: finding public events, with counts by principal
area for the map; one event as a given member sees it; a member's own events;
the organiser's list of who signed up; the proposals waiting for approval.

Days are days in Wales: `from` 2027-03-28 means from midnight by the clock there.
Text is matched word by word, folded (case, accents) as the directory's search
does; an event in Welsh and English is found by either."""

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from contracts import areas
from contracts.text import fold
from services.directory import eventviews, places, whatson
from services.directory.exceptions import EventNotFound
from services.directory.models import Event, EventPlace, Member
from services.directory.views import page

LONDON = ZoneInfo("Europe/London")


def find(session: Session, wanted: dict[str, Any], today: date) -> dict[str, Any]:
    """Public events (not ended) matching the filters, soonest first, with
    `by_area`: how many match in each principal area (zeros too) and online."""
    with session.begin():
        rows = session.scalars(_filtered(wanted, today)).all()
    rows = [row for row in rows if _matches(row, wanted["q"])]
    start = (wanted["page"] - 1) * wanted["per_page"]
    shown = [eventviews.event(row) for row in rows[start : start + wanted["per_page"]]]
    return page(
        shown, len(rows), wanted["page"], wanted["per_page"], by_area=by_area(rows)
    )


def by_area(rows: list[Event]) -> dict[str, Any]:
    counts = {area.code: 0 for area in areas.all_areas()}
    online = 0
    for row in rows:
        if row.area:
            counts[row.area] += 1
        else:
            online += 1
    listed = [
        {"area": areas.by_code(code).as_dict(), "events": count}
        for code, count in counts.items()
    ]
    return {"areas": listed, "online": online, "total": len(rows)}


def public_events(session: Session, area: str | None) -> list[Event]:
    """Every public event for a feed, cancelled ones included (so calendars
    that have them can show them cancelled)."""
    query = select(Event).where(Event.status.in_(("published", "cancelled")))
    if area:
        query = query.where(Event.area == area)
    with session.begin():
        return list(session.scalars(query.order_by(Event.starts_at, Event.id)))


def one(session: Session, event_id: str, viewer: str | None) -> dict[str, Any]:
    """An event as `viewer` sees it: public events to anyone; a proposal only
    to whoever may act for it (the gateway checks coordinators)."""
    with session.begin():
        row = whatson.get(session, event_id)
        held = places.held_by(session, event_id, viewer) if viewer else None
        organising = viewer in (row.organiser_id, row.proposed_by)
        if row.status not in ("published", "cancelled") and not organising:
            raise EventNotFound(f"No event {event_id}.")
        shown = eventviews.event(row, show_link=organising or _has_place(held))
        return {**shown, "mine": eventviews.sign_up(held)}


def any_one(session: Session, event_id: str) -> dict[str, Any]:
    """For coordinators: any event, in any state, with its link."""
    with session.begin():
        return eventviews.event(whatson.get(session, event_id), show_link=True)


def mine(session: Session, member_id: str) -> list[dict[str, Any]]:
    """The events a member signed up to, soonest first."""
    with session.begin():
        found = session.execute(
            select(Event, EventPlace)
            .join(EventPlace, EventPlace.event_id == Event.id)
            .where(EventPlace.member_id == member_id)
            .order_by(Event.starts_at, Event.id)
        ).all()
        return [eventviews.mine(row, held) for row, held in found]


def organised(session: Session, member_id: str) -> list[dict[str, Any]]:
    with session.begin():
        found = session.scalars(
            select(Event)
            .where(or_(Event.organiser_id == member_id, Event.proposed_by == member_id))
            .order_by(Event.starts_at, Event.id)
        ).all()
        return [eventviews.event(row, show_link=True) for row in found]


def attendees(session: Session, event_id: str) -> list[dict[str, Any]]:
    """Who signed up, places first then the waiting list: names only."""
    with session.begin():
        whatson.get(session, event_id)
        found = session.execute(
            select(EventPlace, Member)
            .outerjoin(Member, Member.member_id == EventPlace.member_id)
            .where(EventPlace.event_id == event_id)
            .order_by(EventPlace.status, EventPlace.seq)
        ).all()
        return [eventviews.attendee(held, member) for held, member in found]


def proposals(session: Session) -> list[dict[str, Any]]:
    with session.begin():
        found = session.scalars(
            select(Event).where(Event.status == "proposed").order_by(Event.created_at)
        ).all()
        return [eventviews.event(row, show_link=True) for row in found]


def _filtered(wanted: dict[str, Any], today: date):
    since = _midnight(wanted.get("from_") or today)
    query = select(Event).where(Event.status == "published", Event.ends_at > since)
    if wanted.get("to"):
        query = query.where(Event.starts_at < _midnight(wanted["to"] + timedelta(1)))
    if wanted.get("kind"):
        query = query.where(Event.kind == wanted["kind"])
    if wanted.get("area"):
        query = query.where(Event.area == wanted["area"])
    if wanted.get("language"):
        query = query.where(Event.language.in_((wanted["language"], "both")))
    return query.order_by(Event.starts_at, Event.id)


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=LONDON)


def _matches(row: Event, q: str) -> bool:
    words = fold(q).split()
    if not words:
        return True
    place = areas.by_code(row.area) if row.area else None
    text = " ".join(
        part or ""
        for part in (
            row.title_cy, row.title_en, row.description_cy, row.description_en,
            row.place_name, row.audience, place and place.name_cy,
            place and place.name_en,
        )
    )  # fmt: skip
    found = fold(text)
    return all(word in found for word in words)


def _has_place(held: EventPlace | None) -> bool:
    return held is not None and held.status == "place"
