"""Which version of the co-production principles is current here, publishing a
new one, and members agreeing to it. The texts are versioned data
(contracts/data/principles); membership records when each was published."""

import logging
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from contracts import principles as texts
from contracts.errors import InvalidInput
from services.membership import records
from services.membership.members import current_member
from services.membership.models import PrinciplesAgreement, PublishedPrinciples

logger = logging.getLogger(__name__)


def current(session: Session) -> PublishedPrinciples:
    published = session.scalars(select(PublishedPrinciples)).all()
    return max(published, key=lambda row: int(row.version))


def check_current(session: Session, version: str, field: str = "principles_version"):
    now = current(session).version
    if version != now:
        raise InvalidInput(
            {
                field: [
                    f"The principles are now at version {now}: read that version "
                    "and agree to it."
                ]
            }
        )


def view(session: Session) -> dict[str, Any]:
    """The current principles with their texts in Welsh and English."""
    with session.begin():
        published = current(session)
    return {
        "version": published.version,
        "published_at": published.published_at.isoformat(),
        "principles": [
            {"id": p.id, "title": p.title, "text": p.text}
            for p in texts.version(published.version).principles
        ],
    }


def publish(session: Session, version: str) -> PublishedPrinciples:
    """Make a version that exists as data the current one, and announce it."""
    now = datetime.now(UTC)
    known = {p.version for p in texts.versions()}
    with session.begin():
        if version not in known:
            raise InvalidInput({"version": [f"There is no version {version}."]})
        if int(version) <= int(current(session).version):
            raise InvalidInput(
                {"version": ["Only a version newer than the current one."]}
            )
        published = PublishedPrinciples(version=version, published_at=now)
        session.add(published)
        records.announce(
            session,
            "PrinciplesPublished",
            version,
            {"version": version, "published_at": now},
        )
    logger.info("principles.published version=%s", version)
    return published


def agree(session: Session, member_id: str, version: str):
    """Record a member's agreement to the current version (once)."""
    now = datetime.now(UTC)
    with session.begin():
        member = current_member(session, member_id)
        check_current(session, version, "version")
        if member.principles_version == version:
            return member
        session.add(
            PrinciplesAgreement(member_id=member.id, version=version, agreed_at=now)
        )
        member.principles_version = version
        records.changed(member, now)
        records.announce_update(session, member, ["principles_version"])
    logger.info("principles.agreed member=%s version=%s", member.id, version)
    return member


def agreements(session: Session, member_id: str) -> list[dict[str, str]]:
    rows = session.scalars(
        select(PrinciplesAgreement)
        .where(PrinciplesAgreement.member_id == str(member_id))
        .order_by(PrinciplesAgreement.agreed_at)
    ).all()
    return [{"version": r.version, "agreed_at": r.agreed_at.isoformat()} for r in rows]
