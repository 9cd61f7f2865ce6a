"""Leaving the network, with or without erasure, and the timer's removal of
pending members who never confirmed. After erasure a member's row keeps only its
id, status and version: enough to refuse anything later said about them."""

import logging
from datetime import UTC, datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from services.membership import badges, records
from services.membership.members import current_member
from services.membership.models import (
    Champion,
    ConsentChange,
    Feedback,
    Link,
    Member,
    PrinciplesAgreement,
    Promise,
    StatusChange,
    Suggestion,
)
from services.membership.settings import Settings

logger = logging.getLogger(__name__)

PERSONAL = (
    "name", "email", "email_key", "language", "area", "postcode", "sector", "role",
    "about_life", "about_work", "about_community", "principles_version",
    "verified_at", "last_active_at",
)  # fmt: skip
OWNED = (
    ConsentChange, Feedback, Link, PrinciplesAgreement, Promise, StatusChange,
    Suggestion,
)  # fmt: skip


def leave(session: Session, member_id: str, form: dict, reason: str = "left") -> Member:
    """A member leaves (or a coordinator removes them: reason `removed`)."""
    now = datetime.now(UTC)
    with session.begin():
        member = current_member(session, member_id)
        depart(session, member, reason, form["erase"], form["stories"], now)
    return member


def purge_unconfirmed(
    session: Session, settings: Settings, now: datetime, batch: int = 100
) -> int:
    """Remove pending members older than the set time, each exactly once however
    many copies of the service run this together (rows are locked and skipped)."""
    cutoff = now - settings.unconfirmed_after
    with session.begin():
        due = session.scalars(
            select(Member)
            .where(Member.status == "pending")
            .where(Member.joined_at < cutoff)
            .order_by(Member.joined_at)
            .limit(batch)
            .with_for_update(skip_locked=True)
        ).all()
        for member in due:
            depart(session, member, "unconfirmed", True, "delete", now)
    if due:
        logger.info("members.unconfirmed_removed count=%s", len(due))
    return len(due)


def depart(
    session: Session,
    member: Member,
    reason: str,
    erase: bool,
    stories: str,
    now: datetime,
) -> None:
    """In the caller's transaction: the member's badge is withdrawn, the
    organisations they championed are told, and `MemberLeft` is announced."""
    badge = badges.badge_of(session, member.id)
    if badge is not None:
        badges.revoke(session, badge, "The member left the network.", now)
    _stop_championing(session, member, now)
    records.enter_status(session, member, "left", now)
    records.changed(member, now)
    member.left_at, member.email_key = now, None
    if erase:
        _erase(session, member, badge)
    records.announce(
        session,
        "MemberLeft",
        member.id,
        {
            "member_id": member.id,
            "version": member.version,
            "reason": reason,
            "erase": erase,
            "stories": stories,
            "left_at": now,
        },
    )
    logger.info("member.left member=%s reason=%s erase=%s", member.id, reason, erase)


def _stop_championing(session: Session, member: Member, now: datetime) -> None:
    named = session.scalars(
        select(Champion).where(Champion.member_id == member.id)
    ).all()
    for champion in named:
        organisation = session.get(Member, champion.organisation_id)
        session.delete(champion)
        session.flush()
        if organisation.status != "left":
            records.changed(organisation, now)
            records.announce_update(session, organisation, ["champions"])


def _erase(session: Session, member: Member, badge) -> None:
    for field in PERSONAL:
        setattr(member, field, None)
    member.interests, member.skills, member.consents = [], [], {}
    member.access_role = "member"
    for model in OWNED:
        session.execute(delete(model).where(model.member_id == member.id))
    session.execute(delete(Champion).where(Champion.organisation_id == member.id))
    if badge is not None:
        badge.salt = badge.identity_hash = None
    session.flush()
