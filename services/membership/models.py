"""The membership service's tables. A member who left with erasure keeps only
their row's id, status and version, so that later events about them are refused."""

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from infra.inbox import InboxMixin
from infra.outbox import OutboxMixin
from infra.types import UtcDateTime


class Base(DeclarativeBase):
    pass


class Member(Base):
    __tablename__ = "members"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    access_role: Mapped[str] = mapped_column(String(20), default="member")
    status: Mapped[str] = mapped_column(String(20), index=True)
    version: Mapped[int] = mapped_column(Integer)
    name: Mapped[str | None] = mapped_column(String(200), nullable=True)
    email: Mapped[str | None] = mapped_column(String(320), nullable=True)
    email_key: Mapped[str | None] = mapped_column(
        String(320), unique=True, nullable=True
    )
    language: Mapped[str | None] = mapped_column(String(2), nullable=True)
    area: Mapped[str | None] = mapped_column(String(9), nullable=True)
    postcode: Mapped[str | None] = mapped_column(String(8), nullable=True)
    sector: Mapped[str | None] = mapped_column(String(20), nullable=True)
    role: Mapped[str | None] = mapped_column(String(120), nullable=True)
    about_life: Mapped[str | None] = mapped_column(Text, nullable=True)
    about_work: Mapped[str | None] = mapped_column(Text, nullable=True)
    about_community: Mapped[str | None] = mapped_column(Text, nullable=True)
    interests: Mapped[list] = mapped_column(JSON, default=list)
    skills: Mapped[list] = mapped_column(JSON, default=list)
    consents: Mapped[dict] = mapped_column(JSON, default=dict)
    principles_version: Mapped[str | None] = mapped_column(String(20), nullable=True)
    joined_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    verified_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    last_active_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    left_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


class StatusChange(Base):
    """Each status a member entered and when: the drive counts from these."""

    __tablename__ = "status_changes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    member_id: Mapped[str] = mapped_column(ForeignKey("members.id"), index=True)
    status: Mapped[str] = mapped_column(String(20))
    at: Mapped[datetime] = mapped_column(UtcDateTime)


class ConsentChange(Base):
    __tablename__ = "consent_changes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    member_id: Mapped[str] = mapped_column(ForeignKey("members.id"), index=True)
    consent: Mapped[str] = mapped_column(String(30))
    given: Mapped[bool] = mapped_column(Boolean)
    at: Mapped[datetime] = mapped_column(UtcDateTime)


class Champion(Base):
    """A person an organisation named as its co-production champion, by address;
    `member_id` is filled in once a member with that address is confirmed."""

    __tablename__ = "champions"
    __table_args__ = (UniqueConstraint("organisation_id", "email_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    organisation_id: Mapped[str] = mapped_column(ForeignKey("members.id"), index=True)
    email_key: Mapped[str] = mapped_column(String(320), index=True)
    member_id: Mapped[str | None] = mapped_column(
        ForeignKey("members.id"), nullable=True, index=True
    )


class Promise(Base):
    """Every version of a member's Co-production Promise, numbered from 1."""

    __tablename__ = "promises"
    __table_args__ = (UniqueConstraint("member_id", "number"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    member_id: Mapped[str] = mapped_column(ForeignKey("members.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    focus: Mapped[str | None] = mapped_column(String(40), nullable=True)
    by_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class PublishedPrinciples(Base):
    __tablename__ = "published_principles"

    version: Mapped[str] = mapped_column(String(20), primary_key=True)
    published_at: Mapped[datetime] = mapped_column(UtcDateTime)


class PrinciplesAgreement(Base):
    __tablename__ = "principles_agreements"
    __table_args__ = (UniqueConstraint("member_id", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    member_id: Mapped[str] = mapped_column(ForeignKey("members.id"), index=True)
    version: Mapped[str] = mapped_column(String(20))
    agreed_at: Mapped[datetime] = mapped_column(UtcDateTime)


class Link(Base):
    """A single-use link; only the hash of its token is kept."""

    __tablename__ = "links"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    member_id: Mapped[str] = mapped_column(ForeignKey("members.id"), index=True)
    purpose: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    used_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


class Feedback(Base):
    """Feedback a member gave, as `FeedbackSubmitted` told it: keeps them active."""

    __tablename__ = "feedback"

    feedback_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    member_id: Mapped[str] = mapped_column(ForeignKey("members.id"), index=True)
    round: Mapped[int] = mapped_column(Integer)
    submitted_at: Mapped[datetime] = mapped_column(UtcDateTime)


class BadgeEdition(Base):
    """How many badges of an edition were issued; its row is locked to award one."""

    __tablename__ = "badge_editions"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    issued: Mapped[int] = mapped_column(Integer, default=0)


class Badge(Base):
    __tablename__ = "badges"
    __table_args__ = (UniqueConstraint("edition", "number"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    member_id: Mapped[str] = mapped_column(
        ForeignKey("members.id"), unique=True, index=True
    )
    edition: Mapped[str] = mapped_column(ForeignKey("badge_editions.name"))
    number: Mapped[int] = mapped_column(Integer)
    salt: Mapped[str | None] = mapped_column(String(64), nullable=True)
    identity_hash: Mapped[str | None] = mapped_column(String(80), nullable=True)
    awarded_at: Mapped[datetime] = mapped_column(UtcDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    revocation_reason: Mapped[str | None] = mapped_column(String(200), nullable=True)


class Campaign(Base):
    __tablename__ = "campaigns"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    target: Mapped[int] = mapped_column(Integer)
    starts_on: Mapped[date] = mapped_column(Date)
    deadline: Mapped[date] = mapped_column(Date)
    set_at: Mapped[datetime] = mapped_column(UtcDateTime)


class IdempotentJoin(Base):
    """The answer given to a join sent with an `Idempotency-Key`."""

    __tablename__ = "idempotent_joins"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(64))
    answer: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)


class ApiKey(Base):
    """A partner system's key. Only the SHA-256 of its secret part is kept; the
    `prefix` is the public part that finds the row and names the key in lists."""

    __tablename__ = "api_keys"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    prefix: Mapped[str] = mapped_column(String(16), unique=True)
    secret_hash: Mapped[str] = mapped_column(String(64))
    partner: Mapped[str] = mapped_column(String(60), index=True)
    label: Mapped[str] = mapped_column(String(200))
    scopes: Mapped[list] = mapped_column(JSON, default=list)
    created_by: Mapped[str | None] = mapped_column(String(36), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


class Suggestion(Base):
    """A suggestion to improve one of the site's forms, and a coordinator's
    answer. `member_id` is set when a signed-in member made it; `email` only
    when someone not signed in asked for an answer."""

    __tablename__ = "suggestions"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    form: Mapped[str] = mapped_column(String(40), index=True)
    text: Mapped[str] = mapped_column(Text)
    language: Mapped[str | None] = mapped_column(String(2), nullable=True)
    member_id: Mapped[str | None] = mapped_column(
        ForeignKey("members.id"), nullable=True, index=True
    )
    email: Mapped[str | None] = mapped_column(String(320), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    answer: Mapped[str | None] = mapped_column(Text, nullable=True)
    answered_by: Mapped[str | None] = mapped_column(String(36), nullable=True)
    answered_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


class OutboxEvent(OutboxMixin, Base):
    __tablename__ = "outbox"


class InboxEvent(InboxMixin, Base):
    __tablename__ = "inbox"
