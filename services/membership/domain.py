"""The rules of joining and belonging."""

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from infra.outbox import record_event
from services.membership.exceptions import EmailInUse, MemberNotFound
from services.membership.models import Member, OutboxEvent, Promise


def email_key(email: str) -> str:
    return email.strip().casefold()


def join(session: Session, form: dict[str, Any]) -> Member:
    try:
        with session.begin():
            _refuse_known_email(session, form["email"])
            member = _new_member(form)
            session.add(member)
            session.add(_first_promise(member, form["promise"]))
            session.flush()
            record_event(
                session, OutboxEvent, "MemberJoined", member.id, _snapshot(member)
            )
            record_event(
                session,
                OutboxEvent,
                "ContactDetailsChanged",
                member.id,
                _contact(member),
            )
    except IntegrityError as error:
        raise EmailInUse("That e-mail address is already in use.") from error
    return member


def get_member(session: Session, member_id: str) -> Member:
    member = session.get(Member, member_id)
    if member is None:
        raise MemberNotFound(f"No member {member_id}.")
    return member


def _refuse_known_email(session: Session, email: str) -> None:
    known = select(Member.id).where(Member.email_key == email_key(email))
    if session.scalar(known):
        raise EmailInUse("That e-mail address is already in use.")


def _new_member(form: dict[str, Any]) -> Member:
    now = datetime.now(UTC)
    return Member(
        id=str(uuid.uuid4()),
        kind=form["kind"],
        name=form["name"],
        email=form["email"],
        email_key=email_key(form["email"]),
        language=form["language"],
        area=form["area"],
        listed=form["listed"],
        status="active",
        version=1,
        joined_at=now,
        updated_at=now,
    )


def _first_promise(member: Member, text: str) -> Promise:
    return Promise(
        id=str(uuid.uuid4()),
        member_id=member.id,
        text=text,
        created_at=member.joined_at,
    )


def _snapshot(member: Member) -> dict[str, Any]:
    return {
        "member_id": member.id,
        "version": member.version,
        "status": member.status,
        "kind": member.kind,
        "name": member.name,
        "language": member.language,
        "area": member.area,
        "sector": None,
        "role": None,
        "interests": [],
        "skills": [],
        "champions": [],
        "consents": {
            "privacy": True,
            "listed": member.listed,
            "newsletter": False,
            "share_progress": False,
            "partner_contact": False,
        },
        "joined_at": member.joined_at,
        "verified_at": member.joined_at,
        "updated_at": member.updated_at,
    }


def _contact(member: Member) -> dict[str, Any]:
    return {
        "member_id": member.id,
        "version": member.version,
        "email": member.email,
        "name": member.name,
        "language": member.language,
        "newsletter": False,
    }
