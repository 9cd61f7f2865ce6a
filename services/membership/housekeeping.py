"""What the membership timer does on each tick, each part in its own
transaction."""

import logging
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from services.membership import activation, joining, leaving, links
from services.membership.settings import Settings

logger = logging.getLogger(__name__)


def tick(session: Session, settings: Settings, now: datetime | None = None) -> dict:
    now = now or datetime.now(UTC)
    return {
        "unconfirmed_removed": leaving.purge_unconfirmed(session, settings, now),
        "lapsed": activation.lapse_inactive(session, settings, now),
        "links_forgotten": links.forget_used_and_expired(session, now),
        "answers_forgotten": joining.forget_old_answers(session, settings, now),
    }
