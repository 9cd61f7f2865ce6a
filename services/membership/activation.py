"""Becoming active, lapsing for want of activity, and becoming active again.

A member is active from confirming their address until two feedback rounds pass
with no feedback and no event attended (see README.md); new feedback, or
coming to an event, makes a lapsed member active."""

import logging
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from infra.inbox import first_delivery
from services.membership import badges, records
from services.membership.models import Champion, Feedback, InboxEvent, Member
from services.membership.settings import Settings

logger = logging.getLogger(__name__)


def confirm(session: Session, settings: Settings, member: Member, now: datetime):
    """Pending to active, in the caller's transaction: `MemberVerified`, the
    organisations that named this member as champion updated, and the badge."""
    member.verified_at = member.last_active_at = now
    records.enter_status(session, member, "active", now)
    records.changed(member, now)
    records.announce(
        session, "MemberVerified", member.id, records.snapshot(session, member)
    )
    _link_as_champion(session, member, now)
    badges.award(session, settings, member, now)
    logger.info("member.verified member=%s", member.id)


def _link_as_champion(session: Session, member: Member, now: datetime) -> None:
    if member.kind != "individual":
        return
    named = session.scalars(
        select(Champion).where(Champion.email_key == member.email_key)
    ).all()
    for champion in named:
        champion.member_id = member.id
        organisation = session.get(Member, champion.organisation_id)
        if organisation.status in ("active", "lapsed", "pending"):
            session.flush()
            records.changed(organisation, now)
            records.announce_update(session, organisation, ["champions"])


def on_feedback(session: Session, envelope: dict, feedback: dict) -> bool:
    """Keep feedback as activity; True if a lapsed member became active again.
    Feedback about a member who left (or is unknown) is refused."""
    now = datetime.now(UTC)
    with session.begin():
        if not first_delivery(session, InboxEvent, envelope):
            return False
        member = session.get(Member, str(feedback["member_id"]), with_for_update=True)
        if member is None or member.status == "left":
            logger.info("feedback.ignored reason=no_member")
            return False
        if session.get(Feedback, str(feedback["feedback_id"])) is None:
            _keep(session, member, feedback)
        return _active_again(session, member, now)


def on_attendance(session: Session, envelope: dict, attendance: dict) -> bool:
    """Coming to an event counts as activity, as feedback does (from the time
    the event began); True if a lapsed member became active again."""
    now = datetime.now(UTC)
    with session.begin():
        if not first_delivery(session, InboxEvent, envelope):
            return False
        member = session.get(Member, str(attendance["member_id"]), with_for_update=True)
        if member is None or member.status == "left" or not attendance["attended"]:
            logger.info("attendance.ignored")
            return False
        _seen_active(member, attendance["event_starts_at"])
        return _active_again(session, member, now)


def _active_again(session: Session, member: Member, now: datetime) -> bool:
    if member.status != "lapsed":
        return False
    records.enter_status(session, member, "active", now)
    records.changed(member, now)
    records.announce_update(session, member, ["status"])
    logger.info("member.active_again member=%s", member.id)
    return True


def _seen_active(member: Member, moment: datetime) -> None:
    if member.last_active_at is None or moment > member.last_active_at:
        member.last_active_at = moment


def _keep(session: Session, member: Member, feedback: dict) -> None:
    session.add(
        Feedback(
            feedback_id=str(feedback["feedback_id"]),
            member_id=member.id,
            round=feedback["round"],
            submitted_at=feedback["submitted_at"],
        )
    )
    _seen_active(member, feedback["submitted_at"])


def lapse_inactive(
    session: Session, settings: Settings, now: datetime, batch: int = 100
) -> int:
    """Active members with no feedback for two rounds lapse, each exactly once
    however many copies of the service run this at the same moment."""
    cutoff = now - 2 * settings.feedback_round
    with session.begin():
        due = session.scalars(
            select(Member)
            .where(Member.status == "active")
            .where(Member.last_active_at < cutoff)
            .order_by(Member.last_active_at)
            .limit(batch)
            .with_for_update(skip_locked=True)
        ).all()
        for member in due:
            records.enter_status(session, member, "lapsed", now)
            records.changed(member, now)
            records.announce_update(session, member, ["status"])
    if due:
        logger.info("members.lapsed count=%s", len(due))
    return len(due)
