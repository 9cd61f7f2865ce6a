"""Everything the directory holds about one member, for "download my data"."""

from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from services.directory import eventqueries, views
from services.directory.models import Exchange, Listing, Member, Post, Response


def export_member(session: Session, member_id: str) -> dict[str, Any]:
    with session.begin():
        member = session.get(Member, member_id)
        listing = session.scalar(select(Listing).where(Listing.member_id == member_id))
        posts = list(session.scalars(select(Post).where(Post.member_id == member_id)))
        post_ids = [post.id for post in posts]
        kept = {
            "service": "directory",
            "member": _member(member),
            "listing": views.own_listing(listing) if listing else None,
            "posts": [views.own_post(post) for post in posts],
            "responses_sent": _responses(session, Response.responder_id == member_id),
            "responses_received": _responses(session, Response.post_id.in_(post_ids)),
            "exchanges": _exchanges(session, member_id),
        }
    return {
        **kept,
        "events_signed_up": eventqueries.mine(session, member_id),
        "events_organised": eventqueries.organised(session, member_id),
    }


def _member(member: Member | None) -> dict[str, Any] | None:
    if member is None:
        return None
    return {
        "member_id": member.member_id,
        "version": member.version,
        "status": member.status,
        "kind": member.kind,
        "name": member.name,
        "area": member.area,
        "listed": member.listed,
        "skills": member.skills,
        "interests": member.interests,
    }


def _responses(session: Session, where) -> list[dict[str, Any]]:
    rows = session.scalars(select(Response).where(where).order_by(Response.sent_at))
    return [views.response(row, None) for row in rows]


def _exchanges(session: Session, member_id: str) -> list[dict[str, Any]]:
    mine = or_(Exchange.giver_id == member_id, Exchange.receiver_id == member_id)
    rows = session.scalars(select(Exchange).where(mine).order_by(Exchange.agreed_at))
    return [views.exchange(row) for row in rows]
