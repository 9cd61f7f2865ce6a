"""The calendar: work that falls due at a time on the clock in Wales.

Each due item is one row with a unique `key`, so it exists once however many
copies of the service schedule it. A copy runs an item by switching it from
pending to done with a conditional UPDATE *in the same transaction* as the
item's own work: of two copies only one sees its update take effect (the
other's waits for the row and then matches nothing), and a crash rolls back the
work and the switch together, so the item runs again later. Times are stored
in UTC and computed from wall-clock times with `london.at`, which settles the
hour skipped in March and the hour repeated in October.

Daily items (`daily`: kind -> wall time) get one row per day in Wales, keyed by
that day, made by whichever copy ticks first; a day on which no copy ran is not
made up later."""

import logging
import uuid
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, time, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from services.notifications import london
from services.notifications.models import ScheduledJob
from services.notifications.settings import Settings

logger = logging.getLogger(__name__)

Runner = Callable[[Session, Settings, ScheduledJob, datetime], None]
MAX_TRIES = 8


def schedule(
    session: Session,
    kind: str,
    key: str,
    due_at: datetime,
    payload: dict[str, Any],
    member_id: str | None = None,
) -> ScheduledJob | None:
    """Add an item in the caller's transaction; None if `key` exists already."""
    if session.scalar(select(ScheduledJob.id).where(ScheduledJob.key == key)):
        return None
    job = ScheduledJob(
        id=str(uuid.uuid4()),
        kind=kind,
        key=key,
        member_id=member_id,
        payload=payload,
        due_at=due_at,
        status="pending",
        attempts=0,
        created_at=datetime.now(UTC),
    )
    session.add(job)
    return job


def cancel(session: Session, key: str) -> bool:
    """Cancel a pending item in the caller's transaction; True if one was."""
    return bool(
        session.execute(
            update(ScheduledJob)
            .where((ScheduledJob.key == key) & (ScheduledJob.status == "pending"))
            .values(status="cancelled")
        ).rowcount
    )


def cancel_for_member(session: Session, member_id: str) -> None:
    session.execute(
        update(ScheduledJob)
        .where(
            (ScheduledJob.member_id == member_id) & (ScheduledJob.status == "pending")
        )
        .values(status="cancelled", payload={})
    )


def tick(
    session: Session,
    settings: Settings,
    now: datetime,
    runners: Mapping[str, Runner],
    daily: Mapping[str, time],
    limit: int = 50,
) -> int:
    """Make today's daily items, then run what is due; how many ran here."""
    for kind, wall in daily.items():
        make_daily(session, kind, wall, now)
    ran = 0
    for job_id in _due(session, now, limit):
        ran += run(session, settings, job_id, now, runners)
    return ran


def make_daily(session: Session, kind: str, wall: time, now: datetime) -> None:
    day = london.today(now)
    try:
        with session.begin():
            schedule(
                session, kind, f"{kind}:{day.isoformat()}", london.at(day, wall), {}
            )
    except IntegrityError:
        pass  # another copy made it first


def run(
    session: Session,
    settings: Settings,
    job_id: str,
    now: datetime,
    runners: Mapping[str, Runner],
) -> bool:
    """Run one item exactly once; False if another copy has run it."""
    try:
        with session.begin():
            if not _take(session, job_id, now):
                return False
            job = session.get(ScheduledJob, job_id, populate_existing=True)
            runners[job.kind](session, settings, job, now)
    except Exception as error:  # the work rolled back with the switch: try later
        _retry_later(session, job_id, now, error)
        return False
    logger.info("calendar.ran kind=%s key=%s", job.kind, job.key)
    return True


def _take(session: Session, job_id: str, now: datetime) -> bool:
    return bool(
        session.execute(
            update(ScheduledJob)
            .where(
                (ScheduledJob.id == job_id)
                & (ScheduledJob.status == "pending")
                & (ScheduledJob.due_at <= now)
            )
            .values(status="done", done_at=now)
        ).rowcount
    )


def _due(session: Session, now: datetime, limit: int) -> list[str]:
    query = (
        select(ScheduledJob.id)
        .where((ScheduledJob.status == "pending") & (ScheduledJob.due_at <= now))
        .order_by(ScheduledJob.due_at)
        .limit(limit)
    )
    with session.begin():
        return list(session.scalars(query))


def _retry_later(session: Session, job_id: str, now: datetime, error: Exception):
    with session.begin():
        job = session.get(ScheduledJob, job_id, with_for_update=True)
        if job is None or job.status != "pending":
            return
        job.attempts += 1
        job.error = type(error).__name__
        job.due_at = now + min(timedelta(minutes=2**job.attempts), timedelta(hours=2))
        if job.attempts >= MAX_TRIES:
            job.status = "failed"
    logger.warning(
        "calendar.failed kind=%s key=%s attempts=%s error=%s",
        job.kind,
        job.key,
        job.attempts,
        type(error).__name__,
    )
