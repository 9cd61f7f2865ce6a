"""Joining: a new member is pending until they confirm their address. A known
address creates nothing and gets the same answer, so the form never tells a
stranger who is a member; the owner of the address is told instead."""

import hashlib
import json
import logging
import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from services.membership import links, principles, records
from services.membership.exceptions import IdempotencyKeyReused
from services.membership.members import by_email, email_key
from services.membership.models import (
    Champion,
    IdempotentJoin,
    Member,
    PrinciplesAgreement,
    Promise,
)
from services.membership.settings import Settings

logger = logging.getLogger(__name__)

ANSWER = {
    "status": "received",
    "detail": "Check your e-mail: we have sent a link to confirm the address.",
}
PROFILE = (
    "kind", "name", "email", "language", "area", "postcode", "sector", "role",
    "about_life", "about_work", "about_community", "interests", "skills",
    "consents", "principles_version",
)  # fmt: skip


def join(
    session: Session, settings: Settings, form: dict, key: str | None = None
) -> dict[str, Any]:
    """Take a joining form (see `JoinSchema`); the same answer whoever asks. With
    `key`, a repeat of the same request gets the first answer and does nothing."""
    fingerprint = _fingerprint(form)
    for attempt in range(2):
        try:
            return _join_once(session, settings, form, key, fingerprint)
        except IntegrityError:
            # A twin request won the race on the address or the key; the second
            # try sees what it wrote.
            if attempt:
                raise
    raise AssertionError("unreachable")


def _join_once(
    session: Session, settings: Settings, form: dict, key: str | None, print_: str
) -> dict[str, Any]:
    now = datetime.now(UTC)
    with session.begin():
        earlier = _earlier_answer(session, key, print_)
        if earlier is not None:
            return earlier
        principles.check_current(session, form["principles_version"])
        known = by_email(session, form["email"])
        if known is None:
            _new_member(session, settings, form, now)
        else:
            _known_address(session, settings, known, now)
        if key:
            session.add(
                IdempotentJoin(
                    key=key, fingerprint=print_, answer=ANSWER, created_at=now
                )
            )
            session.flush()
    return dict(ANSWER)


def _earlier_answer(session: Session, key: str | None, print_: str) -> dict | None:
    if not key:
        return None
    earlier = session.get(IdempotentJoin, key)
    if earlier is None:
        return None
    if earlier.fingerprint != print_:
        raise IdempotencyKeyReused(
            "This Idempotency-Key was already used for a different request."
        )
    return dict(earlier.answer)


def _fingerprint(form: dict) -> str:
    text = json.dumps(form, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def _new_member(
    session: Session, settings: Settings, form: dict, now: datetime
) -> Member:
    member = Member(
        id=str(uuid.uuid4()),
        access_role="member",
        status="pending",
        version=1,
        email_key=email_key(form["email"]),
        joined_at=now,
        updated_at=now,
        **{field: form[field] for field in PROFILE},
    )
    session.add(member)
    session.flush()
    _first_records(session, member, form, now)
    _announce_join(session, settings, member, form, now)
    logger.info("member.joined member=%s kind=%s", member.id, member.kind)
    return member


def _first_records(session: Session, member: Member, form: dict, now: datetime):
    records.enter_status(session, member, "pending", now)
    records.record_consents(session, member.id, member.consents, now)
    session.add(
        PrinciplesAgreement(
            member_id=member.id, version=member.principles_version, agreed_at=now
        )
    )
    for address in form["champions"]:
        _name_champion(session, member, address)
    session.add(new_promise(member, form["promise"], 1, now))
    session.flush()


def _announce_join(
    session: Session, settings: Settings, member: Member, form: dict, now: datetime
) -> None:
    records.announce(
        session, "MemberJoined", member.id, records.snapshot(session, member)
    )
    records.announce(
        session, "ContactDetailsChanged", member.id, records.contact(member)
    )
    links.issue(session, settings, member, "confirm", now)
    if form.get("story"):
        told = {"member_id": member.id, "story": form["story"], "told_at": now}
        records.announce(session, "BaselineStoryTold", member.id, told)
    promise = session.scalar(select(Promise).where(Promise.member_id == member.id))
    announce_promise(session, promise)


def _known_address(
    session: Session, settings: Settings, member: Member, now: datetime
) -> None:
    if member.status == "pending":
        links.issue(session, settings, member, "confirm", now)
        logger.info("member.join_repeated member=%s", member.id)
        return
    records.announce(
        session,
        "AlreadyMember",
        member.id,
        {
            "member_id": member.id,
            "email": member.email,
            "name": member.name,
            "language": member.language,
            "attempted_at": now,
        },
    )
    logger.info("member.already_member member=%s", member.id)


def _name_champion(session: Session, organisation: Member, address: str) -> None:
    key = email_key(address)
    exists = select(Champion.id).where(
        (Champion.organisation_id == organisation.id) & (Champion.email_key == key)
    )
    if session.scalar(exists) is not None:
        return
    known = session.scalar(select(Member).where(Member.email_key == key))
    linked = known.id if known is not None and known.kind == "individual" else None
    session.add(
        Champion(organisation_id=organisation.id, email_key=key, member_id=linked)
    )
    session.flush()


def new_promise(member: Member, promise: dict, number: int, now: datetime) -> Promise:
    return Promise(
        id=str(uuid.uuid4()),
        member_id=member.id,
        number=number,
        text=promise["text"],
        focus=promise.get("focus"),
        by_date=promise.get("by_date"),
        created_at=now,
    )


def announce_promise(session: Session, promise: Promise) -> None:
    records.announce(
        session,
        "PromiseUpdated",
        promise.member_id,
        {
            "member_id": promise.member_id,
            "promise_id": promise.id,
            "number": promise.number,
            "text": promise.text,
            "focus": promise.focus,
            "by_date": promise.by_date,
            "updated_at": promise.created_at,
        },
    )


def forget_old_answers(session: Session, settings: Settings, now: datetime) -> int:
    """Idempotency keys are kept for a day (IDEMPOTENCY_HOURS), then forgotten."""
    cutoff = now - settings.idempotency_for
    with session.begin():
        return session.execute(
            delete(IdempotentJoin).where(IdempotentJoin.created_at < cutoff)
        ).rowcount
