"""Our copies of members: the snapshot (status, language, area, consents) from the
membership events and the address from `ContactDetailsChanged`. Both carry the
member's version; where they overlap (language, newsletter consent) the newer wins."""

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from infra.members import apply_left, apply_snapshot
from services.notifications import subscriptions
from services.notifications.models import Contact, Member

LISTABLE = ("active", "lapsed")


@dataclass(frozen=True)
class Recipient:
    member_id: str
    email: str
    name: str
    language: str | None
    status: str | None


def keep_contact(session: Session, details: dict[str, Any]) -> bool:
    """Keep the newest address of a member who has not left; True if it changed."""
    member_id = str(details["member_id"])
    copy = session.get(Member, member_id)
    if copy is not None and copy.status == "left":
        return False
    contact = session.get(Contact, member_id, with_for_update=True)
    if contact is not None and details["version"] <= contact.version:
        return False
    fields = {k: details[k] for k in ("version", "email", "name", "language")}
    if contact is None:
        contact = Contact(member_id=member_id, newsletter=False, **fields)
        session.add(contact)
    for name, value in fields.items():
        setattr(contact, name, value)
    contact.newsletter = details["newsletter"]
    subscriptions.follow_consent(
        session, member_id, details["newsletter"], details["version"]
    )
    return True


def keep_snapshot(session: Session, snapshot: dict[str, Any]) -> Member | None:
    """Apply a newer snapshot to our copy; the copy if it changed."""
    copy = apply_snapshot(session, Member, snapshot, _columns)
    if copy is not None:
        subscriptions.follow_consent(
            session,
            copy.member_id,
            snapshot["consents"]["newsletter"],
            snapshot["version"],
        )
    return copy


def leave(session: Session, left: dict[str, Any]) -> Member:
    """Make the copy a tombstone; with `erase`, empty what identifies them."""
    forget = _forget if left["erase"] else (lambda copy: None)
    return apply_left(session, Member, left, forget)


def has_left(session: Session, member_id: str) -> bool:
    copy = session.get(Member, member_id)
    return copy is not None and copy.status == "left"


def recipient(session: Session, member_id: str) -> Recipient | None:
    """Where and how to write to a member, or None without an address."""
    contact = session.get(Contact, member_id)
    if contact is None:
        return None
    copy = session.get(Member, member_id)
    language = contact.language
    if copy is not None and copy.version > contact.version:
        language = copy.language
    status = copy.status if copy is not None else None
    return Recipient(member_id, contact.email, contact.name, language, status)


def display_name(session: Session, member_id: str) -> str | None:
    copy = session.get(Member, member_id)
    return copy.name if copy is not None and copy.status in LISTABLE else None


def erase(session: Session, member_id: str) -> None:
    contact = session.get(Contact, member_id)
    if contact is not None:
        session.delete(contact)


def _columns(snapshot: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": snapshot["name"],
        "language": snapshot["language"],
        "area": snapshot["area"],
        "listed": snapshot["consents"]["listed"],
        "newsletter": snapshot["consents"]["newsletter"],
        "verified_at": snapshot.get("verified_at"),
    }


def _forget(copy: Member) -> None:
    copy.name = copy.language = copy.area = copy.verified_at = None
    copy.listed = copy.newsletter = False
