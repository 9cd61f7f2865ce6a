"""Offers and requests of time, skills, experience and resources; responses to
them; and the exchanges two members agree.

A response reaches the poster by e-mail through the notifications service
(`ResponseSent`); neither side's address is shown, or stored here. An exchange
is recorded when both the poster and the responder have agreed to the same
terms (for time, the same number of hours)."""

import logging
import uuid
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session

from contracts import areas
from infra.outbox import record_event
from services.directory import searchdoc, vocabulary
from services.directory.exceptions import (
    AlreadyAgreed,
    BadAgreement,
    NotAnActiveMember,
    NotAParty,
    OwnPost,
    PostClosed,
    PostNotFound,
    ResponseNotFound,
)
from services.directory.models import Exchange, Member, OutboxEvent, Post, Response

logger = logging.getLogger(__name__)

LONDON = ZoneInfo("Europe/London")
ACTIVE = ("active", "lapsed")
POSTED = {"offer": "OfferPosted", "request": "RequestPosted"}


def today() -> date:
    """The date in Wales, which decides whether a post has ended."""
    return datetime.now(LONDON).date()


def post(session: Session, member_id: str, form: dict[str, Any]) -> Post:
    now = datetime.now(UTC)
    with session.begin():
        active_member(session, member_id)
        new = _new_post(member_id, form, now)
        session.add(new)
        record_event(session, OutboxEvent, POSTED[new.kind], member_id, _posted(new))
    logger.info("post.posted post=%s kind=%s", new.id, new.kind)
    return new


def get_post(session: Session, post_id: str) -> Post:
    found = session.scalar(select(Post).where(Post.id == post_id))
    if found is None:
        raise PostNotFound(f"No offer or request {post_id}.")
    return found


def close(session: Session, post_id: str) -> Post:
    with session.begin():
        found = get_post(session, post_id)
        if found.status == "open":
            found.status, found.closed_at = "closed", datetime.now(UTC)
    logger.info("post.closed post=%s", post_id)
    return found


def respond(
    session: Session, responder_id: str, post_id: str, message: str
) -> Response:
    now = datetime.now(UTC)
    with session.begin():
        answered = _open_post(session, post_id)
        if answered.member_id == responder_id:
            raise OwnPost("You cannot respond to your own offer or request.")
        responder = active_member(session, responder_id)
        response = Response(
            id=str(uuid.uuid4()),
            post_id=answered.id,
            responder_id=responder_id,
            message=message,
            sent_at=now,
        )
        session.add(response)
        record_event(
            session, OutboxEvent, "ResponseSent", answered.member_id,
            _sent(response, answered, responder),
        )  # fmt: skip
    logger.info("response.sent response=%s post=%s", response.id, post_id)
    return response


def responses_to(session: Session, post_id: str) -> list[Response]:
    get_post(session, post_id)
    query = select(Response).where(Response.post_id == post_id)
    return list(session.scalars(query.order_by(Response.sent_at, Response.id)))


def get_response(session: Session, response_id: str, lock: bool = False) -> Response:
    query = select(Response).where(Response.id == response_id)
    found = session.scalar(query.with_for_update() if lock else query)
    if found is None:
        raise ResponseNotFound(f"No response {response_id}.")
    return found


def agree(
    session: Session, member_id: str, response_id: str, hours: float | None
) -> Response:
    """One side agrees the exchange a response proposes; when both sides have
    agreed the same terms, the exchange is recorded and `ExchangeAgreed` sent."""
    now = datetime.now(UTC)
    with session.begin():
        response = get_response(session, response_id, lock=True)
        answered = get_post(session, response.post_id)
        side = _side(member_id, answered, response)
        if response.exchange_id:
            raise AlreadyAgreed("This exchange has already been agreed.")
        _settle_hours(response, answered, hours)
        setattr(response, f"{side}_agreed_at", now)
        if response.poster_agreed_at and response.responder_agreed_at:
            _record_exchange(session, response, answered, now)
    return response


def active_member(session: Session, member_id: str) -> Member:
    member = session.get(Member, member_id)
    if member is None or member.status not in ACTIVE:
        raise NotAnActiveMember(
            "Only active members can do this; if you have just confirmed your "
            "address, try again in a moment."
        )
    return member


