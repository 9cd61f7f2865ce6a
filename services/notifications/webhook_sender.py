"""Delivering webhooks: one POST per try, signed afresh, with the same
`webhook-id` every time so the partner can tell a retry from a new event.
A refused or failed try is retried with growing pauses (5 s, 20 s, 80 s, ...
up to `webhook_max_backoff`); an endpoint failing without a success for
`webhook_pause_after` has its subscription paused until the partner resumes it."""

import logging
import time
from datetime import UTC, datetime, timedelta

import requests
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from services.notifications import destinations, sealing, signing
from services.notifications.exceptions import WebhookRefused
from services.notifications.models import (
    WebhookAttempt,
    WebhookDelivery,
    WebhookSubscription,
)
from services.notifications.settings import Settings

logger = logging.getLogger(__name__)

MAX_TRIES = 15
KEEP_RESPONSE = 2000


def due(session: Session, now: datetime, limit: int = 50) -> list[str]:
    """Deliveries whose time has come, and tries left unfinished by a crash."""
    query = (
        select(WebhookDelivery.id)
        .join(
            WebhookSubscription,
            WebhookSubscription.id == WebhookDelivery.subscription_id,
        )
        .where(
            WebhookDelivery.status.in_(("pending", "sending"))
            & (WebhookDelivery.next_attempt_at <= now)
            & (WebhookSubscription.status == "active")
        )
        .order_by(WebhookDelivery.next_attempt_at)
        .limit(limit)
    )
    with session.begin():
        return list(session.scalars(query))


def deliver(session: Session, settings: Settings, delivery_id: str, now: datetime):
    """One try of one delivery; its status afterwards ("taken" if another has it)."""
    claimed = _claim(session, settings, delivery_id, now)
    if claimed is None:
        return "taken"
    delivery, url, secret = claimed
    began = time.monotonic()
    status, response, error = _post(settings, url, secret, delivery)
    ms = int((time.monotonic() - began) * 1000)
    return _record(session, settings, delivery.id, status, response, error, ms)


def send_due(session: Session, settings: Settings, now=None) -> int:
    now = now or datetime.now(UTC)
    outcomes = [deliver(session, settings, d, now) for d in due(session, now)]
    return outcomes.count("delivered")


def backoff(settings: Settings, attempts: int) -> timedelta:
    return min(
        settings.webhook_backoff * 4 ** (attempts - 1), settings.webhook_max_backoff
    )


def _claim(session: Session, settings: Settings, delivery_id: str, now: datetime):
    busy_until = now + timedelta(seconds=settings.webhook_timeout * 3 + 30)
    with session.begin():
        taken = session.execute(
            update(WebhookDelivery)
            .where(
                (WebhookDelivery.id == delivery_id)
                & WebhookDelivery.status.in_(("pending", "sending"))
                & (WebhookDelivery.next_attempt_at <= now)
            )
            .values(
                status="sending",
                next_attempt_at=busy_until,
                attempts=WebhookDelivery.attempts + 1,
            )
        ).rowcount
        if not taken:
            return None
        delivery = session.get(WebhookDelivery, delivery_id, populate_existing=True)
        subscription = session.get(WebhookSubscription, delivery.subscription_id)
        secret = sealing.unseal(settings.secret_key, subscription.secret)
        return delivery, subscription.url, secret


def _post(settings: Settings, url: str, secret: str, delivery: WebhookDelivery):
    """(status code, response text, error): what came back, or why nothing did."""
    headers = signing.headers(secret, delivery.id, int(time.time()), delivery.body)
    try:
        destinations.check(url, settings.webhook_allow_private)
        answer = requests.post(
            url,
            data=delivery.body.encode(),
            headers=headers,
            timeout=settings.webhook_timeout,
            allow_redirects=False,
            verify=settings.webhook_ca_file or True,
        )
    except WebhookRefused:
        return None, None, "The endpoint resolves to an address we do not call."
    except requests.RequestException as error:
        return None, None, type(error).__name__
    return answer.status_code, answer.text[:KEEP_RESPONSE], None


def _record(session, settings, delivery_id, status, response, error, ms) -> str:
    now = datetime.now(UTC)
    with session.begin():
        delivery = session.get(WebhookDelivery, delivery_id, with_for_update=True)
        session.add(
            WebhookAttempt(
                delivery_id=delivery_id,
                attempted_at=now,
                status_code=status,
                response=response,
                error=error,
                ms=ms,
            )
        )
        subscription = session.get(
            WebhookSubscription, delivery.subscription_id, with_for_update=True
        )
        if status is not None and 200 <= status < 300:
            delivery.status, delivery.delivered_at = "delivered", now
            subscription.failing_since = None
        else:
            _failed_try(settings, delivery, subscription, now)
    logger.info(
        "webhook.tried delivery=%s status=%s outcome=%s attempts=%s",
        delivery_id,
        status,
        delivery.status,
        delivery.attempts,
    )
    return delivery.status


def _failed_try(settings, delivery, subscription, now: datetime) -> None:
    delivery.status = "failed" if delivery.attempts >= MAX_TRIES else "pending"
    delivery.next_attempt_at = now + backoff(settings, delivery.attempts)
    subscription.failing_since = subscription.failing_since or now
    if now - subscription.failing_since >= settings.webhook_pause_after:
        subscription.status, subscription.paused_at = "paused", now
        logger.warning("webhook.paused subscription=%s", subscription.id)
