"""The directory's tables: its copy of members, listings, offers and requests,
responses and exchanges, and the outbox and inbox.

No e-mail address is ever stored here: responses reach posters through the
notifications service, which alone holds addresses."""

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from infra.inbox import InboxMixin
from infra.members import MemberCopyMixin
from infra.outbox import OutboxMixin
from infra.types import UtcDateTime
from services.directory.searchdoc import SearchColumns, SearchVector


class Base(DeclarativeBase):
    pass


class Member(MemberCopyMixin, Base):
    """What the directory knows of a member, from membership's snapshots. After
    `MemberLeft` only the tombstone remains (status `left`, the rest emptied)."""

    __tablename__ = "members"

    kind: Mapped[str | None] = mapped_column(String(20), nullable=True)
    name: Mapped[str | None] = mapped_column(String(200), nullable=True)
    area: Mapped[str | None] = mapped_column(String(9), nullable=True, index=True)
    listed: Mapped[bool] = mapped_column(Boolean, default=False)
    skills: Mapped[list] = mapped_column(JSON, default=list)
    interests: Mapped[list] = mapped_column(JSON, default=list)
    # An organisation's champions (member ids), who may organise events for it.
    champions: Mapped[list | None] = mapped_column(JSON, nullable=True)


class Listing(SearchColumns, Base):
    """A member's entry in the directory. `public` while the member may be listed;
    the `own_*` columns hold what the owner wrote here, overriding the profile."""

    __tablename__ = "listings"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(String(36), unique=True)
    member_id: Mapped[str] = mapped_column(String(36), unique=True)
    public: Mapped[bool] = mapped_column(Boolean, index=True)
    kind: Mapped[str] = mapped_column(String(20), index=True)
    name: Mapped[str] = mapped_column(String(200))
    sort_name: Mapped[str] = mapped_column(String(200), index=True)
    home_area: Mapped[str] = mapped_column(String(9))
    profile_skills: Mapped[list] = mapped_column(JSON, default=list)
    profile_interests: Mapped[list] = mapped_column(JSON, default=list)
    organisation: Mapped[str | None] = mapped_column(String(200), nullable=True)
    description: Mapped[str | None] = mapped_column(Text, nullable=True)
    own_skills: Mapped[list | None] = mapped_column(JSON, nullable=True)
    own_interests: Mapped[list | None] = mapped_column(JSON, nullable=True)
    assets: Mapped[list] = mapped_column(JSON, default=list)
    own_areas: Mapped[list | None] = mapped_column(JSON, nullable=True)
    all_wales: Mapped[bool] = mapped_column(Boolean, default=False)
    place_name: Mapped[str | None] = mapped_column(String(200), nullable=True)
    latitude: Mapped[float | None] = mapped_column(Float, nullable=True)
    longitude: Mapped[float | None] = mapped_column(Float, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    published_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    last_reviewed_at: Mapped[datetime] = mapped_column(UtcDateTime)
    review_due_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)

    # Covers the bounding box of a search near a point, without reading rows.
    __table_args__ = (Index("ix_listings_place", "latitude", "longitude", "seq"),)


class ListingArea(Base):
    """One row per principal area a listing serves (all 22 for all of Wales)."""

    __tablename__ = "listing_areas"

    listing_seq: Mapped[int] = mapped_column(
        ForeignKey("listings.seq", ondelete="CASCADE"), primary_key=True
    )
    area: Mapped[str] = mapped_column(String(9), primary_key=True, index=True)


class ListingTag(Base):
    """One row per tag on a listing: a code of the vocabulary, or a free tag whose
    key is its folded text."""

    __tablename__ = "listing_tags"

    listing_seq: Mapped[int] = mapped_column(
        ForeignKey("listings.seq", ondelete="CASCADE"), primary_key=True
    )
    key: Mapped[str] = mapped_column(String(80), primary_key=True, index=True)
    label: Mapped[str] = mapped_column(String(80))


class ListingWords(Base):
    """PostgreSQL's full-text index of listings: one plain `tsvector` per listing,
    in a narrow table of its own (empty vectors on SQLite, which uses FTS5)."""

    __tablename__ = "listing_words"

    listing_seq: Mapped[int] = mapped_column(
        ForeignKey("listings.seq", ondelete="CASCADE"), primary_key=True
    )
    words: Mapped[str | None] = mapped_column(SearchVector, nullable=True)


class ListingChange(Base):
    """A log of listings changed, written with each change, so every copy of the
    service can bring its search index up to date (services.directory.searchindex)."""

    __tablename__ = "listing_changes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    listing_seq: Mapped[int] = mapped_column(Integer)
    changed_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)


