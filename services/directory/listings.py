"""Listings, kept in step with membership's events and edited by their owners.

A listing is public while the member's copy says `active` or `lapsed` and
`consents.listed` is true. Snapshots apply only when newer (infra.members), so
a repeated or late event changes nothing; after `MemberLeft` the copy is a
tombstone and no snapshot brings the listing back."""

import logging
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from contracts import areas
from infra.inbox import first_delivery
from infra.members import apply_left, apply_snapshot
from infra.outbox import record_event
from services.directory import places, searchdoc, sharing, vocabulary, whatson
from services.directory.exceptions import ListingNotFound
from services.directory.models import (
    InboxEvent,
    Listing,
    ListingArea,
    ListingChange,
    ListingTag,
    ListingWords,
    Member,
    OutboxEvent,
)

logger = logging.getLogger(__name__)

ELIGIBLE = ("active", "lapsed")
REVIEW_EVERY = timedelta(days=365)
ALL_WALES = tuple(area.code for area in areas.all_areas())


def on_member_snapshot(session: Session, envelope: dict, snapshot: dict) -> str | None:
    """Apply a MemberJoined / MemberVerified / MemberUpdated; what happened to
    the listing (`published`, `updated`, `withdrawn`, `unchanged`), or None."""
    with session.begin():
        if not first_delivery(session, InboxEvent, envelope):
            return None
        member = apply_snapshot(session, Member, snapshot, _member_columns)
        if member is None:
            return None
        return sync(session, member, datetime.now(UTC))


def on_member_left(session: Session, envelope: dict, left: dict) -> bool:
    """Withdraw the listing of a member who left; with `erase`, delete it."""
    member_id = str(left["member_id"])
    with session.begin():
        if not first_delivery(session, InboxEvent, envelope):
            return False
        apply_left(session, Member, left, _forget_member)
        listing = _listing_of(session, member_id)
        if listing is not None:
            _leave(session, listing, left["erase"], datetime.now(UTC))
        sharing.member_left(session, member_id, left["erase"])
        places.member_left(session, member_id, left["erase"])
        whatson.organiser_left(session, member_id, left["erase"])
    return True


def sync(session: Session, member: Member, now: datetime) -> str:
    listing = _listing_of(session, member.member_id)
    eligible = member.status in ELIGIBLE and member.listed
    if listing is None:
        if not eligible:
            return "unchanged"
        listing = _new_listing(session, member, now)
        return _publish(session, listing, now, "published")
    before = public_fields(listing)
    _take_profile(listing, member, now)
    if eligible and not listing.public:
        listing.public = True
        return _publish(session, listing, now, "published")
    if eligible:
        refresh(session, listing)
        if public_fields(listing) == before:
            return "unchanged"
        return _publish(session, listing, now, "updated")
    if listing.public:
        reason = "consent_withdrawn" if not member.listed else f"status_{member.status}"
        return _withdraw(session, listing, reason, now)
    refresh(session, listing)
    return "unchanged"


def own_listing(session: Session, member_id: str, lock: bool = False) -> Listing:
    query = select(Listing).where(Listing.member_id == member_id)
    listing = session.scalar(query.with_for_update() if lock else query)
    if listing is None:
        raise ListingNotFound(
            "There is no listing for this member: they have not chosen to be "
            "listed, or are not an active member yet."
        )
    return listing


def public_listing(session: Session, listing_id: str) -> Listing:
    listing = session.scalar(select(Listing).where(Listing.id == listing_id))
    if listing is None or not listing.public:
        raise ListingNotFound(f"No public listing {listing_id}.")
    return listing


def edit(session: Session, member_id: str, changes: dict[str, Any]) -> Listing:
    """The owner changes what their listing says; editing counts as reviewing."""
    now = datetime.now(UTC)
    with session.begin():
        listing = own_listing(session, member_id, lock=True)
        for field, value in _edits(changes).items():
            setattr(listing, field, value)
        _reviewed(listing, now)
        if listing.public:
            _publish(session, listing, now, "updated")
        else:
            refresh(session, listing)
    return listing


