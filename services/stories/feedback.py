"""Feedback on a round: progress on the promise (a rating and their words),
optionally with a new story; and the progress members agreed to share."""

import logging
import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import exists, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from infra.outbox import record_event
from services.stories.capture import store_story
from services.stories.exceptions import (
    FeedbackAlreadyGiven,
    MemberHasLeft,
    NoOpenRound,
)
from services.stories.models import (
    Feedback,
    FeedbackPrinciple,
    FeedbackRound,
    Member,
    OutboxEvent,
)

logger = logging.getLogger(__name__)


def submit_feedback(session: Session, form: dict[str, Any]) -> dict[str, Any]:
    member_id = str(form["member_id"])
    try:
        with session.begin():
            member = _member(session, member_id)
            number = _open_round(session, member_id, form["round"])
            story = None
            if form["story"]:
                story = store_story(
                    session, member_id, form["story"], "feedback", number
                )
            feedback = _feedback(member, number, form, story.id if story else None)
            session.add(feedback)
            session.flush()
            session.add_all(
                FeedbackPrinciple(feedback_id=feedback.id, principle=principle)
                for principle in form["principles"]
            )
            record_event(
                session, OutboxEvent, "FeedbackSubmitted", member_id, _event(feedback)
            )
    except IntegrityError as error:
        raise FeedbackAlreadyGiven(
            "Feedback for this round was already given."
        ) from error
    logger.info("feedback.submitted feedback=%s round=%s", feedback.id, number)
    return feedback_view(feedback, form["principles"])


def _member(session: Session, member_id: str) -> Member:
    member = session.get(Member, member_id)
    if member is not None and member.status == "left":
        raise MemberHasLeft("This member has left the network.")
    if member is None:
        raise NoOpenRound("No feedback round is waiting for this member.")
    return member


def _open_round(session: Session, member_id: str, number: int | None) -> int:
    requested = select(func.max(FeedbackRound.round)).where(
        FeedbackRound.member_id == member_id, FeedbackRound.status == "requested"
    )
    if number is not None:
        requested = requested.where(FeedbackRound.round == number)
    found = session.scalar(requested)
    if found is None:
        raise NoOpenRound("No feedback round is waiting for this member.")
    given = select(Feedback.id).where(
        Feedback.member_id == member_id, Feedback.round == found
    )
    if session.scalar(given):
        raise FeedbackAlreadyGiven("Feedback for this round was already given.")
    return found


def _feedback(member: Member, number: int, form: dict, story_id: str | None):
    return Feedback(
        id=str(uuid.uuid4()),
        member_id=member.member_id,
        round=number,
        rating=form["rating"],
        progress=form["progress"],
        shared=member.share_progress,
        area=member.area,
        story_id=story_id,
        submitted_at=datetime.now(UTC),
    )


def _event(feedback: Feedback) -> dict[str, Any]:
    return {
        "feedback_id": feedback.id,
        "member_id": feedback.member_id,
        "round": feedback.round,
        "rating": feedback.rating,
        "shared": feedback.shared,
        "progress": feedback.progress if feedback.shared else None,
        "area": feedback.area,
        "story_id": feedback.story_id,
        "submitted_at": feedback.submitted_at,
    }


def feedback_view(feedback: Feedback, principles: list[str]) -> dict[str, Any]:
    return {
        "id": feedback.id,
        "member_id": feedback.member_id,
        "round": feedback.round,
        "rating": feedback.rating,
        "progress": feedback.progress,
        "principles": sorted(principles),
        "shared": feedback.shared,
        "area": feedback.area,
        "story_id": feedback.story_id,
        "submitted_at": feedback.submitted_at.isoformat(),
    }


def list_progress(session: Session, query: dict[str, Any]) -> dict[str, Any]:
    """Progress shared by members who still agree to share it, newest first."""
    chosen = (
        select(Feedback)
        .join(Member, Member.member_id == Feedback.member_id)
        .where(Feedback.shared, Member.share_progress, Member.status != "left")
    )
    if query.get("area"):
        chosen = chosen.where(Feedback.area == query["area"])
    if query.get("principle"):
        chosen = chosen.where(
            exists().where(
                FeedbackPrinciple.feedback_id == Feedback.id,
                FeedbackPrinciple.principle == query["principle"],
            )
        )
    page, per_page = query["page"], query["per_page"]
    with session.begin():
        total = session.scalar(select(func.count()).select_from(chosen.subquery()))
        rows = session.scalars(
            chosen.order_by(Feedback.submitted_at.desc(), Feedback.id)
            .offset((page - 1) * per_page)
            .limit(per_page)
        ).all()
        items = [feedback_view(row, _principles(session, row.id)) for row in rows]
    return {"items": items, "total": total, "page": page, "per_page": per_page}


def _principles(session: Session, feedback_id: str) -> list[str]:
    return list(
        session.scalars(
            select(FeedbackPrinciple.principle).where(
                FeedbackPrinciple.feedback_id == feedback_id
            )
        )
    )