class Post(SearchColumns, Base):
    """An offer or a request of time, skills, experience or resources."""

    __tablename__ = "posts"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(String(36), unique=True)
    member_id: Mapped[str] = mapped_column(String(36), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    category: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    area: Mapped[str | None] = mapped_column(String(9), nullable=True)
    tags: Mapped[list] = mapped_column(JSON, default=list)
    tag_keys: Mapped[str] = mapped_column(Text, default="")
    ends_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10))
    posted_at: Mapped[datetime] = mapped_column(UtcDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    search_vector: Mapped[str | None] = mapped_column(SearchVector, nullable=True)

    __table_args__ = (Index("ix_posts_open", "status", "ends_on"),)


class Response(Base):
    """A member's answer to a post, and how far the two have got in agreeing."""

    __tablename__ = "responses"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    post_id: Mapped[str] = mapped_column(
        ForeignKey("posts.id", ondelete="CASCADE"), index=True
    )
    responder_id: Mapped[str] = mapped_column(String(36), index=True)
    message: Mapped[str] = mapped_column(Text)
    sent_at: Mapped[datetime] = mapped_column(UtcDateTime)
    hours: Mapped[float | None] = mapped_column(Float, nullable=True)
    poster_agreed_at: Mapped[datetime | None] = mapped_column(
        UtcDateTime, nullable=True
    )
    responder_agreed_at: Mapped[datetime | None] = mapped_column(
        UtcDateTime, nullable=True
    )
    exchange_id: Mapped[str | None] = mapped_column(String(36), nullable=True)


class Exchange(Base):
    """Sharing that happened. The member ids are emptied when either member leaves
    with erasure; the counts stay."""

    __tablename__ = "exchanges"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    post_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    giver_id: Mapped[str | None] = mapped_column(String(36), nullable=True, index=True)
    receiver_id: Mapped[str | None] = mapped_column(
        String(36), nullable=True, index=True
    )
    category: Mapped[str] = mapped_column(String(20))
    hours: Mapped[float | None] = mapped_column(Float, nullable=True)
    area: Mapped[str | None] = mapped_column(String(9), nullable=True, index=True)
    agreed_at: Mapped[datetime] = mapped_column(UtcDateTime)


class Event(Base):
    """An event or training session: `proposed` by a member until a coordinator
    approves it (`published`), or `rejected`; `cancelled` by its organiser.
    `taken` counts the places taken, changed only while the row is locked;
    `sequence` grows with every change, as iCalendar's SEQUENCE."""

    __tablename__ = "events"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    organiser_id: Mapped[str] = mapped_column(String(36), index=True)
    proposed_by: Mapped[str] = mapped_column(String(36))
    status: Mapped[str] = mapped_column(String(12), index=True)
    kind: Mapped[str] = mapped_column(String(12))
    title_cy: Mapped[str | None] = mapped_column(String(200), nullable=True)
    title_en: Mapped[str | None] = mapped_column(String(200), nullable=True)
    description_cy: Mapped[str | None] = mapped_column(Text, nullable=True)
    description_en: Mapped[str | None] = mapped_column(Text, nullable=True)
    starts_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    ends_at: Mapped[datetime] = mapped_column(UtcDateTime)
    area: Mapped[str | None] = mapped_column(String(9), nullable=True, index=True)
    place_name: Mapped[str | None] = mapped_column(String(200), nullable=True)
    online: Mapped[bool] = mapped_column(Boolean, default=False)
    online_link: Mapped[str | None] = mapped_column(String(500), nullable=True)
    places: Mapped[int] = mapped_column(Integer)
    taken: Mapped[int] = mapped_column(Integer, default=0)
    audience: Mapped[str | None] = mapped_column(Text, nullable=True)
    accessibility: Mapped[str | None] = mapped_column(Text, nullable=True)
    language: Mapped[str] = mapped_column(String(4))
    principles: Mapped[list] = mapped_column(JSON, default=list)
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    published_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    cancelled_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


class EventPlace(Base):
    """A member's sign-up: a `place`, or `waiting` in the order of `seq`.
    `attended` is what the organiser marked after the event began."""

    __tablename__ = "event_places"
    __table_args__ = (UniqueConstraint("event_id", "member_id"),)

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    event_id: Mapped[str] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), index=True
    )
    member_id: Mapped[str] = mapped_column(String(36), index=True)
    status: Mapped[str] = mapped_column(String(8))
    signed_up_at: Mapped[datetime] = mapped_column(UtcDateTime)
    attended: Mapped[bool | None] = mapped_column(Boolean, nullable=True)


class EventReminder(Base):
    """One row per reminder sent, keyed `<event>:<member>:<start>`: of several
    copies of the service, only the one whose insert wins sends it."""

    __tablename__ = "event_reminders"

    key: Mapped[str] = mapped_column(String(120), primary_key=True)
    event_id: Mapped[str] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), index=True
    )
    member_id: Mapped[str] = mapped_column(String(36), index=True)
    sent_at: Mapped[datetime] = mapped_column(UtcDateTime)


class OutboxEvent(OutboxMixin, Base):
    __tablename__ = "outbox"


class InboxEvent(InboxMixin, Base):
    __tablename__ = "inbox"
