"""Member events as the membership service writes them: a join (pending) and
its confirmation (active), each a snapshot in the contract's shape, written
into membership's own outbox in one transaction per batch with the outbox's
own `record_event`. The relay of the running membership service publishes
them from there, as it would after real joins."""

import uuid
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from bench.people import Person
from infra.outbox import record_event
from services.membership.models import OutboxEvent


def snapshot(person: Person, member_id: str, status: str, version: int) -> dict:
    now = datetime.now(UTC)
    return {
        "member_id": member_id,
        "version": version,
        "status": status,
        "kind": person.kind,
        "name": person.name,
        "language": person.language,
        "area": person.area,
        "sector": None,
        "role": None,
        "interests": [],
        "skills": [],
        "champions": [],
        "consents": {
            "privacy": True,
            "listed": True,
            "newsletter": False,
            "share_progress": False,
            "partner_contact": False,
        },
        "joined_at": now,
        "verified_at": now if status == "active" else None,
        "updated_at": now,
    }


def contact(person: Person, member_id: str) -> dict:
    return {
        "member_id": member_id,
        "version": 1,
        "email": f"{member_id[:13]}@bench.example.cymru",
        "name": person.name,
        "language": person.language,
        "newsletter": False,
    }


EVENTS_PER_MEMBER = 3


def record_joins(session: Session, people: Iterable[Person]) -> list[dict[str, Any]]:
    """For each person, in the open transaction: `MemberJoined` and
    `ContactDetailsChanged` (the address, which notifications needs for the
    welcome), then `MemberVerified`. Returns the MemberVerified envelopes."""
    verified = []
    for person in people:
        member_id = str(uuid.uuid4())
        pending = snapshot(person, member_id, "pending", 1)
        record_event(session, OutboxEvent, "MemberJoined", member_id, pending)
        record_event(
            session,
            OutboxEvent,
            "ContactDetailsChanged",
            member_id,
            contact(person, member_id),
        )
        verified.append(
            record_event(
                session,
                OutboxEvent,
                "MemberVerified",
                member_id,
                snapshot(person, member_id, "active", 2),
            )
        )
    return verified
