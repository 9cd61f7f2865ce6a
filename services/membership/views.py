"""Pages of results and small views, dumped for the RPC reply."""

from typing import Any

from sqlalchemy.orm import Session

from services.membership.badge_documents import badge_class_url
from services.membership.badges import badge_of, urls
from services.membership.replies import MemberSchema, PromiseOut
from services.membership.settings import Settings


def member_page(found: dict[str, Any]) -> dict[str, Any]:
    return {**found, "items": MemberSchema(many=True).dump(found["items"])}


def promise_page(found: dict[str, Any]) -> dict[str, Any]:
    return {**found, "items": PromiseOut(many=True).dump(found["items"])}


def badge_view(
    session: Session, settings: Settings, member_id: str
) -> dict[str, Any] | None:
    with session.begin():
        badge = badge_of(session, member_id)
    if badge is None:
        return None
    assertion_url, image_url = urls(settings, badge.id)
    return {
        "badge_id": badge.id,
        "edition": badge.edition,
        "number": badge.number,
        "of": settings.badge_edition_size,
        "assertion_url": assertion_url,
        "image_url": image_url,
        "badge_class_url": badge_class_url(settings, badge.edition),
        "awarded_at": badge.awarded_at.isoformat(),
        "revoked_at": badge.revoked_at.isoformat() if badge.revoked_at else None,
    }
