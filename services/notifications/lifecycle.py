"""A member's life as this service follows it: copies kept from the snapshots
and the contact details, the welcome on verification, and what leaving does."""

import logging
from typing import Any

from sqlalchemy.orm import Session

from infra.inbox import first_delivery
from services.notifications import calendar, deliveries, mails, members, privacy
from services.notifications.models import InboxEvent

logger = logging.getLogger(__name__)


def snapshot(session: Session, envelope: dict, member: dict[str, Any]) -> list[str]:
    """`MemberJoined`, `MemberVerified`, `MemberUpdated`: keep the copy. The
    welcome goes on verification, or on joining when a member starts out active
    (no address to confirm). Returns ids to send now."""
    with session.begin():
        if not first_delivery(session, InboxEvent, envelope):
            return []
        members.keep_snapshot(session, member)
        welcome = None
        if _welcomes(envelope["type"], member):
            welcome = mails.welcome(session, member)
    return [welcome.id] if welcome else []


def _welcomes(event_type: str, member: dict[str, Any]) -> bool:
    joined_active = event_type == "MemberJoined" and member["status"] == "active"
    return event_type == "MemberVerified" or joined_active


def contact_changed(session: Session, envelope: dict, details: dict[str, Any]) -> None:
    with session.begin():
        if first_delivery(session, InboxEvent, envelope):
            members.keep_contact(session, details)


def left(session: Session, envelope: dict, gone: dict[str, Any]) -> None:
    """Nothing more goes to (or quotes) them; with `erase`, nothing personal
    stays. The tombstone keeps later events from bringing anything back."""
    member_id = str(gone["member_id"])
    with session.begin():
        if not first_delivery(session, InboxEvent, envelope):
            return
        members.leave(session, gone)
        deliveries.cancel_for_member(session, member_id)
        calendar.cancel_for_member(session, member_id)
        privacy.forget_subscription(session, member_id)
        if gone["erase"]:
            privacy.erase(session, member_id, gone["stories"])
    logger.info("member.left member=%s erase=%s", member_id, gone["erase"])
