"""What this service holds about a member: all of it for "download my data", and
its removal when they leave with erasure (contacts, recipients in the delivery
log, what they wrote, their name in newsletter issues, partner payloads)."""

from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from services.notifications import (
    feedback,
    members,
    newsletter,
    sources,
    subscriptions,
    webhooks,
)
from services.notifications.models import (
    Contact,
    Delivery,
    FeedbackReceived,
    Member,
    Post,
    PublicStory,
    ScheduledJob,
    SharedProgress,
    Subscription,
)

ERASED = "erased"


def forget_subscription(session: Session, member_id: str) -> None:
    subscriptions.erase(session, member_id)
    sources.forget_posts(session, member_id)


def erase(session: Session, member_id: str, stories_choice: str) -> None:
    """In the caller's transaction, with the member's tombstone already made."""
    members.erase(session, member_id)
    session.execute(
        update(Delivery)
        .where(Delivery.member_id == member_id)
        .values(recipient=None, context={}, secret=None, error=None)
    )
    session.execute(
        update(Delivery)
        .where(Delivery.about_member_id == member_id)
        .values(context={}, about_member_id=None)
    )
    session.execute(
        update(ScheduledJob)
        .where(ScheduledJob.member_id == member_id)
        .values(payload={}, member_id=None)
    )
    feedback.erase(session, member_id)
    sources.erase(session, member_id, stories_choice)
    newsletter.erase(session, member_id, stories_choice)
    webhooks.erase(session, member_id)


def export(session: Session, member_id: str) -> dict[str, Any]:
    """Everything kept about the member here, JSON-ready."""
    with session.begin():
        return {
            "service": "notifications",
            "member_id": member_id,
            "contact": _one(session.get(Contact, member_id), CONTACT),
            "member": _one(session.get(Member, member_id), MEMBER),
            "subscription": _one(_subscription(session, member_id), SUBSCRIPTION),
            "deliveries": _all(
                session, Delivery, Delivery.member_id, member_id, DELIVERY
            ),
            "scheduled": _all(
                session, ScheduledJob, ScheduledJob.member_id, member_id, SCHEDULED
            ),
            "feedback_received": _all(
                session,
                FeedbackReceived,
                FeedbackReceived.member_id,
                member_id,
                ("round", "received_at"),
            ),
            "shared_progress": _all(
                session,
                SharedProgress,
                SharedProgress.member_id,
                member_id,
                ("feedback_id", "text", "area", "submitted_at"),
            ),
            "public_stories": _all(
                session,
                PublicStory,
                PublicStory.member_id,
                member_id,
                ("story_id", "title", "text", "language", "submitted_at"),
            ),
            "posts": _all(
                session,
                Post,
                Post.member_id,
                member_id,
                (
                    "post_id",
                    "kind",
                    "category",
                    "title",
                    "area",
                    "ends_on",
                    "posted_at",
                ),
            ),
        }


CONTACT = ("email", "name", "language", "newsletter", "version")
MEMBER = ("status", "name", "language", "area", "listed", "newsletter", "verified_at")
SUBSCRIPTION = ("consent", "opted_out", "opted_out_at", "created_at")
DELIVERY = (
    "id",
    "template",
    "recipient",
    "language",
    "status",
    "attempts",
    "created_at",
    "sent_at",
    "failed_at",
)
SCHEDULED = ("kind", "due_at", "status", "done_at")


def _subscription(session: Session, member_id: str):
    return session.scalar(
        select(Subscription).where(Subscription.member_id == member_id)
    )


def _one(row, names: tuple[str, ...]) -> dict[str, Any] | None:
    return None if row is None else {name: _plain(getattr(row, name)) for name in names}


def _all(session: Session, model, column, member_id: str, names) -> list[dict]:
    rows = session.scalars(select(model).where(column == member_id)).all()
    return [_one(row, names) for row in rows]


def _plain(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value
