"""Member events as the membership service would publish them, for tests of the
services that keep copies of members."""

import uuid
from datetime import UTC, datetime
from typing import Any

from tests.support.amqp import publish_event


def snapshot(
    name: str = "Rhûn ap Iorwerth",
    *,
    listed: bool = True,
    area: str = "W06000002",
    language: str | None = "cy",
    kind: str = "individual",
    status: str = "active",
    version: int = 1,
    member_id: str | None = None,
    **overrides: Any,
) -> dict[str, Any]:
    """The data of a MemberJoined / MemberVerified / MemberUpdated event."""
    now = datetime.now(UTC)
    data = {
        "member_id": member_id or str(uuid.uuid4()),
        "version": version,
        "status": status,
        "kind": kind,
        "name": name,
        "language": language,
        "area": area,
        "sector": None,
        "role": None,
        "interests": [],
        "skills": [],
        "champions": [],
        "consents": {
            "privacy": True,
            "listed": listed,
            "newsletter": False,
            "share_progress": False,
            "partner_contact": False,
        },
        "joined_at": now,
        "verified_at": now if status != "pending" else None,
        "updated_at": now,
    }
    data.update(overrides)
    return data


def contact(member: dict[str, Any], email: str | None = None) -> dict[str, Any]:
    """The data of the ContactDetailsChanged that goes with a snapshot."""
    return {
        "member_id": member["member_id"],
        "version": member["version"],
        "email": email or f"{uuid.uuid4().hex[:8]}@example.cymru",
        "name": member["name"],
        "language": member["language"],
        "newsletter": member["consents"]["newsletter"],
    }


def announce_join(amqp_uri: str, member: dict[str, Any], email: str | None = None):
    """Publish the contact details and the MemberJoined of one member; returns the
    MemberJoined envelope."""
    publish_event(
        amqp_uri, "ContactDetailsChanged", member["member_id"], contact(member, email)
    )
    return publish_event(amqp_uri, "MemberJoined", member["member_id"], member)
