"""Helpers for tests of what's on: events proposed through the schema as the
gateway would send them, and approved; and requests to a running gateway."""

from datetime import UTC, datetime, timedelta
from typing import Any

import requests
from sqlalchemy import update
from sqlalchemy.orm import Session

from infra.validation import parse
from services.directory import whatson
from services.directory.models import Event
from services.directory.schemas import EventSchema
from tests.support.sessions import signed_in

API = "/api/v1/directory"
COORDINATOR = signed_in("cydlynydd-1", role="coordinator")


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


def call(web, method: str, path: str, who=None, body=None, **params):
    url = f"{web}{API}{path}"
    json_body = body if body is not None else ({} if method != "GET" else None)
    return requests.request(
        method, url, json=json_body, params=params, cookies=who, timeout=15
    )


def an_event(**fields) -> dict:
    starts = datetime.now(UTC) + timedelta(days=7)
    return {
        "title_cy": "Cyfarfod rhwydwaith",
        "title_en": "Network meet-up",
        "kind": "online",
        "starts_at": starts.isoformat(),
        "ends_at": (starts + timedelta(hours=1)).isoformat(),
        "online": True,
        "online_link": "https://meet.example.cymru/rhwydwaith",
        "places": 1,
        "language": "both",
        **fields,
    }
