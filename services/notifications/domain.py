"""Which e-mails go out, once each: a delivery is written with the event that
asked for it, claimed before sending, and retried with backoff when the mail
server refuses, until it is recorded as failed."""

import logging
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from infra.inbox import first_delivery
from infra.outbox import record_event
from services.notifications.exceptions import SendFailed
from services.notifications.messages import compose
from services.notifications.models import Contact, Delivery, InboxEvent, OutboxEvent

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 6
STALE_CLAIM = timedelta(minutes=10)
WAIT_FOR_CONTACT = timedelta(seconds=2)


def on_contact_details_changed(
    session: Session, envelope: dict, details: dict[str, Any]
) -> None:
    """Keep the newest address of a member; older or repeated news changes nothing."""
    member_id = str(details["member_id"])
    with session.begin():
        if not first_delivery(session, InboxEvent, envelope):
            return
        contact = session.get(Contact, member_id)
        if contact is None:
            session.add(Contact(member_id=member_id, **_contact_fields(details)))
        elif details["version"] > contact.version:
            for field, value in _contact_fields(details).items():
                setattr(contact, field, value)


def _contact_fields(details: dict[str, Any]) -> dict[str, Any]:
    keys = ("version", "email", "name", "language", "newsletter")
    return {key: details[key] for key in keys}


def queue_welcome(
    session: Session, envelope: dict, joined: dict[str, Any]
) -> str | None:
    """Record the welcome e-mail a `MemberJoined` asks for; its id, or None if the
    event was seen before."""
    with session.begin():
        if not first_delivery(session, InboxEvent, envelope):
            return None
        delivery = _delivery(
            f"welcome:{joined['member_id']}",
            "welcome",
            joined,
            {"name": joined["name"], "listed": joined["consents"]["listed"]},
        )
        session.add(delivery)
    return delivery.id


def deliver(session: Session, mailer, delivery_id: str) -> str:
    """Send one delivery if nobody else holds it; returns its status afterwards."""
    delivery = _claim(session, delivery_id)
    if delivery is None:
        return "taken"
    if delivery.recipient is None:
        return _wait_for_contact(session, delivery)
    try:
        mailer.send(_message(delivery))
    except SendFailed as error:
        return _failed_attempt(session, delivery, error)
    return _sent(session, delivery)


def due(session: Session, now: datetime, limit: int = 50) -> list[str]:
    """Deliveries waiting for a retry, and claims left behind by a crash."""
    waiting = (Delivery.status == "pending") & (Delivery.next_attempt_at <= now)
    abandoned = (Delivery.status == "sending") & (
        Delivery.next_attempt_at <= now - STALE_CLAIM
    )
    query = select(Delivery.id).where(waiting | abandoned).order_by(Delivery.created_at)
    with session.begin():
        return list(session.scalars(query.limit(limit)))


def _delivery(reason: str, template: str, member: dict, context: dict) -> Delivery:
    now = datetime.now(UTC)
    return Delivery(
        id=str(uuid.uuid4()),
        reason=reason,
        template=template,
        member_id=str(member["member_id"]),
        recipient=None,
        language=None,
        context=context,
        status="pending",
        attempts=0,
        created_at=now,
        next_attempt_at=now,
    )


def _claim(session: Session, delivery_id: str) -> Delivery | None:
    now = datetime.now(UTC)
    claimable = (Delivery.status == "pending") | (
        (Delivery.status == "sending") & (Delivery.next_attempt_at <= now - STALE_CLAIM)
    )
    with session.begin():
        claimed = session.execute(
            update(Delivery)
            .where((Delivery.id == delivery_id) & claimable)
            .values(
                status="sending", next_attempt_at=now, attempts=Delivery.attempts + 1
            )
        ).rowcount
        if not claimed:
            return None
        delivery = session.get(Delivery, delivery_id, populate_existing=True)
        contact = session.get(Contact, delivery.member_id)
        if contact is not None:
            delivery.recipient, delivery.language = contact.email, contact.language
            delivery.context = {**delivery.context, "name": contact.name}
        return delivery


def _wait_for_contact(session: Session, delivery: Delivery) -> str:
    """The address has not arrived yet (its event travels on another queue): put
    the delivery back without counting an attempt, for the retry timer."""
    with session.begin():
        delivery = session.merge(delivery)
        delivery.status, delivery.attempts = "pending", delivery.attempts - 1
        delivery.next_attempt_at = datetime.now(UTC) + WAIT_FOR_CONTACT
    logger.info("email.waiting_for_contact delivery=%s", delivery.id)
    return "waiting"


def _message(delivery: Delivery):
    return compose(
        delivery.template, delivery.language, delivery.recipient, delivery.context
    )


def _sent(session: Session, delivery: Delivery) -> str:
    with session.begin():
        delivery = session.merge(delivery)
        delivery.status, delivery.sent_at, delivery.error = (
            "sent",
            datetime.now(UTC),
            None,
        )
        record_event(
            session,
            OutboxEvent,
            "EmailSent",
            delivery.member_id,
            {
                "delivery_id": delivery.id,
                "member_id": delivery.member_id,
                "template": delivery.template,
                "sent_at": delivery.sent_at,
            },
        )
    logger.info("email.sent template=%s delivery=%s", delivery.template, delivery.id)
    return "sent"


def _failed_attempt(session: Session, delivery: Delivery, error: SendFailed) -> str:
    with session.begin():
        delivery = session.merge(delivery)
        delivery.error = str(error)[:500]
        if delivery.attempts >= MAX_ATTEMPTS:
            delivery.status = "failed"
        else:
            delivery.status = "pending"
            backoff = timedelta(seconds=5 * 2 ** (delivery.attempts - 1))
            delivery.next_attempt_at = datetime.now(UTC) + backoff
    logger.warning(
        "email.refused template=%s delivery=%s attempts=%s status=%s",
        delivery.template,
        delivery.id,
        delivery.attempts,
        delivery.status,
    )
    return delivery.status