def member_left(session: Session, member_id: str, erase: bool) -> None:
    """In the caller's transaction: close (or with `erase`, delete) the member's
    posts and what they wrote, and take their id off recorded exchanges."""
    if not erase:
        session.execute(
            update(Post)
            .where(Post.member_id == member_id, Post.status == "open")
            .values(status="closed", closed_at=datetime.now(UTC))
        )
        return
    own_posts = select(Post.id).where(Post.member_id == member_id)
    session.execute(delete(Response).where(Response.post_id.in_(own_posts)))
    session.execute(delete(Response).where(Response.responder_id == member_id))
    session.execute(delete(Post).where(Post.member_id == member_id))
    for column in (Exchange.giver_id, Exchange.receiver_id):
        session.execute(
            update(Exchange).where(column == member_id).values({column: None})
        )
    logger.info("sharing.erased posts_and_responses=true")


def open_posts_filter(on: date):
    return (Post.status == "open") & (Post.ends_on >= on)


def area_filter(area: str):
    """Posts for an area include those for all of Wales (area null)."""
    return or_(Post.area == area, Post.area.is_(None))


def _new_post(member_id: str, form: dict[str, Any], now: datetime) -> Post:
    tags = vocabulary.normalise(form.get("tags") or [])
    new = Post(
        id=str(uuid.uuid4()),
        member_id=member_id,
        kind=form["kind"],
        category=form["category"],
        title=form["title"],
        description=form.get("description") or "",
        area=form.get("area"),
        tags=tags,
        tag_keys="".join(f"|{vocabulary.key(tag)}|" for tag in tags),
        ends_on=form["ends_on"],
        status="open",
        posted_at=now,
    )
    searchdoc.index(new, _document(new))
    return new


def _document(new: Post) -> searchdoc.Document:
    place = areas.by_code(new.area) if new.area else None
    return searchdoc.Document(
        name=new.title,
        tags=vocabulary.words_of(new.tags),
        body=new.description,
        place=f"{place.name_cy} {place.name_en}" if place else "Cymru Wales",
    )


def _open_post(session: Session, post_id: str) -> Post:
    found = get_post(session, post_id)
    if found.status != "open" or found.ends_on < today():
        raise PostClosed("This offer or request has ended.")
    return found


def _side(member_id: str, answered: Post, response: Response) -> str:
    if member_id == answered.member_id:
        return "poster"
    if member_id == response.responder_id:
        return "responder"
    raise NotAParty("Only the poster and the member who responded can agree.")


def _settle_hours(response: Response, answered: Post, hours: float | None) -> None:
    if answered.category != "time":
        if hours is not None:
            raise BadAgreement({"hours": ["Hours are given only for time."]})
        return
    if hours is None and response.hours is None:
        raise BadAgreement({"hours": ["Say how many hours of time were given."]})
    if hours is not None and hours != response.hours:
        # New terms: whoever agreed to the old ones is asked again.
        response.hours = hours
        response.poster_agreed_at = response.responder_agreed_at = None


def _record_exchange(
    session: Session, response: Response, answered: Post, now: datetime
) -> None:
    giver, receiver = answered.member_id, response.responder_id
    if answered.kind == "request":
        giver, receiver = receiver, giver
    exchange = Exchange(
        id=str(uuid.uuid4()),
        post_id=answered.id,
        giver_id=giver,
        receiver_id=receiver,
        category=answered.category,
        hours=response.hours,
        area=answered.area,
        agreed_at=now,
    )
    session.add(exchange)
    response.exchange_id = exchange.id
    record_event(session, OutboxEvent, "ExchangeAgreed", exchange.id, _agreed(exchange))
    logger.info("exchange.agreed exchange=%s post=%s", exchange.id, answered.id)


def _posted(new: Post) -> dict[str, Any]:
    return {
        "post_id": new.id,
        "member_id": new.member_id,
        "category": new.category,
        "title": new.title,
        "area": new.area,
        "tags": new.tags,
        "ends_on": new.ends_on,
        "posted_at": new.posted_at,
    }


def _sent(response: Response, answered: Post, responder: Member) -> dict[str, Any]:
    return {
        "response_id": response.id,
        "post_id": answered.id,
        "post_kind": answered.kind,
        "post_title": answered.title,
        "poster_id": answered.member_id,
        "responder_id": response.responder_id,
        "responder_name": responder.name,
        "message": response.message,
        "sent_at": response.sent_at,
    }


def _agreed(exchange: Exchange) -> dict[str, Any]:
    return {
        "exchange_id": exchange.id,
        "post_id": exchange.post_id,
        "giver_id": exchange.giver_id,
        "receiver_id": exchange.receiver_id,
        "category": exchange.category,
        "hours": exchange.hours,
        "area": exchange.area,
        "agreed_at": exchange.agreed_at,
    }
