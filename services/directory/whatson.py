"""Events and training sessions: proposed by members, approved by coordinators,
changed or cancelled by their organisers.

An event is public once a coordinator approves it (`EventPublished`). A change
to a public event is `EventChanged` and a cancellation `EventCancelled`; both
name everyone signed up, so that notifications can tell them. Places and the
waiting list are in `places.py`."""

import logging
import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from infra.outbox import record_event
from services.directory import places
from services.directory.exceptions import (
    BadEvent,
    EventNotChangeable,
    EventNotFound,
)
from services.directory.models import Event, EventPlace, OutboxEvent
from services.directory.schemas import REQUIRED_TO_PROPOSE
from services.directory.sharing import active_member

logger = logging.getLogger(__name__)

EDITABLE = (
    "title_cy", "title_en", "description_cy", "description_en", "kind",
    "starts_at", "ends_at", "area", "place_name", "online", "online_link",
    "places", "audience", "accessibility", "language", "principles",
)  # fmt: skip


def propose(session: Session, member_id: str, form: dict[str, Any]) -> Event:
    """An active member proposes an event (for themselves, or for an
    organisation in the directory); it waits for a coordinator."""
    _require(form)
    now = datetime.now(UTC)
    with session.begin():
        active_member(session, member_id)
        organiser = form.get("organiser_id") or member_id
        _may_organise(session, member_id, organiser)
        event = Event(
            id=str(uuid.uuid4()),
            organiser_id=organiser,
            proposed_by=member_id,
            status="proposed",
            created_at=now,
            updated_at=now,
            taken=0,
            sequence=0,
            online=False,
            principles=[],
        )
        _apply(event, form)
        _check(event, now)
        session.add(event)
    logger.info("event.proposed event=%s", event.id)
    return event


def get(session: Session, event_id: str, lock: bool = False) -> Event:
    query = select(Event).where(Event.id == event_id)
    found = session.scalar(query.with_for_update() if lock else query)
    if found is None:
        raise EventNotFound(f"No event {event_id}.")
    return found


def public(session: Session, event_id: str) -> Event:
    found = get(session, event_id)
    if found.status not in ("published", "cancelled"):
        raise EventNotFound(f"No event {event_id}.")
    return found


def owners(session: Session, event_id: str) -> dict[str, str]:
    """Who may act for an event: its organiser and whoever proposed it."""
    with session.begin():
        found = get(session, event_id)
        return {"organiser_id": found.organiser_id, "proposed_by": found.proposed_by}


def approve(session: Session, event_id: str) -> Event:
    now = datetime.now(UTC)
    with session.begin():
        event = get(session, event_id, lock=True)
        if event.status != "proposed":
            raise EventNotChangeable("Only a proposed event can be approved.")
        event.status, event.published_at, event.updated_at = "published", now, now
        data = _published(event)
        record_event(session, OutboxEvent, "EventPublished", event.id, data)
    logger.info("event.published event=%s", event.id)
    return event


def reject(session: Session, event_id: str) -> Event:
    with session.begin():
        event = get(session, event_id, lock=True)
        if event.status != "proposed":
            raise EventNotChangeable("Only a proposed event can be turned down.")
        event.status, event.updated_at = "rejected", datetime.now(UTC)
    logger.info("event.rejected event=%s", event.id)
    return event


def change(session: Session, event_id: str, changes: dict[str, Any]) -> Event:
    """The organiser changes an event; a public one announces `EventChanged`,
    and more places let the first on the waiting list in."""
    now = datetime.now(UTC)
    with session.begin():
        event = places.lock(session, event_id)
        if event.status not in ("proposed", "published"):
            raise EventNotChangeable("A cancelled or turned-down event cannot change.")
        changed = _apply(event, changes)
        _check(event, now)
        if not changed:
            return event
        event.updated_at, event.sequence = now, event.sequence + 1
        if event.status == "published":
            places.fill_from_waiting_list(session, event, now)
            _announce_change(session, event, changed, now)
    logger.info("event.changed event=%s fields=%s", event.id, ",".join(changed))
    return event


