"""The notifications service's tables. What a member typed is kept only as long
as a message or an issue needs it; the delivery log never keeps a body."""

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
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


class Base(DeclarativeBase):
    pass


class Delivery(Base):
    """One e-mail for one reason: what, to whom, when and how it went; never the
    body. `context` holds what the template needs only until the message has
    gone; a single-use link's token is kept sealed in `secret` until then."""

    __tablename__ = "deliveries"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    reason: Mapped[str] = mapped_column(String(200), unique=True)
    template: Mapped[str] = mapped_column(String(50), index=True)
    member_id: Mapped[str] = mapped_column(String(36), index=True)
    about_member_id: Mapped[str | None] = mapped_column(
        String(36), nullable=True, index=True
    )
    issue_id: Mapped[str | None] = mapped_column(String(36), nullable=True, index=True)
    recipient: Mapped[str | None] = mapped_column(String(320), nullable=True)
    language: Mapped[str | None] = mapped_column(String(5), nullable=True)
    context: Mapped[dict] = mapped_column(JSON)
    secret: Mapped[str | None] = mapped_column(Text, nullable=True)
    status: Mapped[str] = mapped_column(String(20), index=True)
    phase: Mapped[str | None] = mapped_column(String(20), nullable=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    next_attempt_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    claimed_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    failed_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


class Contact(Base):
    """Where to write to a member, kept from `ContactDetailsChanged`."""

    __tablename__ = "contacts"

    member_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    version: Mapped[int] = mapped_column(Integer)
    email: Mapped[str] = mapped_column(String(320))
    name: Mapped[str] = mapped_column(String(200))
    language: Mapped[str | None] = mapped_column(String(5), nullable=True)
    newsletter: Mapped[bool] = mapped_column(Boolean)


class Member(MemberCopyMixin, Base):
    """Our copy of a member from the snapshots; a tombstone after `MemberLeft`."""

    __tablename__ = "members"

    name: Mapped[str | None] = mapped_column(String(200), nullable=True)
    language: Mapped[str | None] = mapped_column(String(5), nullable=True)
    area: Mapped[str | None] = mapped_column(String(9), nullable=True, index=True)
    listed: Mapped[bool] = mapped_column(Boolean, default=False)
    newsletter: Mapped[bool] = mapped_column(Boolean, default=False)
    verified_at: Mapped[datetime | None] = mapped_column(
        UtcDateTime, nullable=True, index=True
    )


class Subscription(Base):
    """A member's newsletter subscription. `consent` follows membership's record;
    `opted_out` is a one-click unsubscribe, kept until membership's record says
    no as well (a later yes is then a fresh consent)."""

    __tablename__ = "subscriptions"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    member_id: Mapped[str] = mapped_column(String(36), unique=True)
    consent: Mapped[bool] = mapped_column(Boolean)
    consent_version: Mapped[int] = mapped_column(Integer)
    opted_out: Mapped[bool] = mapped_column(Boolean, default=False)
    opted_out_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class FeedbackReceived(Base):
    """A round of feedback that arrived, so its reminder is not sent."""

    __tablename__ = "feedback_received"

    member_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    round: Mapped[int] = mapped_column(Integer, primary_key=True)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime)


class SharedProgress(Base):
    """Progress a member agreed to share with other members, for the newsletter."""

    __tablename__ = "shared_progress"

    feedback_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    member_id: Mapped[str] = mapped_column(String(36), index=True)
    text: Mapped[str] = mapped_column(Text)
    area: Mapped[str | None] = mapped_column(String(9), nullable=True)
    submitted_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)


class PublicStory(Base):
    """A story its teller made public; `member_id` is emptied if anonymised."""

    __tablename__ = "public_stories"

    story_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    member_id: Mapped[str | None] = mapped_column(String(36), nullable=True, index=True)
    title: Mapped[str] = mapped_column(String(300))
    text: Mapped[str] = mapped_column(Text)
    language: Mapped[str | None] = mapped_column(String(5), nullable=True)
    submitted_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)


class Post(Base):
    """An offer or a request from the directory, while it is open."""

    __tablename__ = "posts"

    post_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    member_id: Mapped[str] = mapped_column(String(36), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    category: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(300))
    area: Mapped[str | None] = mapped_column(String(9), nullable=True)
    ends_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    posted_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)


class Campaign(Base):
    """A membership drive as `CampaignSet` last announced it."""

    __tablename__ = "campaigns"

    campaign_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    target: Mapped[int] = mapped_column(Integer)
    starts_on: Mapped[date] = mapped_column(Date)
    deadline: Mapped[date] = mapped_column(Date)
    set_at: Mapped[datetime] = mapped_column(UtcDateTime)


class ScheduledJob(Base):
    """One due item of the calendar; `key` makes each item exist once."""

    __tablename__ = "scheduled_jobs"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    kind: Mapped[str] = mapped_column(String(50))
    key: Mapped[str] = mapped_column(String(200), unique=True)
    member_id: Mapped[str | None] = mapped_column(String(36), nullable=True, index=True)
    payload: Mapped[dict] = mapped_column(JSON)
    due_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    status: Mapped[str] = mapped_column(String(20), index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    done_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


class Issue(Base):
    """A newsletter issue: a draft until sent; `content` is its sections."""

    __tablename__ = "newsletter_issues"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    number: Mapped[int | None] = mapped_column(Integer, unique=True, nullable=True)
    status: Mapped[str] = mapped_column(String(20), index=True)
    content: Mapped[dict] = mapped_column(JSON)
    created_by: Mapped[str | None] = mapped_column(String(36), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    sending_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    issued_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    recipients: Mapped[int] = mapped_column(Integer, default=0)


class WebhookSubscription(Base):
    """A partner's endpoint and the public event types it asked for."""

    __tablename__ = "webhook_subscriptions"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    owner: Mapped[str] = mapped_column(String(100), index=True)
    url: Mapped[str] = mapped_column(String(2000))
    secret: Mapped[str] = mapped_column(Text)
    event_types: Mapped[list] = mapped_column(JSON)
    description: Mapped[str | None] = mapped_column(String(300), nullable=True)
    status: Mapped[str] = mapped_column(String(20), index=True)
    failing_since: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    paused_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class WebhookDelivery(Base):
    """One event for one endpoint; `id` is the `webhook-id` every retry repeats."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (UniqueConstraint("subscription_id", "event_id"),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    subscription_id: Mapped[str] = mapped_column(String(36), index=True)
    event_id: Mapped[str] = mapped_column(String(36))
    event_type: Mapped[str] = mapped_column(String(80))
    member_id: Mapped[str | None] = mapped_column(String(36), nullable=True, index=True)
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    next_attempt_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    delivered_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


class WebhookAttempt(Base):
    """What came back from one try of a webhook delivery."""

    __tablename__ = "webhook_attempts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    delivery_id: Mapped[str] = mapped_column(String(40), index=True)
    attempted_at: Mapped[datetime] = mapped_column(UtcDateTime)
    status_code: Mapped[int | None] = mapped_column(Integer, nullable=True)
    response: Mapped[str | None] = mapped_column(Text, nullable=True)
    error: Mapped[str | None] = mapped_column(String(300), nullable=True)
    ms: Mapped[int] = mapped_column(Integer)


class OutboxEvent(OutboxMixin, Base):
    __tablename__ = "outbox"


class InboxEvent(InboxMixin, Base):
    __tablename__ = "inbox"


class WebhookInboxEvent(InboxMixin, Base):
    """Events already fanned out to partners (apart from `inbox`, because the
    same event is also applied by this service's own handlers)."""

    __tablename__ = "webhook_inbox"
