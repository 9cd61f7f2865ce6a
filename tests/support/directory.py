"""Helpers for tests of the directory's domain on a real database: a migrated
session, event envelopes as the broker would deliver them, and the outbox."""

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from infra.db import make_engine
from infra.migrate import upgrade
from services.directory import listings, queries
from services.directory.models import OutboxEvent
from services.directory.searchindex import SearchIndex
from tests.support.members import snapshot

MIGRATIONS = "services/directory/migrations"


@contextmanager
def directory_session(url: str) -> Iterator[Session]:
    """A session on a freshly migrated directory database at `url`."""
    engine = make_engine(url)
    upgrade(engine, MIGRATIONS)
    factory = sessionmaker(engine, expire_on_commit=False)
    with factory() as session:
        yield session
    engine.dispose()


def envelope(event_type: str, data: dict) -> dict:
    return {"id": str(uuid.uuid4()), "type": event_type, "data": data}


def deliver(session: Session, event_type: str, data: dict, envelope_=None):
    """Hand one membership event to the directory, as its handler would."""
    sent = envelope_ or envelope(event_type, data)
    if event_type == "MemberLeft":
        return listings.on_member_left(session, sent, data)
    return listings.on_member_snapshot(session, sent, data)


def member(name: str, **overrides) -> dict:
    """A verified (active) member who chose to be listed, unless overridden."""
    return snapshot(name, **overrides)


def left(data: dict, erase: bool = True, version: int | None = None) -> dict:
    return {
        "member_id": data["member_id"],
        "version": version or data["version"] + 1,
        "reason": "left",
        "erase": erase,
        "stories": "delete",
        "left_at": datetime.now(UTC),
    }


def events(session: Session, event_type: str | None = None) -> list[dict]:
    """The envelopes in the outbox, oldest first (optionally of one type)."""
    query = select(OutboxEvent).order_by(OutboxEvent.seq)
    if event_type:
        query = query.where(OutboxEvent.event_type == event_type)
    with session.begin():
        return [row.envelope for row in session.scalars(query)]


def find_listings(session: Session, parsed: dict) -> dict:
    """`queries.find_listings` with the search index this session's tests share,
    as one service process would."""
    index = session.info.setdefault("search_index", SearchIndex())
    return queries.find_listings(session, index, parsed)