def cancel(session: Session, event_id: str, reason: str) -> Event:
    now = datetime.now(UTC)
    with session.begin():
        event = places.lock(session, event_id)
        cancel_locked(session, event, reason, now)
    return event


def cancel_locked(session: Session, event: Event, reason: str, now: datetime) -> None:
    """In the caller's transaction, with the event locked."""
    if event.status not in ("proposed", "published"):
        raise EventNotChangeable("This event is cancelled or was turned down.")
    was_public, event.status = event.status == "published", "cancelled"
    event.cancelled_at = event.updated_at = now
    event.sequence += 1
    if was_public:
        data = {
            **places.times(event),
            "reason": reason or "cancelled",
            "member_ids": places.signed_up(session, event.id),
            "cancelled_at": now,
        }
        record_event(session, OutboxEvent, "EventCancelled", event.id, data)
    logger.info("event.cancelled event=%s", event.id)


def organiser_left(session: Session, member_id: str, erase: bool) -> None:
    """In the caller's transaction: cancel what a member who left organises
    (telling those signed up), and with `erase` delete their events."""
    now = datetime.now(UTC)
    theirs = (
        select(Event.id)
        .where((Event.organiser_id == member_id) | (Event.proposed_by == member_id))
        .order_by(Event.id)  # the same order of locks as places.member_left
    )
    for event_id in session.scalars(theirs).all():
        event = places.lock(session, event_id)
        if event.status in ("proposed", "published") and event.ends_at > now:
            cancel_locked(session, event, "organiser_left", now)
        if erase:
            session.execute(delete(EventPlace).where(EventPlace.event_id == event_id))
            session.delete(event)


def _may_organise(session: Session, member_id: str, organiser_id: str) -> None:
    """A member organises for themselves, or for an active organisation in the
    directory that names them as a champion."""
    organiser = active_member(session, organiser_id)
    if organiser_id == member_id:
        return
    if organiser.kind != "organisation" or member_id not in (organiser.champions or []):
        raise BadEvent(
            {"organiser_id": ["You can organise for an organisation you champion."]}
        )


def _require(form: dict[str, Any]) -> None:
    missing = {f: ["Missing data for required field."] for f in REQUIRED_TO_PROPOSE}
    missing = {f: m for f, m in missing.items() if form.get(f) is None}
    if missing:
        raise BadEvent(missing)


def _apply(event: Event, changes: dict[str, Any]) -> list[str]:
    changed = []
    for field in EDITABLE:
        if field in changes and getattr(event, field) != changes[field]:
            setattr(event, field, changes[field])
            changed.append(field)
    if event.kind == "online":
        event.online = True
    return changed


def _check(event: Event, now: datetime) -> None:
    errors: dict[str, list[str]] = {}
    if not (event.title_cy or event.title_en):
        errors["title_en"] = ["Give a title in Welsh, English or both."]
    if event.ends_at <= event.starts_at:
        errors["ends_at"] = ["The end must come after the start."]
    if event.status == "proposed" and event.starts_at <= now:
        errors["starts_at"] = ["Give a start in the future."]
    if event.online and not event.online_link:
        errors["online_link"] = ["An online event needs its link."]
    if not event.online and not event.area:
        errors["area"] = ["Say which principal area it is in, or that it is online."]
    if event.places < event.taken:
        errors["places"] = [f"{event.taken} places are taken already."]
    if errors:
        raise BadEvent(errors)


def _announce_change(
    session: Session, event: Event, changed: list[str], now: datetime
) -> None:
    data = {
        **places.times(event),
        "changed": changed,
        "area": event.area,
        "online": event.online,
        "member_ids": places.signed_up(session, event.id),
        "changed_at": now,
    }
    record_event(session, OutboxEvent, "EventChanged", event.id, data)


def _published(event: Event) -> dict[str, Any]:
    return {
        **places.times(event),
        "organiser_id": event.organiser_id,
        "kind": event.kind,
        "area": event.area,
        "online": event.online,
        "language": event.language,
        "principles": event.principles,
        "places": event.places,
        "published_at": event.published_at,
    }
