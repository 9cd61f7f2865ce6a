"""E-mails about events and training sessions (from the directory's events):
a place that came free to the first on the waiting list, a new time or place,
a cancellation, and the reminder a day before. Each goes in the member's own
language; each reason is unique, so a repeated event writes nothing new."""

import logging
from typing import Any

from sqlalchemy.orm import Session

from infra.inbox import first_delivery
from services.notifications import deliveries, links, members
from services.notifications.models import InboxEvent
from services.notifications.settings import Settings

logger = logging.getLogger(__name__)

WHERE_AND_WHEN = {"starts_at", "ends_at", "area", "place_name", "online", "online_link"}


def place_taken(
    session: Session, settings: Settings, envelope: dict, taken: dict[str, Any]
) -> list[str]:
    """Tell the first on the waiting list that a place is theirs now."""
    if not taken["from_waiting_list"]:
        return _mark_seen(session, envelope)
    reason = f"event_place:{envelope['id']}"
    context = _about(settings, taken)
    return _to_each(
        session, envelope, [taken["member_id"]], reason, "event_place", context
    )


def event_changed(
    session: Session, settings: Settings, envelope: dict, changed: dict[str, Any]
) -> list[str]:
    """A new time or place: everyone signed up hears of it."""
    if not WHERE_AND_WHEN & set(changed["changed"]):
        return _mark_seen(session, envelope)
    reason = f"event_changed:{envelope['id']}"
    context = _about(settings, changed)
    return _to_each(
        session, envelope, changed["member_ids"], reason, "event_changed", context
    )


def event_cancelled(
    session: Session, settings: Settings, envelope: dict, cancelled: dict[str, Any]
) -> list[str]:
    reason = f"event_cancelled:{cancelled['event_id']}"
    context = {
        **_about(settings, cancelled),
        "reason": _said(cancelled["reason"]),
        "link": links.whats_on(settings),
    }
    return _to_each(
        session, envelope, cancelled["member_ids"], reason, "event_cancelled", context
    )


def reminder_due(
    session: Session, settings: Settings, envelope: dict, due: dict[str, Any]
) -> list[str]:
    starts = int(due["starts_at"].timestamp())
    reason = f"event_reminder:{due['event_id']}:{starts}"
    context = {
        **_about(settings, due),
        "online": due["online"],
        "place_name": due["place_name"],
        "area": due["area"],
    }
    return _to_each(
        session, envelope, [due["member_id"]], reason, "event_reminder", context
    )


def _said(reason: str) -> str:
    """What the organiser wrote; the reasons the platform gives are not shown."""
    return "" if reason in ("organiser_left", "cancelled") else reason


def _about(settings: Settings, data: dict[str, Any]) -> dict[str, Any]:
    return {
        "title_cy": data["title_cy"],
        "title_en": data["title_en"],
        "starts_at": data["starts_at"].isoformat(),
        "ends_at": data["ends_at"].isoformat(),
        "link": links.event(settings, str(data["event_id"])),
    }


def _mark_seen(session: Session, envelope: dict) -> list[str]:
    with session.begin():
        first_delivery(session, InboxEvent, envelope)
    return []


def _to_each(
    session: Session,
    envelope: dict,
    member_ids: list,
    reason: str,
    template: str,
    context: dict[str, Any],
) -> list[str]:
    """One delivery per member (reason `<reason>:<member>`), in the
    transaction of the event's inbox entry."""
    written = []
    with session.begin():
        if not first_delivery(session, InboxEvent, envelope):
            return []
        for member_id in map(str, member_ids):
            if members.has_left(session, member_id):
                continue
            unique = f"{reason}:{member_id}"
            delivery = deliveries.queue(session, unique, template, member_id, context)
            written.append(delivery)
    logger.info("event.mail template=%s count=%s", template, len(written))
    return [delivery.id for delivery in written if delivery is not None]
