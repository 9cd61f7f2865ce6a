"""Which e-mail each event asks for. Each function records the delivery in the
same transaction as the event's inbox entry and returns the ids to send now;
an event seen before asks for nothing. The reasons make each message unique:
one welcome per member, one message per badge, per response, per round."""

import logging
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from contracts import principles
from infra.inbox import first_delivery
from services.notifications import deliveries, links, london, members, sealing
from services.notifications.models import Delivery, InboxEvent, Member
from services.notifications.settings import Settings

logger = logging.getLogger(__name__)


def _ids(*found: Delivery | None) -> list[str]:
    return [delivery.id for delivery in found if delivery is not None]


def link_requested(
    session: Session, settings: Settings, envelope: dict, link: dict[str, Any]
) -> list[str]:
    """Confirm-your-address or sign-in: to the address in the event, with the
    token sealed until the message has gone (then it is dropped)."""
    member_id = str(link["member_id"])
    with session.begin():
        if not first_delivery(session, InboxEvent, envelope):
            return []
        if members.has_left(session, member_id):
            return []
        delivery = deliveries.queue(
            session,
            f"link:{envelope['id']}",
            link["purpose"],
            member_id,
            {"name": link["name"], "expires_at": link["expires_at"].isoformat()},
            recipient=link["email"],
            language=link["language"] or "both",
            secret=sealing.seal(settings.secret_key, link["token"]),
        )
    return _ids(delivery)


def already_member(session: Session, envelope: dict, attempt: dict[str, Any]):
    """Tell the owner of an address that someone tried to join with it; at most
    once a day, so that nobody can flood a member's inbox through the form."""
    member_id = str(attempt["member_id"])
    day = london.today(attempt["attempted_at"]).isoformat()
    with session.begin():
        if not first_delivery(session, InboxEvent, envelope):
            return []
        delivery = deliveries.queue(
            session,
            f"already_member:{member_id}:{day}",
            "already_member",
            member_id,
            {
                "name": attempt["name"],
                "attempted_at": attempt["attempted_at"].isoformat(),
            },
            recipient=attempt["email"],
            language=attempt["language"] or "both",
        )
    return _ids(delivery)


def welcome(session: Session, verified: dict[str, Any]) -> Delivery | None:
    """The welcome a verification asks for (in the caller's transaction). It does
    not wait on our copy: a later snapshot may have overtaken this one."""
    member_id = str(verified["member_id"])
    if verified["status"] != "active" or members.has_left(session, member_id):
        return None
    return deliveries.queue(
        session,
        f"welcome:{member_id}",
        "welcome",
        member_id,
        {"listed": verified["consents"]["listed"]},
    )


def badge_awarded(session: Session, envelope: dict, badge: dict[str, Any]):
    context = {
        "edition": badge["edition"],
        "number": badge["number"],
        "assertion_url": badge["assertion_url"],
        "image_url": badge["image_url"],
    }
    return _to_member(
        session,
        envelope,
        badge["member_id"],
        f"badge:{badge['badge_id']}",
        "badge_awarded",
        context,
    )


def response_sent(
    session: Session, settings: Settings, envelope: dict, response: dict[str, Any]
):
    """Pass a response on to whoever posted; neither side sees the other's
    address. The responder's words are kept only until the message has gone."""
    context = {
        "post_kind": response["post_kind"],
        "post_title": response["post_title"],
        "responder_name": response["responder_name"],
        "message": response["message"],
        "link": links.site(settings),
    }
    return _to_member(
        session,
        envelope,
        response["poster_id"],
        f"response:{response['response_id']}",
        "response_received",
        context,
        about_member_id=str(response["responder_id"]),
    )


def suggestion_answered(session: Session, envelope: dict, answered: dict[str, Any]):
    """A coordinator's answer to a suggestion: to the member who made it, or to
    the address someone not signed in left for it (their words and the answer
    are kept only until the message has gone)."""
    context = {"text": answered["text"], "answer": answered["answer"]}
    reason = f"suggestion:{answered['suggestion_id']}:{envelope['id']}"
    if answered["member_id"] is not None:
        member_id = answered["member_id"]
        return _to_member(
            session, envelope, member_id, reason, "suggestion_answered", context
        )
    with session.begin():
        if not first_delivery(session, InboxEvent, envelope):
            return []
        delivery = deliveries.queue(
            session,
            reason,
            "suggestion_answered",
            str(answered["suggestion_id"]),  # nobody's member id: the suggestion's
            context,
            recipient=answered["email"],
            language=answered["language"] or "both",
        )
    return _ids(delivery)


def listing_review_due(
    session: Session, settings: Settings, envelope: dict, review: dict[str, Any]
):
    due = review["due_at"].date().isoformat()
    context = {
        "last_reviewed_at": review["last_reviewed_at"].isoformat(),
        "link": links.site(settings),
    }
    return _to_member(
        session,
        envelope,
        review["member_id"],
        f"listing_review:{review['listing_id']}:{due}",
        "listing_review",
        context,
    )


def principles_published(
    session: Session, settings: Settings, envelope: dict, published: dict[str, Any]
) -> int:
    """Ask every active or lapsed member to agree to the new principles; the
    messages go out through the send timer. Returns how many were written."""
    version = published["version"]
    context = {
        "version": version,
        "principles": _titles(version),
        "link": links.site(settings),
    }
    with session.begin():
        if not first_delivery(session, InboxEvent, envelope):
            return 0
        found = session.scalars(
            select(Member.member_id).where(Member.status.in_(members.LISTABLE))
        ).all()
        written = [
            deliveries.queue(
                session,
                f"principles:{version}:{member_id}",
                "principles_changed",
                member_id,
                context,
            )
            for member_id in found
        ]
    logger.info("principles.asked version=%s members=%s", version, len(found))
    return len(_ids(*written))


def _titles(version: str) -> list[dict[str, str]]:
    try:
        chosen = principles.version(version)
    except StopIteration:
        return []  # published before this copy's data knew of it
    return [dict(p.title) for p in chosen.principles]


def _to_member(
    session: Session,
    envelope: dict,
    member_id,
    reason: str,
    template: str,
    context: dict[str, Any],
    **columns: Any,
) -> list[str]:
    member_id = str(member_id)
    with session.begin():
        if not first_delivery(session, InboxEvent, envelope):
            return []
        if members.has_left(session, member_id):
            return []
        delivery = deliveries.queue(
            session, reason, template, member_id, context, **columns
        )
    return _ids(delivery)
