"""Members as the stories service knows them, kept from membership's events, and
what leaving with erasure does to their stories and feedback."""

import logging
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from infra.inbox import first_delivery
from infra.members import apply_left, apply_snapshot
from services.stories.models import (
    Feedback,
    FeedbackRound,
    InboxEvent,
    Member,
    OutboxEvent,
    Story,
    StoryAnswer,
    story_facts,
)
from services.stories.rounds import due_on

logger = logging.getLogger(__name__)

LONDON = ZoneInfo("Europe/London")
_ABOUT_MEMBERS = ("StorySubmitted", "FeedbackRequested", "FeedbackSubmitted")


def anchor_date(snapshot: dict[str, Any]) -> date:
    """The day rounds count from: the London date of confirming, else of joining."""
    moment: datetime = snapshot.get("verified_at") or snapshot["joined_at"]
    return moment.astimezone(LONDON).date()


def on_member_changed(session: Session, envelope: dict, snapshot: dict) -> bool:
    """Apply a MemberJoined / MemberVerified / MemberUpdated; True if it changed
    the copy (older and repeated snapshots do not)."""
    with session.begin():
        if not first_delivery(session, InboxEvent, envelope):
            return False
        copy = apply_snapshot(session, Member, snapshot, _values)
        if copy is None:
            return False
        session.flush()
        _reschedule(copy)
        _fill_stories(session, copy)
    return True


def _values(snapshot: dict[str, Any]) -> dict[str, Any]:
    return {
        "area": snapshot["area"],
        "kind": snapshot["kind"],
        "language": snapshot["language"],
        "share_progress": snapshot["consents"]["share_progress"],
        "anchor_on": anchor_date(snapshot),
    }


def _reschedule(copy: Member) -> None:
    copy.next_round = copy.next_round or 1
    copy.next_due_on = due_on(copy.anchor_on, copy.next_round)


def _fill_stories(session: Session, copy: Member) -> None:
    """A story can arrive before its teller's snapshot; give it their area."""
    for table in (Story.__table__, story_facts):
        session.execute(
            update(table)
            .where(table.c.member_id == copy.member_id, table.c.area.is_(None))
            .values(area=copy.area, member_kind=copy.kind)
        )


def on_member_left(session: Session, envelope: dict, left: dict[str, Any]) -> None:
    """Keep a tombstone; with `erase`, delete or anonymise what they told."""
    member_id = str(left["member_id"])
    with session.begin():
        if not first_delivery(session, InboxEvent, envelope):
            return
        apply_left(session, Member, left, _forget)
        session.execute(
            delete(FeedbackRound).where(FeedbackRound.member_id == member_id)
        )
        if left["erase"]:
            erase(session, member_id, left["stories"])
    logger.info("member.left member=%s erase=%s", member_id, left["erase"])


def _forget(copy: Member) -> None:
    copy.area = copy.kind = copy.language = None
    copy.share_progress, copy.anchor_on, copy.next_due_on = False, None, None
    copy.next_round = copy.next_round or 1


def erase(session: Session, member_id: str, stories: str) -> None:
    """`delete`: their stories and feedback go. `anonymise`: the answers stay for
    the evaluation, without the member id and without any words they wrote
    (title, story, "other" texts, progress), since free text can name them."""
    story_ids = select(Story.id).where(Story.member_id == member_id)
    if stories == "delete":
        session.execute(delete(StoryAnswer).where(StoryAnswer.story_id.in_(story_ids)))
        session.execute(delete(story_facts).where(story_facts.c.member_id == member_id))
        session.execute(delete(Story).where(Story.member_id == member_id))
        session.execute(delete(Feedback).where(Feedback.member_id == member_id))
    else:
        session.execute(
            update(StoryAnswer)
            .where(StoryAnswer.story_id.in_(story_ids))
            .values(other_text=None)
        )
        session.execute(
            update(story_facts)
            .where(story_facts.c.member_id == member_id)
            .values(member_id=None)
        )
        session.execute(
            update(Story)
            .where(Story.member_id == member_id)
            .values(member_id=None, title=None, text=None, anonymised=True)
        )
        session.execute(
            update(Feedback)
            .where(Feedback.member_id == member_id)
            .values(member_id=None, progress=None, shared=False)
        )
    _scrub_outbox(session, member_id)


def _scrub_outbox(session: Session, member_id: str) -> None:
    """Published events about the member are delivery history, not a record to
    keep: drop them, since public ones carry the teller's words."""
    rows = session.scalars(
        select(OutboxEvent).where(
            OutboxEvent.event_type.in_(_ABOUT_MEMBERS),
            OutboxEvent.published_at.is_not(None),
        )
    )
    for row in rows:
        if row.envelope["data"].get("member_id") == member_id:
            session.delete(row)
