"""Places at events, the waiting list, and attendance.

Every change to an event's places first writes to the event's row (`lock`):
on PostgreSQL that holds the row lock until the transaction ends, on SQLite it
takes the database's write lock. So sign-ups to one event happen one after
another, each counting what the one before it committed, and an event never
has more people with a place than places."""

import logging
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from infra.outbox import record_event
from services.directory.exceptions import EventNotFound, EventNotOpen, NoPlace
from services.directory.models import Event, EventPlace, OutboxEvent
from services.directory.sharing import active_member

logger = logging.getLogger(__name__)


def lock(session: Session, event_id: str) -> Event:
    """The event, locked for the rest of the caller's transaction."""
    touched = session.execute(
        update(Event)
        .where(Event.id == event_id)
        .values(taken=Event.taken)
        .execution_options(synchronize_session=False)
    ).rowcount
    if not touched:
        raise EventNotFound(f"No event {event_id}.")
    return session.get(Event, event_id, populate_existing=True)


def sign_up(session: Session, event_id: str, member_id: str) -> EventPlace:
    """A place if one is free, else the end of the waiting list. Signing up
    again answers what the member already has."""
    now = datetime.now(UTC)
    with session.begin():
        event = lock(session, event_id)
        if event.status != "published" or event.starts_at <= now:
            raise EventNotOpen("This event is not taking sign-ups.")
        active_member(session, member_id)
        held = _held(session, event_id, member_id)
        if held is not None:
            return held
        status = "place" if event.taken < event.places else "waiting"
        held = EventPlace(
            event_id=event_id, member_id=member_id, status=status, signed_up_at=now
        )
        session.add(held)
        if status == "place":
            _give_place(session, event, held, now, from_waiting_list=False)
    logger.info("event.signed_up event=%s status=%s", event_id, status)
    return held


def cancel(session: Session, event_id: str, member_id: str) -> None:
    """A member gives up their place (or their spot on the waiting list); the
    first person waiting gets the place and is told."""
    now = datetime.now(UTC)
    with session.begin():
        event = lock(session, event_id)
        if event.status != "published" or event.ends_at <= now:
            raise EventNotOpen("This event is over or was cancelled.")
        release(session, event, member_id, "cancelled", now)
    logger.info("event.place_cancelled event=%s", event_id)


def release(
    session: Session, event: Event, member_id: str, reason: str, now: datetime
) -> None:
    """In the caller's transaction, with the event locked."""
    held = _held(session, event.id, member_id)
    if held is None:
        return
    session.delete(held)
    if held.status != "place":
        return
    event.taken -= 1
    record_event(
        session, OutboxEvent, "PlaceReleased", event.id,
        {"event_id": event.id, "member_id": member_id, "reason": reason,
         "released_at": now},
    )  # fmt: skip
    session.flush()
    fill_from_waiting_list(session, event, now)


def fill_from_waiting_list(session: Session, event: Event, now: datetime) -> None:
    """Give free places to those waiting longest (event locked by the caller)."""
    free = event.places - event.taken
    if free <= 0 or event.status != "published" or event.starts_at <= now:
        return
    first = session.scalars(
        select(EventPlace)
        .where(EventPlace.event_id == event.id, EventPlace.status == "waiting")
        .order_by(EventPlace.seq)
        .limit(free)
    ).all()
    for waiting in first:
        waiting.status = "place"
        _give_place(session, event, waiting, now, from_waiting_list=True)


def record_attendance(
    session: Session, event_id: str, member_id: str, attended: bool
) -> EventPlace:
    """The organiser marks whether a member with a place came, once the event
    has begun; `AttendanceRecorded` when the mark is new or different."""
    now = datetime.now(UTC)
    with session.begin():
        event = lock(session, event_id)
        held = _held(session, event_id, member_id)
        if event.status != "published" or event.starts_at > now:
            raise NoPlace("Attendance is marked once the event has begun.")
        if held is None or held.status != "place":
            raise NoPlace("Only members with a place can be marked as attending.")
        if held.attended is not attended:
            held.attended = attended
            record_event(
                session, OutboxEvent, "AttendanceRecorded", event.id,
                {"event_id": event.id, "member_id": member_id, "attended": attended,
                 "event_starts_at": event.starts_at, "recorded_at": now},
            )  # fmt: skip
    logger.info("event.attendance event=%s attended=%s", event_id, attended)
    return held


def member_left(session: Session, member_id: str, erase: bool) -> None:
    """In the caller's transaction: a member who left gives up their places at
    events still to come (the waiting list moves up); with `erase`, every trace
    of their sign-ups goes, past ones included."""
    now = datetime.now(UTC)
    theirs = (
        select(EventPlace.event_id)
        .where(EventPlace.member_id == member_id)
        .order_by(EventPlace.event_id)  # one order of locks: no deadlock
    )
    for event_id in session.scalars(theirs).all():
        event = lock(session, event_id)
        if event.ends_at > now:
            release(session, event, member_id, "left", now)
    if erase:
        session.execute(delete(EventPlace).where(EventPlace.member_id == member_id))


def signed_up(session: Session, event_id: str) -> list[str]:
    """Everyone with a place or waiting, in the order they signed up."""
    query = select(EventPlace.member_id).where(EventPlace.event_id == event_id)
    return list(session.scalars(query.order_by(EventPlace.seq)))


def held_by(session: Session, event_id: str, member_id: str) -> EventPlace | None:
    return _held(session, event_id, member_id)


def times(event: Event) -> dict[str, Any]:
    """What every event about an event says of it."""
    return {
        "event_id": event.id,
        "title_cy": event.title_cy,
        "title_en": event.title_en,
        "starts_at": event.starts_at,
        "ends_at": event.ends_at,
    }


def _held(session: Session, event_id: str, member_id: str) -> EventPlace | None:
    return session.scalar(
        select(EventPlace).where(
            EventPlace.event_id == event_id, EventPlace.member_id == member_id
        )
    )


def _give_place(
    session: Session,
    event: Event,
    held: EventPlace,
    now: datetime,
    from_waiting_list: bool,
) -> None:
    event.taken += 1
    data = {
        **times(event),
        "member_id": held.member_id,
        "from_waiting_list": from_waiting_list,
        "taken_at": now,
    }
    record_event(session, OutboxEvent, "PlaceTaken", event.id, data)
