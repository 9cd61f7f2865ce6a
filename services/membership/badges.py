"""The Co-pro Hero Badge: a limited, numbered edition, earned on becoming active
with a promise. Awarding locks the edition's row, so however many copies award at
once, numbers never repeat and never pass the edition's size."""

import hashlib
import logging
import secrets
import uuid
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from services.membership import records
from services.membership.exceptions import BadgeNotFound
from services.membership.models import Badge, BadgeEdition, Member, Promise
from services.membership.settings import Settings

logger = logging.getLogger(__name__)


def identity_hash(email: str, salt: str) -> str:
    """The Open Badges hashed identity: `sha256$` and the hex digest of the
    address (lower case) followed by the salt."""
    digest = hashlib.sha256((email.strip().lower() + salt).encode()).hexdigest()
    return f"sha256${digest}"


def urls(settings: Settings, badge_id: str) -> tuple[str, str]:
    assertion = f"{settings.public_url}/badges/{badge_id}"
    return assertion, f"{assertion}/image.svg"


def award(
    session: Session, settings: Settings, member: Member, now: datetime
) -> Badge | None:
    """Award the next number of the edition to `member`, in the caller's
    transaction; None when they have one, have no promise, or none are left."""
    if not _earns(session, member):
        return None
    edition = _locked_edition(session, settings.badge_edition)
    if edition.issued >= settings.badge_edition_size:
        logger.info("badge.edition_full edition=%s", edition.name)
        return None
    edition.issued += 1
    badge = _new_badge(member, edition, now)
    session.add(badge)
    session.flush()
    _announce(session, settings, badge)
    logger.info("badge.awarded badge=%s number=%s", badge.id, badge.number)
    return badge


def revoke(session: Session, badge: Badge, reason: str, now: datetime) -> bool:
    """Withdraw a badge in the caller's transaction; False if it already was."""
    if badge.revoked_at is not None:
        return False
    badge.revoked_at, badge.revocation_reason = now, reason
    records.announce(
        session,
        "BadgeRevoked",
        badge.id,
        {"badge_id": badge.id, "member_id": badge.member_id, "revoked_at": now},
    )
    logger.info("badge.revoked badge=%s", badge.id)
    return True


def revoke_by_id(session: Session, badge_id: str, reason: str) -> Badge:
    now = datetime.now(UTC)
    with session.begin():
        badge = get_badge(session, badge_id, lock=True)
        revoke(session, badge, reason, now)
    return badge


def get_badge(session: Session, badge_id: str, lock: bool = False) -> Badge:
    badge = session.get(Badge, str(badge_id), with_for_update=lock or None)
    if badge is None:
        raise BadgeNotFound(f"No badge {badge_id}.")
    return badge


def badge_of(session: Session, member_id: str) -> Badge | None:
    return session.scalar(select(Badge).where(Badge.member_id == str(member_id)))


def _earns(session: Session, member: Member) -> bool:
    has_badge = select(Badge.id).where(Badge.member_id == member.id)
    has_promise = select(Promise.id).where(Promise.member_id == member.id)
    return (
        session.scalar(has_badge) is None
        and session.scalar(has_promise.limit(1)) is not None
    )


def _locked_edition(session: Session, name: str) -> BadgeEdition:
    insert = (
        postgresql_insert
        if session.get_bind().dialect.name == "postgresql"
        else sqlite_insert
    )
    session.execute(
        insert(BadgeEdition).values(name=name, issued=0).on_conflict_do_nothing()
    )
    return session.get(BadgeEdition, name, with_for_update=True, populate_existing=True)


def _new_badge(member: Member, edition: BadgeEdition, now: datetime) -> Badge:
    salt = secrets.token_hex(16)
    return Badge(
        id=str(uuid.uuid4()),
        member_id=member.id,
        edition=edition.name,
        number=edition.issued,
        salt=salt,
        identity_hash=identity_hash(member.email, salt),
        awarded_at=now,
    )


def _announce(session: Session, settings: Settings, badge: Badge) -> None:
    assertion_url, image_url = urls(settings, badge.id)
    records.announce(
        session,
        "BadgeAwarded",
        badge.member_id,
        {
            "badge_id": badge.id,
            "member_id": badge.member_id,
            "edition": badge.edition,
            "number": badge.number,
            "assertion_url": assertion_url,
            "image_url": image_url,
            "awarded_at": badge.awarded_at,
        },
    )
