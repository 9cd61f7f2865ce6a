"""How events, sign-ups and the organiser's list look to the outside.

The online link is shown only to people with a place (and the organiser); the
organiser's list gives names only, as the directory never holds addresses."""

from typing import Any

from services.directory.models import Event, EventPlace, Member
from services.directory.views import area, when


def event(row: Event, show_link: bool = False) -> dict[str, Any]:
    return {
        "id": row.id,
        "status": row.status,
        "organiser_id": row.organiser_id,
        "kind": row.kind,
        "title": {"cy": row.title_cy, "en": row.title_en},
        "description": {"cy": row.description_cy, "en": row.description_en},
        "starts_at": when(row.starts_at),
        "ends_at": when(row.ends_at),
        "area": area(row.area),
        "place_name": row.place_name,
        "online": row.online,
        "online_link": row.online_link if show_link else None,
        "places": row.places,
        "places_left": max(row.places - row.taken, 0),
        "audience": row.audience,
        "accessibility": row.accessibility,
        "language": row.language,
        "principles": list(row.principles or []),
        "published_at": when(row.published_at),
        "cancelled_at": when(row.cancelled_at),
    }


def sign_up(held: EventPlace | None) -> dict[str, Any]:
    """A member's own standing at an event."""
    if held is None:
        return {"status": "none", "signed_up_at": None, "attended": None}
    return {
        "status": held.status,
        "signed_up_at": when(held.signed_up_at),
        "attended": held.attended,
    }


def attendee(held: EventPlace, member: Member | None) -> dict[str, Any]:
    return {
        "member_id": held.member_id,
        "name": member.name if member else None,
        "status": held.status,
        "attended": held.attended,
    }


def mine(row: Event, held: EventPlace) -> dict[str, Any]:
    return {**event(row, show_link=held.status == "place"), "mine": sign_up(held)}
