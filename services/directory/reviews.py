"""Asking owners, once a year, to look over their listing (`ListingReviewDue`).

Each listing carries the moment its next review falls due. Whoever sends the
request moves that moment on a year, with a compare-and-set on the old value,
in the same transaction as the event: of several copies of the service ticking
at once, or one restarted mid-way, exactly one sends it."""

import logging
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from infra.outbox import record_event
from services.directory.listings import REVIEW_EVERY
from services.directory.models import Listing, OutboxEvent

logger = logging.getLogger(__name__)

BATCH = 100


def send_due(session: Session, now: datetime) -> int:
    """Send the review requests that are due by `now`; how many this copy sent."""
    with session.begin():
        due = session.execute(
            select(Listing.seq, Listing.review_due_at)
            .where(Listing.public, Listing.review_due_at <= now)
            .order_by(Listing.review_due_at, Listing.seq)
            .limit(BATCH)
        ).all()
    return sum(_send_one(session, seq, due_at, now) for seq, due_at in due)


def _send_one(session: Session, seq: int, due_at: datetime, now: datetime) -> bool:
    with session.begin():
        claimed = session.execute(
            update(Listing)
            .where(Listing.seq == seq, Listing.public, Listing.review_due_at == due_at)
            .values(review_due_at=max(due_at, now) + REVIEW_EVERY)
            .execution_options(synchronize_session=False)
        ).rowcount
        if not claimed:
            return False
        listing = session.get(Listing, seq, populate_existing=True)
        record_event(
            session,
            OutboxEvent,
            "ListingReviewDue",
            listing.member_id,
            {
                "listing_id": listing.id,
                "member_id": listing.member_id,
                "last_reviewed_at": listing.last_reviewed_at,
                "due_at": due_at,
            },
        )
    logger.info("listing.review_due listing=%s", listing.id)
    return True
