"""The six-monthly feedback round: the e-mail when it falls due, and one reminder
some days later unless that round's feedback has arrived by then."""

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete
from sqlalchemy.orm import Session

from infra.inbox import first_delivery
from services.notifications import calendar, deliveries, links, london, members
from services.notifications.models import (
    FeedbackReceived,
    InboxEvent,
    ScheduledJob,
    SharedProgress,
)
from services.notifications.settings import Settings

REMINDER = "feedback_reminder"


def requested(
    session: Session, settings: Settings, envelope: dict, round_: dict[str, Any]
) -> list[str]:
    """Queue the feedback-due e-mail and put its reminder on the calendar."""
    member_id, number = str(round_["member_id"]), round_["round"]
    context = {
        "round": number,
        "due_on": round_["due_on"].isoformat(),
        "link": links.site(settings),
    }
    with session.begin():
        if not first_delivery(session, InboxEvent, envelope):
            return []
        if members.has_left(session, member_id) or _received(
            session, member_id, number
        ):
            return []
        delivery = deliveries.queue(
            session,
            f"feedback_due:{member_id}:{number}",
            "feedback_due",
            member_id,
            context,
        )
        remind_at = london.days_later(
            round_["requested_at"], settings.reminder_days, settings.reminder_time
        )
        calendar.schedule(
            session,
            REMINDER,
            f"{REMINDER}:{member_id}:{number}",
            remind_at,
            context | {"member_id": member_id},
            member_id=member_id,
        )
    return [delivery.id] if delivery else []


def submitted(session: Session, envelope: dict, feedback: dict[str, Any]) -> None:
    """Feedback came: no reminder for that round; keep progress the member agreed
    to share, for the newsletter."""
    member_id, number = str(feedback["member_id"]), feedback["round"]
    with session.begin():
        if not first_delivery(session, InboxEvent, envelope):
            return
        if not _received(session, member_id, number):
            session.add(
                FeedbackReceived(
                    member_id=member_id, round=number, received_at=datetime.now(UTC)
                )
            )
        calendar.cancel(session, f"{REMINDER}:{member_id}:{number}")
        if feedback["shared"] and feedback["progress"]:
            _share(session, feedback)


def remind(session: Session, settings: Settings, job: ScheduledJob, now: datetime):
    """Calendar runner: the reminder, unless the round was answered meanwhile."""
    member_id, number = job.payload["member_id"], job.payload["round"]
    if members.has_left(session, member_id) or _received(session, member_id, number):
        return
    context = {k: job.payload[k] for k in ("round", "due_on", "link")}
    deliveries.queue(
        session, f"{REMINDER}:{member_id}:{number}", REMINDER, member_id, context
    )


def erase(session: Session, member_id: str) -> None:
    session.execute(delete(SharedProgress).where(SharedProgress.member_id == member_id))
    session.execute(
        delete(FeedbackReceived).where(FeedbackReceived.member_id == member_id)
    )


def _received(session: Session, member_id: str, number: int) -> bool:
    return session.get(FeedbackReceived, (member_id, number)) is not None


def _share(session: Session, feedback: dict[str, Any]) -> None:
    if members.has_left(session, str(feedback["member_id"])):
        return
    if session.get(SharedProgress, str(feedback["feedback_id"])) is None:
        session.add(
            SharedProgress(
                feedback_id=str(feedback["feedback_id"]),
                member_id=str(feedback["member_id"]),
                text=feedback["progress"],
                area=feedback["area"],
                submitted_at=feedback["submitted_at"],
            )
        )
