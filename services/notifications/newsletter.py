"""Newsletter issues: a generated draft that a coordinator edits, previews and
sends; its progress; the archive of past issues.

Sending writes one delivery per subscriber in one transaction, with the reason
`newsletter:<issue>:<member>`, and leaves the rest to the send timer: a crash
part-way leaves the unsent ones pending and the sent ones sent, so sending
resumes by itself and nobody gets a second copy. When no delivery of the issue
is left to go, the issue is marked sent and `NewsletterIssued` announced."""

import logging
import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from infra.outbox import record_event
from services.notifications import (
    deliveries,
    links,
    london,
    members,
    messages,
    sources,
)
from services.notifications.exceptions import IssueNotDraft, IssueNotFound
from services.notifications.models import (
    Contact,
    Delivery,
    Issue,
    Member,
    OutboxEvent,
    Subscription,
)
from services.notifications.settings import Settings

logger = logging.getLogger(__name__)

PUBLISHED = ("sending", "sent")


def draft(session: Session, coordinator_id: str | None, now: datetime) -> Issue:
    """A new draft from everything since the last issue went out."""
    with session.begin():
        since = session.scalar(select(func.max(Issue.sending_at)))
        issue = Issue(
            id=str(uuid.uuid4()),
            status="draft",
            content=_content(session, since, now),
            created_by=coordinator_id,
            created_at=now,
            updated_at=now,
            recipients=0,
        )
        session.add(issue)
    logger.info("newsletter.drafted issue=%s", issue.id)
    return issue


def edit(session: Session, issue_id: str, changes: dict[str, Any]) -> Issue:
    """Change the titles and introductions, and leave out chosen items."""
    with session.begin():
        issue = _draft(session, issue_id)
        content = dict(issue.content)
        for part in ("title", "intro"):
            for lang in messages.BOTH:
                if f"{part}_{lang}" in changes:
                    content[part] = {**content[part], lang: changes[f"{part}_{lang}"]}
        dropped = set(changes.get("drop", []))
        content["sections"] = [
            {**s, "items": [i for i in s["items"] if i["id"] not in dropped]}
            for s in content["sections"]
        ]
        issue.content, issue.updated_at = content, datetime.now(UTC)
    return issue


def send(session: Session, issue_id: str, now: datetime) -> dict[str, Any]:
    """Number the issue and write a delivery for every subscriber."""
    with session.begin():
        issue = _draft(session, issue_id)
        issue.number = (session.scalar(select(func.max(Issue.number))) or 0) + 1
        issue.status, issue.sending_at = "sending", now
        written = [
            deliveries.queue(
                session,
                f"newsletter:{issue.id}:{subscription.member_id}",
                "newsletter",
                subscription.member_id,
                {"subscription_id": subscription.id},
                issue_id=issue.id,
            )
            for subscription in _subscribers(session)
        ]
        issue.recipients = len([d for d in written if d is not None])
    logger.info("newsletter.sending issue=%s recipients=%s", issue.id, issue.recipients)
    return progress(session, issue_id)


def progress(session: Session, issue_id: str) -> dict[str, Any]:
    with session.begin():
        issue = get(session, issue_id)
        counts = dict(
            session.execute(
                select(Delivery.status, func.count())
                .where(Delivery.issue_id == issue_id)
                .group_by(Delivery.status)
            ).all()
        )
    done = sum(counts.get(s, 0) for s in deliveries.FINISHED)
    return {
        "issue_id": issue.id,
        "status": issue.status,
        "recipients": issue.recipients,
        "sent": counts.get("sent", 0),
        "failed": counts.get("failed", 0) + counts.get("uncertain", 0),
        "cancelled": counts.get("cancelled", 0),
        "to_go": issue.recipients - done,
    }


def complete(session: Session, settings: Settings, now: datetime) -> int:
    """Mark sent the issues with nothing left to go, announcing each once."""
    with session.begin():
        sending = session.scalars(select(Issue.id).where(Issue.status == "sending"))
        finished = [i for i in sending.all() if not _to_go(session, i)]
    return sum(_issued(session, settings, issue_id, now) for issue_id in finished)


def get(session: Session, issue_id: str) -> Issue:
    issue = session.get(Issue, issue_id, populate_existing=True)
    if issue is None:
        raise IssueNotFound(f"No newsletter issue {issue_id}.")
    return issue


