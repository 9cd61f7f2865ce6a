"""Single-use links by e-mail: confirming an address, and signing in. The token
travels once, in `LinkRequested`; only its SHA-256 is kept."""

import hashlib
import logging
import secrets
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, update
from sqlalchemy.orm import Session

from services.membership import activation, records
from services.membership.exceptions import LinkNotValid
from services.membership.members import by_email
from services.membership.models import Link, Member
from services.membership.settings import Settings

logger = logging.getLogger(__name__)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue(
    session: Session, settings: Settings, member: Member, purpose: str, now: datetime
) -> None:
    """Make a link and announce it, in the caller's transaction."""
    token = secrets.token_urlsafe(32)
    lasts = (
        settings.confirm_link_for
        if purpose == "confirm"
        else (settings.sign_in_link_for)
    )
    link = Link(
        token_hash=token_hash(token),
        member_id=member.id,
        purpose=purpose,
        created_at=now,
        expires_at=now + lasts,
    )
    session.add(link)
    records.announce(
        session,
        "LinkRequested",
        member.id,
        {
            "member_id": member.id,
            "purpose": purpose,
            "email": member.email,
            "name": member.name,
            "language": member.language,
            "token": token,
            "expires_at": link.expires_at,
        },
    )


def request_sign_in(session: Session, settings: Settings, email: str) -> None:
    """Send a sign-in link to a member's address; a pending member gets a new
    confirmation link instead; anyone else gets nothing, and is not told so."""
    now = datetime.now(UTC)
    with session.begin():
        member = by_email(session, email)
        if member is None or member.status == "left":
            logger.info("sign_in.unknown_address")
            return
        purpose = "confirm" if member.status == "pending" else "sign_in"
        issue(session, settings, member, purpose, now)
    logger.info("sign_in.link_issued member=%s purpose=%s", member.id, purpose)


def redeem(session: Session, settings: Settings, token: str, purpose: str) -> Member:
    """Use up a link once. Confirming makes a pending member active."""
    now = datetime.now(UTC)
    with session.begin():
        link = _claim(session, token_hash(token), purpose, now)
        member = session.get(Member, link.member_id, with_for_update=True)
        if member is None or member.status == "left":
            raise LinkNotValid()
        if purpose == "confirm" and member.status == "pending":
            activation.confirm(session, settings, member, now)
    logger.info("link.redeemed member=%s purpose=%s", member.id, purpose)
    return member


def _claim(session: Session, hashed: str, purpose: str, now: datetime) -> Link:
    claimed = session.execute(
        update(Link)
        .where(Link.token_hash == hashed)
        .where(Link.purpose == purpose)
        .where(Link.used_at.is_(None))
        .where(Link.expires_at > now)
        .values(used_at=now)
    ).rowcount
    if claimed != 1:
        raise LinkNotValid()
    return session.get(Link, hashed)


def forget_used_and_expired(session: Session, now: datetime) -> int:
    """Links past their time are no use to anyone; their rows go after a day."""
    with session.begin():
        gone = session.execute(
            delete(Link).where(Link.expires_at < now - timedelta(days=1))
        ).rowcount
    return gone