def mark_reviewed(session: Session, member_id: str) -> Listing:
    with session.begin():
        listing = own_listing(session, member_id, lock=True)
        _reviewed(listing, datetime.now(UTC))
    logger.info("listing.reviewed listing=%s", listing.id)
    return listing


def effective_areas(listing: Listing) -> list[str]:
    if listing.all_wales:
        return list(ALL_WALES)
    return list(listing.own_areas or [listing.home_area])


def effective_tags(listing: Listing) -> dict[str, list[str]]:
    return {
        "skills": _or(listing.own_skills, listing.profile_skills),
        "interests": _or(listing.own_interests, listing.profile_interests),
        "assets": list(listing.assets or []),
    }


def all_tags(listing: Listing) -> list[str]:
    tags = effective_tags(listing)
    return vocabulary.normalise(tags["skills"] + tags["interests"] + tags["assets"])


def public_fields(listing: Listing) -> dict[str, Any]:
    """Everything the public sees; a change to any of it is published."""
    return {
        "public": listing.public,
        "kind": listing.kind,
        "name": listing.name,
        "organisation": listing.organisation,
        "description": listing.description,
        "tags": effective_tags(listing),
        "areas": effective_areas(listing),
        "place": (listing.place_name, listing.latitude, listing.longitude),
    }


def refresh(session: Session, listing: Listing) -> None:
    """Rewrite what search, facets and the map read from the listing."""
    derive(listing)
    session.flush()
    session.execute(delete(ListingArea).where(ListingArea.listing_seq == listing.seq))
    session.execute(delete(ListingTag).where(ListingTag.listing_seq == listing.seq))
    session.execute(delete(ListingWords).where(ListingWords.listing_seq == listing.seq))
    areas_served, tags, words = index_rows(listing)
    session.execute(insert(ListingArea), areas_served)
    if tags:
        session.execute(insert(ListingTag), tags)
    session.execute(insert(ListingWords), [words])
    _changed(session, listing.seq)


def _changed(session: Session, seq: int) -> None:
    session.add(ListingChange(listing_seq=seq, changed_at=datetime.now(UTC)))


def derive(listing: Listing) -> None:
    """Set the columns made from the others: the sort name and the search words."""
    listing.sort_name = " ".join(searchdoc.query_words(listing.name))[:200]
    searchdoc.index(listing, _document(listing))


def index_rows(listing: Listing) -> tuple[list[dict], list[dict], dict]:
    """The rows of `listing_areas`, `listing_tags` and `listing_words` for a
    flushed listing."""
    seq = listing.seq
    served = [{"listing_seq": seq, "area": a} for a in effective_areas(listing)]
    tags = [_tag_row(seq, tag) for tag in all_tags(listing)]
    return served, tags, {"listing_seq": seq, "words": searchdoc.plain_vector(listing)}


def _tag_row(seq: int, tag: str) -> dict[str, Any]:
    return {"listing_seq": seq, "key": vocabulary.key(tag), "label": tag[:80]}


def _document(listing: Listing) -> searchdoc.Document:
    served = effective_areas(listing)
    if listing.all_wales:
        place_names = ["Cymru", "Wales"]
    else:
        place_names = [n for c in served for n in _area_names(c)]
    return searchdoc.Document(
        name=listing.name,
        org=listing.organisation or "",
        tags=vocabulary.words_of(all_tags(listing)),
        body=listing.description or "",
        place=" ".join([listing.place_name or "", *place_names]),
    )


def _area_names(code: str) -> tuple[str, str]:
    area = areas.by_code(code)
    return area.name_cy, area.name_en