def issues(
    session: Session, statuses: tuple[str, ...], page: int, per_page: int
) -> dict[str, Any]:
    query = select(Issue)
    if statuses:
        query = query.where(Issue.status.in_(statuses))
    with session.begin():
        total = session.scalar(select(func.count()).select_from(query.subquery()))
        rows = session.scalars(
            query.order_by(Issue.number.desc(), Issue.created_at.desc())
            .offset((page - 1) * per_page)
            .limit(per_page)
        ).all()
    return {"items": rows, "total": total, "page": page, "per_page": per_page}


def erase(session: Session, member_id: str, stories_choice: str) -> None:
    """Take a member's words and name out of every issue, drafts and archive."""
    for issue in session.scalars(select(Issue)).all():
        issue.content = _without(issue.content, member_id, stories_choice)


def _without(content: dict, member_id: str, stories_choice: str) -> dict:
    sections = []
    for section in content["sections"]:
        items = []
        for item in section["items"]:
            if "people" in item:
                people = [p for p in item["people"] if p["member_id"] != member_id]
                item = {**item, "people": people}
            if item.get("member_id") == member_id:
                if section["kind"] != "stories" or stories_choice == "delete":
                    continue
                item = {**item, "member_id": None}
            items.append(item)
        sections.append({**section, "items": items})
    return {**content, "sections": sections}


def _content(session: Session, since: datetime | None, now: datetime) -> dict:
    today = london.today(now)
    month = {
        lang: london.format_day(today, lang).split(" ", 1)[1] for lang in ("cy", "en")
    }
    return {
        "title": {
            "cy": f"Cylchlythyr y Rhwydwaith Cyd-gynhyrchu: {month['cy']}",
            "en": f"Co-production Network newsletter: {month['en']}",
        },
        "intro": {"cy": "", "en": ""},
        "sections": [
            {"kind": "drive", "items": sources.drive(session, today)},
            {"kind": "new_members", "items": sources.new_members(session, since)},
            {"kind": "progress", "items": sources.progress(session, since)},
            {"kind": "stories", "items": sources.stories(session, since)},
            {"kind": "offers", "items": sources.open_posts(session, "offer", today)},
            {
                "kind": "requests",
                "items": sources.open_posts(session, "request", today),
            },
        ],
    }


def _draft(session: Session, issue_id: str) -> Issue:
    issue = session.get(Issue, issue_id, with_for_update=True)
    if issue is None:
        raise IssueNotFound(f"No newsletter issue {issue_id}.")
    if issue.status != "draft":
        raise IssueNotDraft("This issue has been sent and can no longer change.")
    return issue


def _subscribers(session: Session) -> list[Subscription]:
    query = (
        select(Subscription)
        .join(Member, Member.member_id == Subscription.member_id)
        .join(Contact, Contact.member_id == Subscription.member_id)
        .where(
            Subscription.consent.is_(True)
            & Subscription.opted_out.is_(False)
            & Member.status.in_(members.LISTABLE)
        )
        .order_by(Subscription.created_at)
    )
    return list(session.scalars(query))


def _to_go(session: Session, issue_id: str) -> int:
    return session.scalar(
        select(func.count())
        .select_from(Delivery)
        .where(
            (Delivery.issue_id == issue_id)
            & Delivery.status.in_(("pending", "sending"))
        )
    )


def _issued(session: Session, settings: Settings, issue_id: str, now: datetime) -> int:
    with session.begin():
        won = session.execute(
            update(Issue)
            .where((Issue.id == issue_id) & (Issue.status == "sending"))
            .values(status="sent", issued_at=now)
        ).rowcount
        if not won:
            return 0
        issue = session.get(Issue, issue_id, populate_existing=True)
        record_event(
            session,
            OutboxEvent,
            "NewsletterIssued",
            issue.id,
            {
                "issue_id": issue.id,
                "number": issue.number,
                "title_cy": issue.content["title"]["cy"],
                "title_en": issue.content["title"]["en"],
                "url": links.issue(settings, issue.number),
                "issued_at": now,
            },
        )
    logger.info("newsletter.issued issue=%s number=%s", issue_id, issue.number)
    return 1
