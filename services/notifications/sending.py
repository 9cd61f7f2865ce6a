"""Sending one delivery: claim it, put it together, hand it to the postbox, and
record what happened.

The only moment a crash can leave us unsure is between the server accepting the
message (its reply to DATA) and our commit of `sent` right after. Before DATA
we record `handover`; a claim found stale in that phase becomes `uncertain` and
is never sent again by itself (a coordinator sees it among the failed). Each
message carries a Message-ID made from its delivery id, so even a copy sent
again by hand is recognisable as the same message."""

import logging
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from services.notifications import deliveries, letters
from services.notifications.exceptions import SendFailed
from services.notifications.settings import Settings

logger = logging.getLogger(__name__)


def deliver(
    session: Session, mailer, settings: Settings, delivery_id: str, now=None
) -> str:
    """Send one delivery unless another worker has it; its status afterwards."""
    now = now or datetime.now(UTC)
    delivery = deliveries.claim(session, delivery_id, now)
    if delivery is None:
        return "taken"
    try:
        with session.begin():
            to = letters.recipient(session, delivery)
            message = to and letters.compose(session, settings, delivery, to)
            if message is not None:
                _note_address(session, delivery, to)
    except Exception as error:  # a template or data fault: counted as a try
        logger.exception("email.compose_failed delivery=%s", delivery.id)
        return deliveries.refused(
            session, settings, delivery, type(error).__name__, False, now
        )
    if to is None:
        return deliveries.wait_for_contact(session, settings, delivery, now)
    if message is None:
        return deliveries.cancel(session, delivery, "No longer wanted.")
    return _transfer(session, mailer, settings, delivery, message)


def send_due(session: Session, mailer, settings: Settings, now=None) -> int:
    """One turn of the send timer: recover stale claims, send what is due."""
    now = now or datetime.now(UTC)
    deliveries.recover(session, settings, now)
    outcomes = [
        deliver(session, mailer, settings, delivery_id, now)
        for delivery_id in deliveries.due(session, now)
    ]
    return outcomes.count("sent")


def _note_address(session: Session, delivery, to) -> None:
    row = session.merge(delivery)
    row.recipient, row.language = to.email, letters.language(delivery, to)


def _transfer(session: Session, mailer, settings: Settings, delivery, message) -> str:
    handed: list[bool] = []

    def before_data() -> None:
        deliveries.handing_over(session, delivery.id)
        handed.append(True)

    try:
        mailer.send(message, before_data)
    except SendFailed as error:
        now = datetime.now(UTC)
        if handed and not error.definite:
            return deliveries.lost(session, delivery, str(error)[:500], now)
        return deliveries.refused(
            session, settings, delivery, str(error), error.permanent, now
        )
    deliveries.sent(session, delivery, datetime.now(UTC))
    return "sent"
