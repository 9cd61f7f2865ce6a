"""Reminders a day before an event, to each member with a place.

The timer finds places at public events starting within the next day. Each
reminder is claimed by inserting its row in `event_reminders` (key: event,
member and start time) in the same transaction as the `EventReminderDue` it
puts in the outbox: of several copies ticking at once, only the insert that
wins sends, and a restart sends nothing twice. An event moved to a new time
is a new key, so its people are reminded of the new time. Notifications turns
the event into an e-mail in each member's own language."""

import logging
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from infra.outbox import record_event
from services.directory import places
from services.directory.models import Event, EventPlace, EventReminder, OutboxEvent

logger = logging.getLogger(__name__)

INSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}
AHEAD = timedelta(days=1)
BATCH = 200


def send_due(session: Session, now: datetime) -> int:
    """Send the reminders due by `now`; how many this copy sent."""
    with session.begin():
        due = session.execute(
            select(Event.id, EventPlace.member_id, Event.starts_at)
            .join(EventPlace, EventPlace.event_id == Event.id)
            .where(
                Event.status == "published",
                Event.starts_at > now,
                Event.starts_at <= now + AHEAD,
                EventPlace.status == "place",
            )
            .order_by(Event.starts_at, EventPlace.seq)
        ).all()
        unsent = [row for row in due if not _sent(session, *row)]
    return sum(_send_one(session, *row, now) for row in unsent[:BATCH])


def key(event_id: str, member_id: str, starts_at: datetime) -> str:
    return f"{event_id}:{member_id}:{int(starts_at.timestamp())}"


def _sent(session: Session, event_id: str, member_id: str, starts_at) -> bool:
    return session.get(EventReminder, key(event_id, member_id, starts_at)) is not None


def _claim(session: Session, event_id: str, member_id: str, starts_at, now) -> bool:
    """Insert the reminder's row unless it is there; True if this insert won."""
    insert = INSERTS[session.get_bind().dialect.name](EventReminder).values(
        key=key(event_id, member_id, starts_at),
        event_id=event_id,
        member_id=member_id,
        sent_at=now,
    )
    done = session.execute(insert.on_conflict_do_nothing(index_elements=["key"]))
    return done.rowcount == 1


def _still_due(session: Session, event, member_id: str, starts_at) -> bool:
    """The place may have been given up, or the event moved, since the search."""
    held = places.held_by(session, event.id, member_id)
    return (
        event.status == "published"
        and event.starts_at == starts_at
        and held is not None
        and held.status == "place"
    )


def _send_one(
    session: Session, event_id: str, member_id: str, starts_at: datetime, now
) -> bool:
    with session.begin():
        event = session.get(Event, event_id)
        if not _still_due(session, event, member_id, starts_at):
            return False
        claimed = _claim(session, event_id, member_id, starts_at, now)
        if not claimed:
            return False
        data = {
            **places.times(event),
            "member_id": member_id,
            "online": event.online,
            "place_name": event.place_name,
            "area": event.area,
        }
        record_event(session, OutboxEvent, "EventReminderDue", member_id, data)
    logger.info("event.reminder_due event=%s", event_id)
    return True
