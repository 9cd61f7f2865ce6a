"""The delivery log and its states. One row per message per reason (the `reason`
is unique, so the same message for the same reason is written once however
often its event arrives). States:

    pending ──claim──▶ sending/claimed ──before DATA──▶ sending/handover ──▶ sent
       ▲                    │                                 │
       └──── refused, retry with backoff ◀────────────────────┘ (server said no)
    failed: refused on every try, or refused for good (5xx)
    uncertain: lost touch after the message was handed over; never resent by
               itself, a coordinator may send it again by hand
    cancelled: the member left (or erased) before it went

Everything but the transfer itself happens in short transactions of its own."""

import logging
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from infra.outbox import record_event
from services.notifications.exceptions import DeliveryNotFound, DeliveryNotRetryable
from services.notifications.models import Delivery, OutboxEvent
from services.notifications.settings import Settings

logger = logging.getLogger(__name__)

FINISHED = ("sent", "failed", "uncertain", "cancelled")
SECRET_TEMPLATES = ("confirm", "sign_in")


def queue(
    session: Session,
    reason: str,
    template: str,
    member_id: str,
    context: dict[str, Any],
    **columns: Any,
) -> Delivery | None:
    """Add a delivery in the caller's transaction; None if this reason already has
    one (the unique `reason` also stops two copies racing to add it)."""
    if session.scalar(select(Delivery.id).where(Delivery.reason == reason)):
        return None
    now = datetime.now(UTC)
    delivery = Delivery(
        id=str(uuid.uuid4()),
        reason=reason,
        template=template,
        member_id=member_id,
        context=context,
        status="pending",
        attempts=0,
        created_at=now,
        next_attempt_at=now,
        **columns,
    )
    session.add(delivery)
    return delivery


def claim(session: Session, delivery_id: str, now: datetime) -> Delivery | None:
    """Take a pending delivery for sending; None if another worker or copy has it."""
    with session.begin():
        taken = session.execute(
            update(Delivery)
            .where(
                (Delivery.id == delivery_id)
                & (Delivery.status == "pending")
                & (Delivery.next_attempt_at <= now)
            )
            .values(
                status="sending",
                phase="claimed",
                claimed_at=now,
                attempts=Delivery.attempts + 1,
            )
        ).rowcount
        if not taken:
            return None
        return session.get(Delivery, delivery_id, populate_existing=True)


def handing_over(session: Session, delivery_id: str) -> None:
    """Recorded just before the message itself goes to the server: from here a
    crash leaves it `uncertain` rather than sent again."""
    with session.begin():
        session.execute(
            update(Delivery).where(Delivery.id == delivery_id).values(phase="handover")
        )


def sent(session: Session, delivery: Delivery, now: datetime) -> None:
    """Sent: forget what the template needed (and any token), announce it."""
    with session.begin():
        row = session.get(Delivery, delivery.id, populate_existing=True)
        row.status, row.phase, row.sent_at, row.error = "sent", None, now, None
        row.context, row.secret = {}, None
        record_event(session, OutboxEvent, "EmailSent", row.member_id, _sent(row))
    logger.info("email.sent template=%s delivery=%s", row.template, row.id)


def refused(
    session: Session,
    settings: Settings,
    delivery: Delivery,
    error: str,
    permanent: bool,
    now: datetime,
) -> str:
    """The server (or folder) did not take it: try again later, or give up."""
    with session.begin():
        row = session.get(Delivery, delivery.id, populate_existing=True)
        row.error, row.phase = error[:500], None
        if permanent or row.attempts >= settings.max_attempts:
            _give_up(session, row, now)
        else:
            row.status = "pending"
            row.next_attempt_at = now + settings.backoff * 2 ** (row.attempts - 1)
    logger.warning(
        "email.refused template=%s delivery=%s attempts=%s status=%s",
        row.template,
        row.id,
        row.attempts,
        row.status,
    )
    return row.status


def lost(session: Session, delivery: Delivery, error: str, now: datetime) -> str:
    """Contact was lost after the message was handed over: it may have gone."""
    with session.begin():
        row = session.get(Delivery, delivery.id, populate_existing=True)
        row.status, row.error, row.failed_at, row.secret = "uncertain", error, now, None
    logger.warning("email.uncertain template=%s delivery=%s", row.template, row.id)
    return "uncertain"


def wait_for_contact(
    session: Session, settings: Settings, delivery: Delivery, now: datetime
) -> str:
    """No address yet (its event travels on another queue): put the delivery back
    without counting a try, more slowly the longer it waits, and give up after
    `contact_wait`."""
    with session.begin():
        row = session.get(Delivery, delivery.id, populate_existing=True)
        age = now - row.created_at
        if age > settings.contact_wait:
            row.error = "No address for this member."
            _give_up(session, row, now)
            return row.status
        row.status, row.phase, row.attempts = "pending", None, row.attempts - 1
        pause = min(max(age / 10, timedelta(seconds=2)), timedelta(minutes=10))
        row.next_attempt_at = now + pause
    logger.info("email.waiting_for_contact delivery=%s", row.id)
    return "waiting"


