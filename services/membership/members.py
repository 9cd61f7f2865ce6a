"""Finding members, and the changes they make to their own record."""

import logging
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from services.membership import records
from services.membership.exceptions import MemberHasLeft, MemberNotFound
from services.membership.models import ConsentChange, Member

logger = logging.getLogger(__name__)

# Changes to these reach notifications too, in `ContactDetailsChanged`.
CONTACT_FIELDS = {"name", "language", "consents"}


def email_key(email: str) -> str:
    return email.strip().casefold()


def by_email(session: Session, email: str) -> Member | None:
    query = select(Member).where(Member.email_key == email_key(email))
    return session.scalar(query.with_for_update())


def get_member(session: Session, member_id: str, lock: bool = False) -> Member:
    member = session.get(Member, str(member_id), with_for_update=lock or None)
    if member is None:
        raise MemberNotFound(f"No member {member_id}.")
    return member


def read_member(session: Session, member_id: str) -> Member:
    with session.begin():
        return get_member(session, member_id)


def current_member(session: Session, member_id: str) -> Member:
    """A member who has not left, locked for a change."""
    member = get_member(session, member_id, lock=True)
    if member.status == "left":
        raise MemberHasLeft("This member has left the network.")
    return member


def paged(session: Session, query, order, page: int, per_page: int) -> dict:
    """One page of `query`'s rows, in `order`, with the total."""
    total = session.scalar(select(func.count()).select_from(query.subquery()))
    rows = session.scalars(
        query.order_by(*order).offset((page - 1) * per_page).limit(per_page)
    ).all()
    return {"items": rows, "total": total, "page": page, "per_page": per_page}


def list_members(
    session: Session, status: str | None, page: int, per_page: int
) -> dict[str, Any]:
    query = select(Member)
    if status:
        query = query.where(Member.status == status)
    with session.begin():
        return paged(session, query, (Member.joined_at, Member.id), page, per_page)


def consent_history(
    session: Session, member_id: str, page: int, per_page: int
) -> dict[str, Any]:
    query = select(ConsentChange).where(ConsentChange.member_id == member_id)
    order = (ConsentChange.at, ConsentChange.id)
    with session.begin():
        get_member(session, member_id)
        found = paged(session, query, order, page, per_page)
    items = [
        {"consent": row.consent, "given": row.given, "at": row.at.isoformat()}
        for row in found["items"]
    ]
    return {**found, "items": items}


def update_member(session: Session, member_id: str, changes: dict) -> Member:
    """Apply a change to the profile, language or consents; one new version and
    one `MemberUpdated` naming what changed (nothing when nothing did)."""
    now = datetime.now(UTC)
    with session.begin():
        member = current_member(session, member_id)
        fields = _apply_profile(member, changes) + _apply_consents(
            session, member, changes.get("consents", {}), now
        )
        if fields:
            records.changed(member, now)
            contact_too = bool(CONTACT_FIELDS & set(fields))
            records.announce_update(session, member, fields, contact_too)
    logger.info("member.updated member=%s changed=%s", member.id, ",".join(fields))
    return member


def set_access_role(session: Session, email: str, role: str) -> Member:
    with session.begin():
        member = by_email(session, email)
        if member is None or member.status == "left":
            raise MemberNotFound("No member with that address.")
        member.access_role = role
    logger.info("member.role_set member=%s role=%s", member.id, role)
    return member


def _apply_profile(member: Member, changes: dict) -> list[str]:
    fields = []
    for field, value in changes.items():
        if field != "consents" and getattr(member, field) != value:
            setattr(member, field, value)
            fields.append(field)
    return fields


def _apply_consents(
    session: Session, member: Member, wanted: dict[str, bool], now: datetime
) -> list[str]:
    moved = {k: v for k, v in wanted.items() if member.consents.get(k) != v}
    if not moved:
        return []
    member.consents = {**member.consents, **moved}
    records.record_consents(session, member.id, moved, now)
    return ["consents"]