def _member_columns(snapshot: dict[str, Any]) -> dict[str, Any]:
    return {
        "kind": snapshot["kind"],
        "name": snapshot["name"],
        "area": snapshot["area"],
        "listed": snapshot["consents"]["listed"],
        "skills": vocabulary.normalise(snapshot.get("skills") or []),
        "interests": vocabulary.normalise(snapshot.get("interests") or []),
        "champions": [str(one) for one in snapshot.get("champions") or []],
    }


def _forget_member(member: Member) -> None:
    member.kind = member.name = member.area = None
    member.listed, member.skills, member.interests = False, [], []
    member.champions = []


def _listing_of(session: Session, member_id: str) -> Listing | None:
    query = select(Listing).where(Listing.member_id == member_id).with_for_update()
    return session.scalar(query)


def _new_listing(session: Session, member: Member, now: datetime) -> Listing:
    listing = Listing(
        id=str(uuid.uuid4()),
        member_id=member.member_id,
        public=True,
        created_at=now,
        assets=[],
        all_wales=False,
        last_reviewed_at=now,
        review_due_at=now + REVIEW_EVERY,
    )
    _take_profile(listing, member, now)
    session.add(listing)
    return listing


def _take_profile(listing: Listing, member: Member, now: datetime) -> None:
    listing.kind, listing.name, listing.home_area = (
        member.kind,
        member.name,
        member.area,
    )
    listing.profile_skills = list(member.skills or [])
    listing.profile_interests = list(member.interests or [])
    listing.updated_at = now


def _edits(changes: dict[str, Any]) -> dict[str, Any]:
    edits = {}
    for field in ("organisation", "description", "assets", "all_wales"):
        if field in changes:
            edits[field] = changes[field]
    for field in ("skills", "interests"):
        if field in changes:
            edits[f"own_{field}"] = changes[field]
    if "areas" in changes:
        edits["own_areas"] = changes["areas"]
    if "place" in changes:
        place = changes["place"] or {}
        edits["place_name"] = place.get("name")
        edits["latitude"], edits["longitude"] = (
            place.get("latitude"),
            place.get("longitude"),
        )
    return edits


def _reviewed(listing: Listing, now: datetime) -> None:
    listing.last_reviewed_at, listing.updated_at = now, now
    listing.review_due_at = now + REVIEW_EVERY


def _or(own: list | None, profile: list | None) -> list[str]:
    return list(own if own is not None else profile or [])


def _publish(session: Session, listing: Listing, now: datetime, outcome: str) -> str:
    refresh(session, listing)
    listing.published_at = now
    record_event(
        session,
        OutboxEvent,
        "ListingPublished",
        listing.member_id,
        {
            "listing_id": listing.id,
            "member_id": listing.member_id,
            "kind": listing.kind,
            "name": listing.name,
            "areas": effective_areas(listing),
            "tags": all_tags(listing),
            "published_at": now,
        },
    )
    logger.info("listing.%s listing=%s", outcome, listing.id)
    return outcome


def _withdraw(session: Session, listing: Listing, reason: str, now: datetime) -> str:
    listing.public = False
    refresh(session, listing)
    record_event(
        session,
        OutboxEvent,
        "ListingWithdrawn",
        listing.member_id,
        {
            "listing_id": listing.id,
            "member_id": listing.member_id,
            "reason": reason,
            "withdrawn_at": now,
        },
    )
    logger.info("listing.withdrawn listing=%s reason=%s", listing.id, reason)
    return "withdrawn"


def _leave(session: Session, listing: Listing, erase: bool, now: datetime) -> None:
    if listing.public:
        _withdraw(session, listing, "left", now)
    if erase:
        session.execute(
            delete(ListingArea).where(ListingArea.listing_seq == listing.seq)
        )
        session.execute(delete(ListingTag).where(ListingTag.listing_seq == listing.seq))
        session.execute(
            delete(ListingWords).where(ListingWords.listing_seq == listing.seq)
        )
        session.delete(listing)
        _changed(session, listing.seq)
        logger.info("listing.erased listing=%s", listing.id)
