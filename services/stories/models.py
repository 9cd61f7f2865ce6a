"""The stories service's tables.

Answers are kept twice, in one transaction: as said, in a narrow table (one
row per answered question, chosen option or placed stone), which is what a
story is read back and exported from; and for counting, in `story_facts`, one
row per story with a typed column per question slot and the triad zone / dyad
band worked out on the way in, so the evaluation is one scan in SQL."""

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from infra.inbox import InboxMixin
from infra.members import MemberCopyMixin
from infra.outbox import OutboxMixin
from infra.types import UtcDateTime


class Base(DeclarativeBase):
    pass


class Story(Base):
    """A told story. `member_id` is empty once its teller was erased with
    `anonymise`; `area` and `member_kind` are the teller's when it was told."""

    __tablename__ = "stories"
    __table_args__ = (
        Index("ix_stories_sharing_submitted", "sharing", "submitted_at"),
        Index(
            "ix_stories_member_idempotency_key",
            "member_id",
            "idempotency_key",
            unique=True,
        ),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    member_id: Mapped[str | None] = mapped_column(String(36), index=True)
    occasion: Mapped[str] = mapped_column(String(20))
    round: Mapped[int | None] = mapped_column(Integer)
    framework_version: Mapped[str] = mapped_column(String(20))
    prompt: Mapped[str | None] = mapped_column(String(50))
    title: Mapped[str | None] = mapped_column(String(200))
    text: Mapped[str | None] = mapped_column(Text)
    sharing: Mapped[str] = mapped_column(String(20))
    language: Mapped[str] = mapped_column(String(2))
    area: Mapped[str | None] = mapped_column(String(9))
    member_kind: Mapped[str | None] = mapped_column(String(20))
    anonymised: Mapped[bool] = mapped_column(Boolean, default=False)
    submitted_at: Mapped[datetime] = mapped_column(UtcDateTime)
    # The `Idempotency-Key` the teller's client sent, unique per teller, and a
    # digest of the request it came with: a repeat gets the story kept first.
    idempotency_key: Mapped[str | None] = mapped_column(String(200))
    request_digest: Mapped[str | None] = mapped_column(String(64))


class StoryAnswer(Base):
    """One answer; `item` is the chosen option, the placed stone, or ''."""

    __tablename__ = "story_answers"
    __table_args__ = {"sqlite_with_rowid": False}

    story_id: Mapped[str] = mapped_column(
        ForeignKey("stories.id", ondelete="CASCADE"), primary_key=True
    )
    question: Mapped[str] = mapped_column(String(50), primary_key=True)
    item: Mapped[str] = mapped_column(String(50), primary_key=True, default="")
    type: Mapped[str] = mapped_column(String(10))
    not_applicable: Mapped[bool] = mapped_column(Boolean, default=False)
    a: Mapped[float | None] = mapped_column(Float)
    b: Mapped[float | None] = mapped_column(Float)
    c: Mapped[float | None] = mapped_column(Float)
    zone: Mapped[str | None] = mapped_column(String(6))
    cell: Mapped[int | None] = mapped_column(Integer)
    band: Mapped[int | None] = mapped_column(Integer)
    other_text: Mapped[str | None] = mapped_column(String(200))


def _slot_columns() -> list[Column]:
    """Typed columns for counting, per `framework.SLOTS` (a slot more means a
    migration). Triad tN: zone code (0-6 as in `zones.ZONES`, -1 not
    applicable), shares, grid cell; dyad dN: value and band (1-5, 0 not
    applicable); single sN: option code (-1 not applicable); multiple mN: bit
    per option code (-1 not applicable). NULL is no answer."""
    columns = []
    for n in range(1, 7):
        columns += [
            Column(f"t{n}_zone", SmallInteger),
            Column(f"t{n}_cell", SmallInteger),
        ]
        columns += [Column(f"t{n}_{share}", Float) for share in "abc"]
    for n in range(1, 11):
        columns += [Column(f"d{n}", Float), Column(f"d{n}_band", SmallInteger)]
    columns += [Column(f"s{n}", SmallInteger) for n in range(1, 11)]
    columns += [Column(f"m{n}", Integer) for n in range(1, 5)]
    return columns


story_facts = Table(
    "story_facts",
    Base.metadata,
    Column(
        "story_id",
        String(36),
        ForeignKey("stories.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("member_id", String(36)),
    Column("sharing", String(20), nullable=False),
    Column("occasion", String(20), nullable=False),
    Column("round", Integer),
    Column("area", String(9)),
    Column("member_kind", String(20)),
    Column("submitted_at", DateTime(timezone=True), nullable=False),
    *_slot_columns(),
    Index("ix_story_facts_member_round", "member_id", "occasion", "round"),
    comment="One row per story with its answers in typed columns, for counting.",
)


class Member(MemberCopyMixin, Base):
    """What stories needs to know about a member, kept from membership's events.
    `anchor_on` is the London date their rounds count from."""

    __tablename__ = "members"

    area: Mapped[str | None] = mapped_column(String(9))
    kind: Mapped[str | None] = mapped_column(String(20))
    language: Mapped[str | None] = mapped_column(String(2))
    share_progress: Mapped[bool] = mapped_column(Boolean, default=False)
    anchor_on: Mapped[date | None] = mapped_column(Date)
    next_round: Mapped[int] = mapped_column(Integer, default=1)
    next_due_on: Mapped[date | None] = mapped_column(Date, index=True)


class FeedbackRound(Base):
    """A round that fell due; the primary key makes each one happen once."""

    __tablename__ = "feedback_rounds"

    member_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    round: Mapped[int] = mapped_column(Integer, primary_key=True)
    due_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10))
    requested_at: Mapped[datetime] = mapped_column(UtcDateTime)


class Feedback(Base):
    """Progress on the promise for one round. `shared` is the member's consent
    when they gave it; what is shown also follows their consent now."""

    __tablename__ = "feedback"
    __table_args__ = (UniqueConstraint("member_id", "round"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    member_id: Mapped[str | None] = mapped_column(String(36), index=True)
    round: Mapped[int] = mapped_column(Integer)
    rating: Mapped[int] = mapped_column(Integer)
    progress: Mapped[str | None] = mapped_column(Text)
    shared: Mapped[bool] = mapped_column(Boolean)
    area: Mapped[str | None] = mapped_column(String(9), index=True)
    story_id: Mapped[str | None] = mapped_column(String(36))
    submitted_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)


class FeedbackPrinciple(Base):
    """A principle the member's progress speaks to."""

    __tablename__ = "feedback_principles"

    feedback_id: Mapped[str] = mapped_column(
        ForeignKey("feedback.id", ondelete="CASCADE"), primary_key=True
    )
    principle: Mapped[str] = mapped_column(String(30), primary_key=True, index=True)


class OutboxEvent(OutboxMixin, Base):
    __tablename__ = "outbox"


class InboxEvent(InboxMixin, Base):
    __tablename__ = "inbox"
