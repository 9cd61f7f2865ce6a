"""What the newsletter draws on, kept from other services' events: public
stories, open offers and requests, the drive. (New members come from our member
copies, shared progress from `feedback`.) Each list below is what a draft shows."""

from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from infra.inbox import first_delivery
from services.notifications import members
from services.notifications.models import (
    Campaign,
    InboxEvent,
    Member,
    Post,
    PublicStory,
    SharedProgress,
)

LIMIT = 12


def story_submitted(session: Session, envelope: dict, story: dict[str, Any]) -> None:
    """Keep a story only when its teller made it public and it has words."""
    with session.begin():
        if not first_delivery(session, InboxEvent, envelope):
            return
        member_id = str(story["member_id"])
        public = story["sharing"] == "public" and story["title"] and story["text"]
        if not public or members.has_left(session, member_id):
            return
        if session.get(PublicStory, str(story["story_id"])) is None:
            session.add(
                PublicStory(
                    story_id=str(story["story_id"]),
                    member_id=member_id,
                    title=story["title"],
                    text=story["text"],
                    language=story["language"],
                    submitted_at=story["submitted_at"],
                )
            )


def posted(session: Session, envelope: dict, kind: str, post: dict[str, Any]) -> None:
    with session.begin():
        if not first_delivery(session, InboxEvent, envelope):
            return
        if members.has_left(session, str(post["member_id"])):
            return
        if session.get(Post, str(post["post_id"])) is None:
            session.add(
                Post(
                    post_id=str(post["post_id"]),
                    member_id=str(post["member_id"]),
                    kind=kind,
                    category=post["category"],
                    title=post["title"],
                    area=post["area"],
                    ends_on=post["ends_on"],
                    posted_at=post["posted_at"],
                )
            )


def campaign_set(session: Session, envelope: dict, campaign: dict[str, Any]) -> None:
    """Keep the drive as last announced (a later `set_at` wins)."""
    with session.begin():
        if not first_delivery(session, InboxEvent, envelope):
            return
        row = session.get(Campaign, str(campaign["campaign_id"]), with_for_update=True)
        if row is not None and row.set_at >= campaign["set_at"]:
            return
        if row is None:
            row = Campaign(campaign_id=str(campaign["campaign_id"]))
            session.add(row)
        for name in ("name", "target", "starts_on", "deadline", "set_at"):
            setattr(row, name, campaign[name])


def drive(session: Session, today: date) -> list[dict[str, Any]]:
    """The drive still running (or the last one), with active members counted
    as membership defines it: copies whose status is `active`."""
    campaign = session.scalar(
        select(Campaign).order_by(
            (Campaign.deadline >= today).desc(), Campaign.set_at.desc()
        )
    )
    if campaign is None:
        return []
    active = session.scalar(
        select(func.count()).select_from(Member).where(Member.status == "active")
    )
    return [
        {
            "id": f"drive:{campaign.campaign_id}",
            "name": campaign.name,
            "target": campaign.target,
            "active": active,
            "deadline": campaign.deadline.isoformat(),
        }
    ]


def new_members(session: Session, since: datetime | None) -> list[dict[str, Any]]:
    """Members verified since the last issue, counted by area; those who chose to
    be listed in the directory are named."""
    query = select(Member).where(Member.status.in_(members.LISTABLE))
    if since is not None:
        query = query.where(Member.verified_at >= since)
    found = session.scalars(query.where(Member.verified_at.is_not(None))).all()
    by_area: dict[str, list[Member]] = {}
    for member in found:
        by_area.setdefault(member.area or "", []).append(member)
    return [
        {
            "id": f"area:{area}",
            "area": area or None,
            "count": len(group),
            "people": [
                {"member_id": m.member_id, "name": m.name}
                for m in sorted(group, key=lambda m: m.name or "")
                if m.listed
            ],
        }
        for area, group in sorted(by_area.items())
    ]


def progress(session: Session, since: datetime | None) -> list[dict[str, Any]]:
    query = select(SharedProgress).order_by(SharedProgress.submitted_at.desc())
    if since is not None:
        query = query.where(SharedProgress.submitted_at >= since)
    items = []
    for row in session.scalars(query.limit(LIMIT)):
        name = members.display_name(session, row.member_id)
        if name:
            items.append(
                {
                    "id": row.feedback_id,
                    "member_id": row.member_id,
                    "name": name,
                    "text": row.text,
                    "area": row.area,
                }
            )
    return items


def stories(session: Session, since: datetime | None) -> list[dict[str, Any]]:
    query = select(PublicStory).order_by(PublicStory.submitted_at.desc())
    if since is not None:
        query = query.where(PublicStory.submitted_at >= since)
    return [
        {
            "id": row.story_id,
            "member_id": row.member_id,
            "title": row.title,
            "text": row.text,
            "language": row.language,
        }
        for row in session.scalars(query.limit(LIMIT))
    ]


def open_posts(session: Session, kind: str, today: date) -> list[dict[str, Any]]:
    """Offers (or requests) that have not ended, newest first."""
    query = (
        select(Post)
        .where(
            (Post.kind == kind) & ((Post.ends_on.is_(None)) | (Post.ends_on >= today))
        )
        .order_by(Post.posted_at.desc())
        .limit(LIMIT)
    )
    return [
        {
            "id": row.post_id,
            "member_id": row.member_id,
            "title": row.title,
            "category": row.category,
            "area": row.area,
            "ends_on": row.ends_on.isoformat() if row.ends_on else None,
        }
        for row in session.scalars(query)
    ]


def erase(session: Session, member_id: str, stories_choice: str) -> None:
    session.execute(delete(Post).where(Post.member_id == member_id))
    session.execute(delete(SharedProgress).where(SharedProgress.member_id == member_id))
    if stories_choice == "delete":
        session.execute(delete(PublicStory).where(PublicStory.member_id == member_id))
    else:
        session.execute(
            update(PublicStory)
            .where(PublicStory.member_id == member_id)
            .values(member_id=None)
        )


def forget_posts(session: Session, member_id: str) -> None:
    """A member who left (without erasure) offers and asks nothing any more."""
    session.execute(delete(Post).where(Post.member_id == member_id))
