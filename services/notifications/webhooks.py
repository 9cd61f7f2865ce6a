"""Partners' webhook subscriptions: which public events go to which HTTPS
endpoint, and the log of what was sent and what came back. Only event types
that the catalogue does not mark internal can be chosen. `owner` is the
partner's id as the gateway's API key gives it; a partner sees only its own."""

import json
import logging
import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from contracts.events import CATALOGUE
from infra.inbox import first_delivery
from services.notifications import destinations, sealing, signing
from services.notifications.exceptions import WebhookNotFound, WebhookRefused
from services.notifications.models import (
    WebhookAttempt,
    WebhookDelivery,
    WebhookInboxEvent,
    WebhookSubscription,
)
from services.notifications.settings import Settings

logger = logging.getLogger(__name__)

PUBLIC_TYPES = tuple(sorted({e.name for e in CATALOGUE if not e.internal}))
ERASED_BODY = '{"erased": true}'


def register(
    session: Session, settings: Settings, owner: str, form: dict[str, Any]
) -> tuple[WebhookSubscription, str]:
    """A new subscription and its secret (made here unless the partner gave one);
    the secret is shown this once and kept sealed."""
    destinations.check(form["url"], settings.webhook_allow_private)
    secret = form.get("secret") or signing.new_secret()
    _check_secret(secret)
    now = datetime.now(UTC)
    subscription = WebhookSubscription(
        id=str(uuid.uuid4()),
        owner=owner,
        url=form["url"],
        secret=sealing.seal(settings.secret_key, secret),
        event_types=sorted(set(form["event_types"])),
        description=form.get("description"),
        status="active",
        created_at=now,
        updated_at=now,
    )
    with session.begin():
        session.add(subscription)
    logger.info("webhook.registered subscription=%s owner=%s", subscription.id, owner)
    return subscription, secret


def change(
    session: Session, settings: Settings, owner: str, sub_id: str, form: dict
) -> WebhookSubscription:
    """Change the URL, the event types or the description; `status` active
    resumes a paused subscription, paused stops it."""
    if "url" in form:
        destinations.check(form["url"], settings.webhook_allow_private)
    with session.begin():
        row = _own(session, owner, sub_id, lock=True)
        for name in ("url", "description"):
            if name in form:
                setattr(row, name, form[name])
        if "event_types" in form:
            row.event_types = sorted(set(form["event_types"]))
        if form.get("status") == "active" and row.status != "active":
            row.status, row.paused_at, row.failing_since = "active", None, None
        elif form.get("status") == "paused" and row.status == "active":
            row.status, row.paused_at = "paused", datetime.now(UTC)
        row.updated_at = datetime.now(UTC)
    return row


def remove(session: Session, owner: str, sub_id: str) -> None:
    with session.begin():
        row = _own(session, owner, sub_id, lock=True)
        session.execute(
            update(WebhookDelivery)
            .where(
                (WebhookDelivery.subscription_id == row.id)
                & (WebhookDelivery.status == "pending")
            )
            .values(status="cancelled")
        )
        row.status, row.updated_at = "deleted", datetime.now(UTC)


def get(session: Session, owner: str, sub_id: str) -> WebhookSubscription:
    with session.begin():
        return _own(session, owner, sub_id)


def listing(session: Session, owner: str, page: int, per_page: int) -> dict:
    query = select(WebhookSubscription).where(
        (WebhookSubscription.owner == owner) & (WebhookSubscription.status != "deleted")
    )
    return _page(
        session, query.order_by(WebhookSubscription.created_at), page, per_page
    )


def log(
    session: Session, owner: str, sub_id: str, page: int, per_page: int
) -> dict[str, Any]:
    """Each delivery with what was sent and every answer that came back."""
    with session.begin():
        _own(session, owner, sub_id)
    query = (
        select(WebhookDelivery)
        .where(WebhookDelivery.subscription_id == sub_id)
        .order_by(WebhookDelivery.created_at.desc(), WebhookDelivery.id)
    )
    result = _page(session, query, page, per_page)
    with session.begin():
        result["items"] = [_with_attempts(session, d) for d in result["items"]]
    return result


def fan_out(session: Session, envelope: dict) -> int:
    """Queue a public event for every active subscription that chose its type."""
    if envelope.get("type") not in PUBLIC_TYPES:
        return 0
    with session.begin():
        if not first_delivery(session, WebhookInboxEvent, envelope):
            return 0
        chosen = [
            row
            for row in session.scalars(
                select(WebhookSubscription).where(
                    WebhookSubscription.status == "active"
                )
            )
            if envelope["type"] in row.event_types
        ]
        for row in chosen:
            session.add(_delivery(row, envelope))
    return len(chosen)


def erase(session: Session, member_id: str) -> None:
    """Blank what partners were sent about an erased member, and stop the rest."""
    session.execute(
        update(WebhookDelivery)
        .where(WebhookDelivery.member_id == member_id)
        .values(body=ERASED_BODY, member_id=None)
    )
    session.execute(
        update(WebhookDelivery)
        .where(
            (WebhookDelivery.body == ERASED_BODY)
            & (WebhookDelivery.status == "pending")
        )
        .values(status="cancelled")
    )


def body_of(envelope: dict) -> str:
    """The JSON a partner receives: the Standard Webhooks shape (`type`,
    `timestamp`, `data`) with the event's id and subject beside it."""
    return json.dumps(
        {
            "type": envelope["type"],
            "timestamp": envelope["time"],
            "id": envelope["id"],
            "subject": envelope.get("subject"),
            "data": envelope["data"],
        },
        ensure_ascii=False,
        separators=(",", ":"),
    )


def _delivery(row: WebhookSubscription, envelope: dict) -> WebhookDelivery:
    now = datetime.now(UTC)
    data = envelope.get("data") or {}
    return WebhookDelivery(
        id=f"msg_{uuid.uuid4().hex}",
        subscription_id=row.id,
        event_id=envelope["id"],
        event_type=envelope["type"],
        member_id=str(data["member_id"]) if data.get("member_id") else None,
        body=body_of(envelope),
        status="pending",
        attempts=0,
        created_at=now,
        next_attempt_at=now,
    )


def _with_attempts(session: Session, delivery: WebhookDelivery) -> dict[str, Any]:
    attempts = session.scalars(
        select(WebhookAttempt)
        .where(WebhookAttempt.delivery_id == delivery.id)
        .order_by(WebhookAttempt.id)
    ).all()
    return {"delivery": delivery, "attempts": attempts}


def _own(
    session: Session, owner: str, sub_id: str, lock: bool = False
) -> WebhookSubscription:
    row = session.get(WebhookSubscription, sub_id, with_for_update=lock)
    if row is None or row.owner != owner or row.status == "deleted":
        raise WebhookNotFound(f"No webhook subscription {sub_id}.")
    return row


def _page(session: Session, query, page: int, per_page: int) -> dict[str, Any]:
    with session.begin():
        total = session.scalar(select(func.count()).select_from(query.subquery()))
        rows = session.scalars(
            query.offset((page - 1) * per_page).limit(per_page)
        ).all()
    return {"items": list(rows), "total": total, "page": page, "per_page": per_page}


def _check_secret(secret: str) -> None:
    try:
        signing.key_of(secret)
    except ValueError as error:
        raise WebhookRefused({"secret": [str(error)]}) from error
