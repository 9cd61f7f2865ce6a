"""Helpers for tests of what's on: events proposed through the schema as the
gateway would send them, and approved."""

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session

from infra.validation import parse
from services.directory import whatson
from services.directory.models import Event
from services.directory.schemas import EventSchema


def event_form(**fields: Any) -> dict[str, Any]:
    starts = datetime.now(UTC) + timedelta(days=10)
    form = {
        "title_cy": "Gweithdy cyd-gynhyrchu",
        "title_en": "Co-production workshop",
        "description_cy": "Dysgu gyda'n gilydd.",
        "kind": "training",
        "starts_at": starts.isoformat(),
        "ends_at": (starts + timedelta(hours=2)).isoformat(),
        "area": "Abertawe",
        "place_name": "Canolfan Treforys",
        "places": 2,
        "language": "both",
        "audience": "Unrhyw un / Anyone",
        "accessibility": "Mynediad heb risiau / Step-free",
        "principles": ["strengths"],
    }
    form.update(fields)
    return form


def proposed(session: Session, organiser: str, **fields: Any) -> Event:
    form = parse(EventSchema(), event_form(**fields))
    return whatson.propose(session, organiser, form)


def published(session: Session, organiser: str, **fields: Any) -> Event:
    return whatson.approve(session, proposed(session, organiser, **fields).id)


def move_start(session: Session, event_id: str, starts_at: datetime) -> None:
    """Put an event's start where a test needs it, past or near."""
    with session.begin():
        session.execute(
            update(Event)
            .where(Event.id == event_id)
            .values(starts_at=starts_at, ends_at=starts_at + timedelta(hours=2))
        )
