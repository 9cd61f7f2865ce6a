"""Everything membership holds about one member, JSON-ready, for "download my
data"."""

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.membership import badges, principles, records
from services.membership.members import get_member
from services.membership.models import (
    ConsentChange,
    Feedback,
    Link,
    Promise,
    StatusChange,
    Suggestion,
)
from services.membership.replies import MemberSchema, PromiseOut, SuggestionOut


def export_member(session: Session, member_id: str) -> dict[str, Any]:
    with session.begin():
        return _everything(session, get_member(session, member_id))


def _everything(session: Session, member) -> dict[str, Any]:
    badge = badges.badge_of(session, member.id)
    return {
        "member": MemberSchema().dump(member),
        "champions": records.champion_ids(session, member),
        "promises": PromiseOut(many=True).dump(_owned(session, Promise, member.id)),
        "consent_history": [
            {"consent": c.consent, "given": c.given, "at": c.at.isoformat()}
            for c in _owned(session, ConsentChange, member.id)
        ],
        "principles_agreed": principles.agreements(session, member.id),
        "status_history": [
            {"status": s.status, "at": s.at.isoformat()}
            for s in _owned(session, StatusChange, member.id)
        ],
        "feedback_received": [
            {"round": f.round, "submitted_at": f.submitted_at.isoformat()}
            for f in _owned(session, Feedback, member.id)
        ],
        "links_sent": [
            {
                "purpose": link.purpose,
                "created_at": link.created_at.isoformat(),
                "used_at": link.used_at.isoformat() if link.used_at else None,
            }
            for link in _owned(session, Link, member.id)
        ],
        "badge": _badge(badge),
        "suggestions": SuggestionOut(many=True).dump(
            _owned(session, Suggestion, member.id)
        ),
    }


def _owned(session: Session, model: type, member_id: str) -> list:
    return list(session.scalars(select(model).where(model.member_id == member_id)))


def _badge(badge) -> dict[str, Any] | None:
    if badge is None:
        return None
    return {
        "id": badge.id,
        "edition": badge.edition,
        "number": badge.number,
        "awarded_at": badge.awarded_at.isoformat(),
        "revoked_at": badge.revoked_at.isoformat() if badge.revoked_at else None,
    }
