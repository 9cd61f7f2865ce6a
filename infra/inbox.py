"""The consumer's inbox: ids of events already applied, so a repeat changes nothing."""

from datetime import UTC, datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, Session, mapped_column

from infra.db import insert_if_new
from infra.types import UtcDateTime


class InboxMixin:
    event_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    event_type: Mapped[str] = mapped_column(String(80))
    applied_at: Mapped[datetime] = mapped_column(UtcDateTime)


def first_delivery(session: Session, model: type, envelope: dict) -> bool:
    """Record the event as applied in the open transaction; False if it already was.

    One insert that does nothing when the id is there. Two copies racing on the
    same event: on PostgreSQL the second waits for the first to commit and then
    skips the event (or applies it, if the first rolled back)."""
    return insert_if_new(
        session,
        model,
        "event_id",
        event_id=envelope["id"],
        event_type=envelope["type"],
        applied_at=datetime.now(UTC),
    )
