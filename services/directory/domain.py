"""Listings kept from membership events, and finding them."""

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from contracts import areas
from contracts.text import fold
from infra.inbox import first_delivery
from services.directory.models import InboxEvent, Listing


def on_member_joined(session: Session, envelope: dict, joined: dict[str, Any]) -> bool:
    """Create the listing of a member who chose to be listed; True if one was made."""
    with session.begin():
        if (
            not first_delivery(session, InboxEvent, envelope)
            or not joined["consents"]["listed"]
        ):
            return False
        if session.get(Listing, str(joined["member_id"])) is not None:
            return False
        session.add(_listing(joined))
    return True


def search(session: Session, q: str, page: int, per_page: int) -> dict[str, Any]:
    query = select(Listing)
    for word in fold(q).split():
        query = query.where(Listing.search_text.like(f"%{_escape(word)}%", escape="\\"))
    total = session.scalar(select(func.count()).select_from(query.subquery()))
    rows = session.scalars(
        query.order_by(Listing.name, Listing.member_id)
        .offset((page - 1) * per_page)
        .limit(per_page)
    ).all()
    return {"items": rows, "total": total, "page": page, "per_page": per_page}


def _escape(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _listing(joined: dict[str, Any]) -> Listing:
    area = areas.by_code(joined["area"])
    return Listing(
        member_id=str(joined["member_id"]),
        kind=joined["kind"],
        name=joined["name"],
        area=area.code,
        search_text=fold(" ".join([joined["name"], area.name_en, area.name_cy])),
        member_version=joined["version"],
        listed_at=datetime.now(UTC),
    )
