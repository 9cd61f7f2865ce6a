"""The service's timed work in one place: what the calendar runs and when, and
one turn of each sending timer."""

from datetime import datetime, time

from sqlalchemy.orm import Session

from services.notifications import (
    calendar,
    feedback,
    newsletter,
    retention,
    sending,
    webhook_sender,
)
from services.notifications.settings import Settings

RUNNERS: dict[str, calendar.Runner] = {
    feedback.REMINDER: feedback.remind,
    "prune_logs": retention.prune,
}
DAILY = {"prune_logs": time(3, 30)}


def calendar_tick(session: Session, settings: Settings, now: datetime) -> int:
    return calendar.tick(session, settings, now, RUNNERS, DAILY)


def send_tick(session: Session, mailer, settings: Settings, now: datetime) -> int:
    """Send what is due, then close the newsletter issues that have gone."""
    sent = sending.send_due(session, mailer, settings, now)
    newsletter.complete(session, settings, now)
    return sent


def webhook_tick(session: Session, settings: Settings, now: datetime) -> int:
    return webhook_sender.send_due(session, settings, now)
