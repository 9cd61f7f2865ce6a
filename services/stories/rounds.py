"""Six-monthly feedback rounds, in Europe/London time.

Round n falls due n * 6 months after the member's first date, always counted
from that first date (31 August -> 28/29 February -> 31 August, never drifting
to the 28th), using dateutil's month arithmetic. A timer asks for each round
that fell due once: the round's row has (member, round) as its primary key and
is inserted with ON CONFLICT DO NOTHING, so when two copies race, or a copy
restarts mid-tick, only the insert that wins emits `FeedbackRequested`."""

import logging
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta
from nameko.timer import Timer
from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from infra.outbox import record_event
from services.stories.models import FeedbackRound, Member, OutboxEvent

logger = logging.getLogger(__name__)

LONDON = ZoneInfo("Europe/London")
MONTHS = 6
ROUNDS_FOR = ("active", "lapsed")


def due_on(anchor: date | None, number: int) -> date | None:
    """The London date round `number` falls due (round 0 is the first date)."""
    if anchor is None:
        return None
    return anchor + relativedelta(months=MONTHS * number)


def newest_due(anchor: date, today: date) -> int:
    """The newest round due by `today` (0 when none is yet)."""
    months = (today.year - anchor.year) * 12 + today.month - anchor.month
    number = max(months // MONTHS, 0)
    while number > 0 and due_on(anchor, number) > today:
        number -= 1
    return number


def london_today(now: datetime) -> date:
    return now.astimezone(LONDON).date()


def request_due_rounds(session: Session, now: datetime, limit: int = 200) -> int:
    """Ask for every round that fell due by `now`; how many were asked for."""
    today = london_today(now)
    try:
        asked = _request_all(session, today, now, limit)
    except OperationalError as error:
        # SQLite: another copy holds the write lock; its tick does the work.
        logger.warning("rounds.busy error=%s", type(error).__name__)
        return 0
    if asked:
        logger.info("rounds.requested count=%s", asked)
    return asked


def _request_all(session: Session, today: date, now: datetime, limit: int) -> int:
    with session.begin():
        members = session.scalars(
            select(Member)
            .where(Member.status.in_(ROUNDS_FOR), Member.next_due_on <= today)
            .order_by(Member.next_due_on, Member.member_id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        ).all()
        return sum(_request(session, member, today, now) for member in members)


def _request(session: Session, member: Member, today: date, now: datetime) -> int:
    """After a long pause only the newest due round is asked for; the ones it
    passed are kept as `skipped`, so they are never asked for later."""
    newest = newest_due(member.anchor_on, today)
    asked = 0
    for number in range(member.next_round, newest + 1):
        status = "requested" if number == newest else "skipped"
        due = due_on(member.anchor_on, number)
        if _claim(session, member.member_id, number, due, status, now) and (
            status == "requested"
        ):
            _announce(session, member.member_id, number, due, now)
            asked += 1
    member.next_round = max(member.next_round, newest + 1)
    member.next_due_on = due_on(member.anchor_on, member.next_round)
    return asked


def _claim(session, member_id, number, due, status, now) -> bool:
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = (
        insert(FeedbackRound)
        .values(
            member_id=member_id,
            round=number,
            due_on=due,
            status=status,
            requested_at=now,
        )
        .on_conflict_do_nothing(index_elements=["member_id", "round"])
    )
    return session.execute(statement).rowcount == 1


def _announce(session: Session, member_id: str, number: int, due: date, now) -> None:
    record_event(
        session,
        OutboxEvent,
        "FeedbackRequested",
        member_id,
        {"member_id": member_id, "round": number, "due_on": due, "requested_at": now},
    )


def utc_now() -> datetime:
    return datetime.now(UTC)


class RoundsTimer(Timer):
    """A timer whose interval comes from `ROUNDS_INTERVAL_SECONDS` in config."""

    def setup(self) -> None:
        self.interval = float(
            self.container.config.get("ROUNDS_INTERVAL_SECONDS", self.interval)
        )


rounds_timer = RoundsTimer.decorator
