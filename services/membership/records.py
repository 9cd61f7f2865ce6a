"""How a member's changes are written down: the version that goes up with each
change, the history of statuses and consents, and the events that announce them
(in the caller's transaction, through the outbox)."""

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from infra.outbox import record_event
from services.membership.models import (
    Champion,
    ConsentChange,
    Member,
    OutboxEvent,
    StatusChange,
)


def announce(session: Session, event_type: str, subject: str, data: dict) -> None:
    record_event(session, OutboxEvent, event_type, subject, data)


def changed(member: Member, now: datetime) -> None:
    member.version += 1
    member.updated_at = now


def enter_status(session: Session, member: Member, status: str, now: datetime):
    member.status = status
    session.add(StatusChange(member_id=member.id, status=status, at=now))


def record_consents(
    session: Session, member_id: str, consents: dict[str, bool], now: datetime
) -> None:
    for consent, given in consents.items():
        session.add(
            ConsentChange(member_id=member_id, consent=consent, given=given, at=now)
        )


def champion_ids(session: Session, member: Member) -> list[str]:
    """The confirmed members an organisation named as its champions."""
    if member.kind != "organisation":
        return []
    query = (
        select(Champion.member_id)
        .join(Member, Member.id == Champion.member_id)
        .where(Champion.organisation_id == member.id)
        .where(Member.status.in_(("active", "lapsed")))
        .order_by(Champion.id)
    )
    return list(session.scalars(query))


def snapshot(session: Session, member: Member) -> dict[str, Any]:
    """The member as `MemberJoined` / `MemberVerified` / `MemberUpdated` tell it."""
    return {
        "member_id": member.id,
        "version": member.version,
        "status": member.status,
        "kind": member.kind,
        "name": member.name,
        "language": member.language,
        "area": member.area,
        "sector": member.sector,
        "role": member.role,
        "interests": member.interests,
        "skills": member.skills,
        "champions": champion_ids(session, member),
        "consents": member.consents,
        "principles_version": member.principles_version,
        "joined_at": member.joined_at,
        "verified_at": member.verified_at,
        "updated_at": member.updated_at,
    }


def contact(member: Member) -> dict[str, Any]:
    return {
        "member_id": member.id,
        "version": member.version,
        "email": member.email,
        "name": member.name,
        "language": member.language,
        "newsletter": member.consents["newsletter"],
    }


def announce_update(
    session: Session, member: Member, fields: list[str], contact_too: bool = False
) -> None:
    data = {**snapshot(session, member), "changed": fields}
    announce(session, "MemberUpdated", member.id, data)
    if contact_too:
        announce(session, "ContactDetailsChanged", member.id, contact(member))
