"""Newsletter subscriptions and one-click unsubscribing (RFC 8058).

The unsubscribe token is the subscription's id signed with the service's key
(itsdangerous, HMAC): it names one subscription and nothing else, and a token
that was altered or made up fails its signature and does nothing."""

import logging
import uuid
from datetime import UTC, datetime

from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from infra.outbox import record_event
from services.notifications.exceptions import UnsubscribeLinkInvalid
from services.notifications.models import OutboxEvent, Subscription
from services.notifications.settings import Settings

logger = logging.getLogger(__name__)

SALT = "newsletter.unsubscribe"


def follow_consent(session: Session, member_id: str, consent: bool, version: int):
    """Take membership's newer word on the newsletter consent. A "no" also settles
    an earlier one-click unsubscribe; a "yes" after that is a fresh consent."""
    row = _of_member(session, member_id) or _new(session, member_id, consent, version)
    if version <= row.consent_version:
        return row
    row.consent, row.consent_version = consent, version
    if not consent:
        row.opted_out = False
    return row


def _of_member(session: Session, member_id: str) -> Subscription | None:
    query = select(Subscription).where(Subscription.member_id == member_id)
    return session.scalar(query.with_for_update())


def _new(session: Session, member_id: str, consent: bool, version: int):
    """A new subscription; if the contact details and the snapshot of a member
    arrive together, the second to insert takes the row the first made."""
    row = Subscription(
        id=str(uuid.uuid4()),
        member_id=member_id,
        consent=consent,
        consent_version=version,
        opted_out=False,
        created_at=datetime.now(UTC),
    )
    if session.get_bind().dialect.name == "sqlite":
        session.add(row)  # one writer at a time: no race, and no savepoint needed
        return row
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:
        return _of_member(session, member_id)
    return row


def token_for(settings: Settings, subscription_id: str) -> str:
    return URLSafeSerializer(settings.secret_key, salt=SALT).dumps(subscription_id)


def check(session: Session, settings: Settings, token: str) -> dict[str, bool]:
    """Whether the link is good and still subscribed; changes nothing."""
    with session.begin():
        row = _by_token(session, settings, token)
        return {"subscribed": row.consent and not row.opted_out}


def unsubscribe(session: Session, settings: Settings, token: str) -> dict[str, bool]:
    """Stop the newsletter for the token's subscription, and tell membership."""
    with session.begin():
        row = _by_token(session, settings, token, lock=True)
        if not row.opted_out and row.consent:
            row.opted_out, row.opted_out_at = True, datetime.now(UTC)
            record_event(
                session,
                OutboxEvent,
                "NewsletterUnsubscribed",
                row.member_id,
                {
                    "member_id": row.member_id,
                    "unsubscribed_at": row.opted_out_at,
                },
            )
            logger.info("newsletter.unsubscribed subscription=%s", row.id)
    return {"subscribed": False}


def erase(session: Session, member_id: str) -> None:
    row = session.scalar(
        select(Subscription).where(Subscription.member_id == member_id)
    )
    if row is not None:
        session.delete(row)


def _by_token(
    session: Session, settings: Settings, token: str, lock: bool = False
) -> Subscription:
    try:
        subscription_id = URLSafeSerializer(settings.secret_key, salt=SALT).loads(token)
    except BadSignature as error:
        logger.info("newsletter.unsubscribe_refused reason=signature")
        raise UnsubscribeLinkInvalid("This unsubscribe link is not valid.") from error
    row = session.get(Subscription, str(subscription_id), with_for_update=lock)
    if row is None:
        raise UnsubscribeLinkInvalid("This unsubscribe link is not valid.")
    return row
