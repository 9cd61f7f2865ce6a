"""The daily tidy-up (a calendar item at 03:30 in Wales): the delivery log, the
webhook log and finished calendar items are kept for `log_retention`."""

import logging
from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.orm import Session

from services.notifications.deliveries import FINISHED
from services.notifications.models import (
    Delivery,
    ScheduledJob,
    WebhookAttempt,
    WebhookDelivery,
)
from services.notifications.settings import Settings

logger = logging.getLogger(__name__)


def prune(session: Session, settings: Settings, job: ScheduledJob, now: datetime):
    """Calendar runner, in the calendar's transaction."""
    before = now - settings.log_retention
    removed = session.execute(
        delete(Delivery).where(
            Delivery.status.in_(FINISHED) & (Delivery.created_at < before)
        )
    ).rowcount
    session.execute(delete(WebhookAttempt).where(WebhookAttempt.attempted_at < before))
    session.execute(
        delete(WebhookDelivery).where(
            WebhookDelivery.status.in_(("delivered", "failed", "cancelled"))
            & (WebhookDelivery.created_at < before)
        )
    )
    session.execute(
        delete(ScheduledJob).where(
            ScheduledJob.status.in_(("done", "cancelled"))
            & (ScheduledJob.due_at < before)
            & (ScheduledJob.id != job.id)
        )
    )
    logger.info("retention.pruned deliveries=%s", removed)