def cancel(session: Session, delivery: Delivery, why: str) -> str:
    with session.begin():
        row = session.get(Delivery, delivery.id, populate_existing=True)
        _cancel(row, why)
    logger.info("email.cancelled template=%s delivery=%s", row.template, row.id)
    return "cancelled"


def cancel_for_member(session: Session, member_id: str) -> None:
    """Cancel, in the caller's transaction, what was still to go to or quote a
    member who left."""
    waiting = select(Delivery).where(
        ((Delivery.member_id == member_id) | (Delivery.about_member_id == member_id))
        & (Delivery.status == "pending")
    )
    for row in session.scalars(waiting):
        _cancel(row, "The member left.")


def due(session: Session, now: datetime, limit: int = 50) -> list[str]:
    """Pending deliveries whose time has come, oldest first."""
    query = (
        select(Delivery.id)
        .where((Delivery.status == "pending") & (Delivery.next_attempt_at <= now))
        .order_by(Delivery.next_attempt_at)
        .limit(limit)
    )
    with session.begin():
        return list(session.scalars(query))


def recover(session: Session, settings: Settings, now: datetime) -> int:
    """Claims left behind by a crash: one that never reached the message goes back
    to pending; one that did is `uncertain` and is not sent again by itself."""
    stale = (Delivery.status == "sending") & (
        Delivery.claimed_at <= now - settings.stale_claim
    )
    with session.begin():
        retry = session.execute(
            update(Delivery)
            .where(stale & (Delivery.phase == "claimed"))
            .values(status="pending", phase=None, next_attempt_at=now)
        ).rowcount
        unsure = session.execute(
            update(Delivery)
            .where(stale & (Delivery.phase == "handover"))
            .values(
                status="uncertain",
                phase=None,
                failed_at=now,
                secret=None,
                error="Stopped after handing the message over; it may have gone.",
            )
        ).rowcount
    if retry or unsure:
        logger.warning("email.recovered retried=%s uncertain=%s", retry, unsure)
    return retry + unsure


def send_again(session: Session, delivery_id: str) -> Delivery:
    """A coordinator's second go at a failed or uncertain message."""
    with session.begin():
        row = session.get(Delivery, delivery_id, with_for_update=True)
        if row is None:
            raise DeliveryNotFound(f"No delivery {delivery_id}.")
        if row.status not in ("failed", "uncertain"):
            raise DeliveryNotRetryable(
                "Only a failed or uncertain message can go again."
            )
        if row.template in SECRET_TEMPLATES:
            raise DeliveryNotRetryable(
                "A single-use link is not kept after a failure; the member can ask "
                "for a new one."
            )
        now = datetime.now(UTC)
        row.status, row.attempts, row.next_attempt_at = "pending", 0, now
        row.error = row.failed_at = None
    return row


def page_of(
    session: Session,
    page: int,
    per_page: int,
    statuses: tuple[str, ...] = (),
    template: str | None = None,
    member_id: str | None = None,
) -> dict[str, Any]:
    """The delivery log, newest first."""
    query = select(Delivery)
    if statuses:
        query = query.where(Delivery.status.in_(statuses))
    if template:
        query = query.where(Delivery.template == template)
    if member_id:
        query = query.where(Delivery.member_id == member_id)
    with session.begin():
        total = session.scalar(select(func.count()).select_from(query.subquery()))
        rows = session.scalars(
            query.order_by(Delivery.created_at.desc(), Delivery.id)
            .offset((page - 1) * per_page)
            .limit(per_page)
        ).all()
    return {"items": rows, "total": total, "page": page, "per_page": per_page}


def _give_up(session: Session, row: Delivery, now: datetime) -> None:
    row.status, row.failed_at, row.secret = "failed", now, None
    record_event(session, OutboxEvent, "EmailFailed", row.member_id, _failed(row))


def _cancel(row: Delivery, why: str) -> None:
    row.status, row.phase, row.error = "cancelled", None, why
    row.context, row.secret = {}, None


def _sent(row: Delivery) -> dict[str, Any]:
    return {
        "delivery_id": row.id,
        "member_id": row.member_id,
        "template": row.template,
        "sent_at": row.sent_at,
    }


def _failed(row: Delivery) -> dict[str, Any]:
    return {
        "delivery_id": row.id,
        "member_id": row.member_id,
        "template": row.template,
        "attempts": row.attempts,
        "failed_at": row.failed_at,
    }
