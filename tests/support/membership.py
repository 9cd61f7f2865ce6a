"""Helpers for tests of the membership service: a valid joining form, a migrated
database, reading what the service wrote to its outbox, and following a link
from an e-mail as a browser does."""

import copy
import re
from typing import Any

import requests
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session, sessionmaker

from infra.migrate import upgrade
from services.membership.models import OutboxEvent

MIGRATIONS = "services/membership/migrations"

FORM: dict[str, Any] = {
    "kind": "individual",
    "name": "Gwenllïan Ŵyn-Prydderch",
    "email": "  Gwen.Wyn@Example.Cymru ",
    "language": "cy",
    "area": "rhondda cynon taff",
    "postcode": "cf37 1db",
    "sector": "third_sector",
    "role": "Gweithiwr ieuenctid",
    "about_life": "Rwy'n byw yn y cwm gyda fy nheulu.",
    "about_work": "Rwy'n rhedeg clwb ieuenctid.",
    "about_community": "Mae'r gymuned yn glos ac yn falch.",
    "interests": ["ieuenctid", "chwaraeon"],
    "skills": ["hwyluso"],
    "principles_version": "1",
    "promise": {
        "text": "Byddaf yn gofyn i'r bobl ifanc beth sy'n bwysig cyn cynllunio.",
        "focus": "what_matters",
        "by_date": None,
    },
    "consents": {
        "privacy": True,
        "listed": True,
        "newsletter": True,
        "share_progress": False,
        "partner_contact": False,
    },
}


def form(**overrides: Any) -> dict[str, Any]:
    """A valid joining form with some fields replaced."""
    made = copy.deepcopy(FORM)
    made.update(overrides)
    return made


def migrated_sessions(url: str) -> sessionmaker:
    engine = create_engine(url)
    upgrade(engine, MIGRATIONS)
    return sessionmaker(engine, expire_on_commit=False)


def events(session: Session, event_type: str | None = None) -> list[dict]:
    """The data of every event in the outbox, oldest first, optionally of a type."""
    query = select(OutboxEvent).order_by(OutboxEvent.seq)
    if event_type:
        query = query.where(OutboxEvent.event_type == event_type)
    with session.begin():
        return [row.envelope["data"] for row in session.scalars(query)]


def event_types(session: Session) -> list[str]:
    with session.begin():
        return list(
            session.scalars(select(OutboxEvent.event_type).order_by(OutboxEvent.seq))
        )


def last_token(session: Session, purpose: str = "confirm") -> str:
    links = [e for e in events(session, "LinkRequested") if e["purpose"] == purpose]
    return links[-1]["token"]


def envelopes(session: Session) -> list[dict]:
    with session.begin():
        rows = session.scalars(select(OutboxEvent).order_by(OutboxEvent.seq))
        return [row.envelope for row in rows]


def invalid_events(session: Session) -> list[tuple[str, dict]]:
    """Events in the outbox whose data does not load through its contract."""
    from marshmallow import ValidationError

    from contracts.events import lookup

    wrong = []
    for envelope in envelopes(session):
        try:
            lookup(envelope["type"]).schema().load(envelope["data"])
        except ValidationError as error:
            wrong.append((envelope["type"], error.messages))
    return wrong


def follow_link(base_url: str, path: str) -> requests.Response:
    """Open a confirm or sign-in link and press its button, as a browser would
    (with the page's cookie and form token)."""
    browser = requests.Session()
    page = browser.get(f"{base_url}{path}", timeout=30)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    return browser.post(f"{base_url}{path}", data={"csrf_token": token}, timeout=30)
