"""How listings, posts and responses look to the outside, JSON-ready.

Times are ISO 8601 in UTC; pages show them in Europe/London. A poster is named
only when they have a public listing: posting does not put a name in public."""

from datetime import date, datetime
from typing import Any

from contracts import areas
from services.directory import listings, vocabulary
from services.directory.models import Exchange, Listing, Member, Post, Response


def when(moment: datetime | date | None) -> str | None:
    return moment.isoformat() if moment else None


def area(code: str | None) -> dict[str, str] | None:
    return areas.by_code(code).as_dict() if code else None


def listing(row: Listing, distance_km: float | None = None) -> dict[str, Any]:
    """A public listing."""
    tags = listings.effective_tags(row)
    shown = {
        "id": row.id,
        "kind": row.kind,
        "name": row.name,
        "organisation": row.organisation,
        "description": row.description,
        "skills": [vocabulary.describe(tag) for tag in tags["skills"]],
        "interests": [vocabulary.describe(tag) for tag in tags["interests"]],
        "assets": [vocabulary.describe(tag) for tag in tags["assets"]],
        "area": row.home_area,  # the principal area they are based in (profile)
        "all_wales": row.all_wales,
        "areas": [area(code) for code in listings.effective_areas(row)],
        "place": _place(row),
        "last_reviewed_at": when(row.last_reviewed_at),
        "updated_at": when(row.updated_at),
    }
    if distance_km is not None:
        shown["distance_km"] = distance_km
    return shown


def own_listing(row: Listing) -> dict[str, Any]:
    """The listing as its owner (or a coordinator) sees it."""
    return {
        **listing(row),
        "member_id": row.member_id,
        "public": row.public,
        "review_due_at": when(row.review_due_at),
        "uses_profile": {
            "skills": row.own_skills is None,
            "interests": row.own_interests is None,
            "areas": row.own_areas is None and not row.all_wales,
        },
    }


def post(row: Post, poster: Listing | None = None) -> dict[str, Any]:
    return {
        "id": row.id,
        "kind": row.kind,
        "category": row.category,
        "title": row.title,
        "description": row.description,
        "area": area(row.area),
        "tags": [vocabulary.describe(tag) for tag in row.tags],
        "ends_on": when(row.ends_on),
        "status": row.status,
        "posted_at": when(row.posted_at),
        "poster": {"listing_id": poster.id, "name": poster.name} if poster else None,
    }


def own_post(row: Post, poster: Listing | None = None) -> dict[str, Any]:
    return {**post(row, poster), "member_id": row.member_id}


def response(row: Response, responder: Member | None) -> dict[str, Any]:
    """A response as the poster and the responder see it."""
    return {
        "id": row.id,
        "post_id": row.post_id,
        "responder_id": row.responder_id,
        "responder_name": responder.name if responder else None,
        "message": row.message,
        "sent_at": when(row.sent_at),
        "hours": row.hours,
        "poster_agreed": row.poster_agreed_at is not None,
        "responder_agreed": row.responder_agreed_at is not None,
        "exchange_id": row.exchange_id,
    }


def exchange(row: Exchange) -> dict[str, Any]:
    return {
        "id": row.id,
        "post_id": row.post_id,
        "giver_id": row.giver_id,
        "receiver_id": row.receiver_id,
        "category": row.category,
        "hours": row.hours,
        "area": area(row.area),
        "agreed_at": when(row.agreed_at),
    }


def page(items: list, total: int, page: int, per_page: int, **extra) -> dict[str, Any]:
    return {"items": items, "total": total, "page": page, "per_page": per_page, **extra}


def _place(row: Listing) -> dict[str, Any] | None:
    if row.latitude is None and not row.place_name:
        return None
    return {
        "name": row.place_name,
        "latitude": row.latitude,
        "longitude": row.longitude,
    }
