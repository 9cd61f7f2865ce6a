"""The consumer's inbox: ids of events already applied, so a repeat changes nothing."""

from datetime import UTC, datetime

from sqlalchemy import String, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from infra.types import UtcDateTime


class InboxMixin:
    event_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    event_type: Mapped[str] = mapped_column(String(80))
    applied_at: Mapped[datetime] = mapped_column(UtcDateTime)


def first_delivery(session: Session, model: type, envelope: dict) -> bool:
    """Record the event as applied in the open transaction; False if it already was.

    Two copies racing on the same event both pass the check, and the primary key
    makes the second transaction fail, so its message is retried and then skipped."""
    seen = session.scalar(
        select(model.event_id).where(model.event_id == envelope["id"])
    )
    if seen:
        return False
    session.add(
        model(
            event_id=envelope["id"],
            event_type=envelope["type"],
            applied_at=datetime.now(UTC),
        )
    )
    return True
