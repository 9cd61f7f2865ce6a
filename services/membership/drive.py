"""Membership drives: a target number of active members by a deadline, and how
the drive is going. Who counts is defined in README.md: status `active`."""

import logging
import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from contracts.errors import InvalidInput
from services.membership import pace, records
from services.membership.exceptions import CampaignNotFound
from services.membership.members import paged
from services.membership.models import Campaign, Member, StatusChange
from services.membership.schemas import LONDON

logger = logging.getLogger(__name__)


def set_campaign(session: Session, form: dict) -> Campaign:
    now = datetime.now(UTC)
    with session.begin():
        campaign = Campaign(id=str(uuid.uuid4()), set_at=now, **form)
        session.add(campaign)
        session.flush()
        _announce(session, campaign)
    logger.info("campaign.set campaign=%s target=%s", campaign.id, campaign.target)
    return campaign


def change_campaign(session: Session, campaign_id: str, changes: dict) -> Campaign:
    now = datetime.now(UTC)
    with session.begin():
        campaign = _campaign(session, campaign_id, lock=True)
        for field, value in changes.items():
            setattr(campaign, field, value)
        if campaign.deadline <= campaign.starts_on:
            raise InvalidInput({"deadline": ["The deadline comes after the start."]})
        campaign.set_at = now
        _announce(session, campaign)
    logger.info("campaign.changed campaign=%s", campaign.id)
    return campaign


def campaigns(session: Session, page: int, per_page: int) -> dict[str, Any]:
    order = (Campaign.deadline.desc(), Campaign.id)
    with session.begin():
        return paged(session, select(Campaign), order, page, per_page)


def progress(
    session: Session, campaign_id: str, now: datetime | None = None
) -> dict[str, Any]:
    """Progress of a drive (or of the `current` one): now, by principal area, by
    ISO week, and whether the recent pace reaches the target in time."""
    now = now or datetime.now(UTC)
    with session.begin():
        campaign = _campaign(session, campaign_id)
        history, by_area = _history(session), _active_by_area(session)
    report = pace.report(campaign, history, by_area, now)
    return {"campaign": campaign, **report}


def _history(session: Session) -> list[tuple]:
    rows = session.execute(
        select(StatusChange.member_id, StatusChange.status, StatusChange.at).order_by(
            StatusChange.at, StatusChange.id
        )
    ).all()
    return [tuple(row) for row in rows]


def _active_by_area(session: Session) -> dict[str, int]:
    query = (
        select(Member.area, func.count())
        .where(Member.status == "active")
        .group_by(Member.area)
    )
    return dict(session.execute(query).all())


def _campaign(session: Session, campaign_id: str, lock: bool = False) -> Campaign:
    if campaign_id == "current":
        return _current(session)
    campaign = session.get(Campaign, campaign_id, with_for_update=lock or None)
    if campaign is None:
        raise CampaignNotFound(f"No campaign {campaign_id}.")
    return campaign


def _current(session: Session) -> Campaign:
    """The running drive with the nearest deadline, else the latest one."""
    today = datetime.now(LONDON).date()
    query = select(Campaign).order_by(Campaign.deadline, Campaign.set_at)
    running = session.scalar(query.where(Campaign.deadline >= today))
    latest = session.scalar(select(Campaign).order_by(Campaign.deadline.desc()))
    if running is None and latest is None:
        raise CampaignNotFound("No drive has been set.")
    return running or latest


def _announce(session: Session, campaign: Campaign) -> None:
    records.announce(
        session,
        "CampaignSet",
        campaign.id,
        {
            "campaign_id": campaign.id,
            "name": campaign.name,
            "target": campaign.target,
            "starts_on": campaign.starts_on,
            "deadline": campaign.deadline,
            "set_at": campaign.set_at,
        },
    )
