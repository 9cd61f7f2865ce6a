"""Events as iCalendar (RFC 5545): one event as a file, and feeds of every
public event (or one area's) that calendar programs subscribe to.

Times are written in UTC (`DTSTART:20271031T013000Z`). Local times with a
VTIMEZONE would lose which of the two 01:30s of an October night is meant,
and the VTIMEZONE the library makes covers the rules only up to 2038; UTC is
exact, and calendar programs show it in their own time zone. A cancelled
event stays in the feed with STATUS:CANCELLED and a higher SEQUENCE, so
subscribed calendars take it off. The online link is never in a feed."""

from datetime import UTC, datetime

from icalendar import Calendar
from icalendar import Event as CalendarEvent

from contracts import areas
from services.directory.models import Event

PRODID = "-//Rhwydwaith Cyd-gynhyrchu//Beth sy'n digwydd//CY"
UID_DOMAIN = "events.cyd-gynhyrchu.cymru"


def calendar(rows: list[Event], name: str, base_url: str) -> bytes:
    feed = Calendar()
    feed.add("prodid", PRODID)
    feed.add("version", "2.0")
    feed.add("calscale", "GREGORIAN")
    feed.add("method", "PUBLISH")
    if name:
        feed.add("x-wr-calname", name)
    stamp = datetime.now(UTC)
    for row in rows:
        feed.add_component(_event(row, base_url, stamp))
    return feed.to_ical()


def feed_name(area: str | None) -> str:
    if not area:
        return "Beth sy'n digwydd / What's on"
    place = areas.by_code(area)
    return f"Beth sy'n digwydd: {place.name_cy} / What's on: {place.name_en}"


def _event(row: Event, base_url: str, stamp: datetime) -> CalendarEvent:
    item = CalendarEvent()
    item.add("uid", f"{row.id}@{UID_DOMAIN}")
    item.add("dtstamp", stamp)
    item.add("dtstart", row.starts_at.astimezone(UTC))
    item.add("dtend", row.ends_at.astimezone(UTC))
    item.add("last-modified", row.updated_at.astimezone(UTC))
    item.add("sequence", row.sequence)
    item.add("summary", _both(row.title_cy, row.title_en))
    item.add("description", _description(row))
    item.add("location", _location(row))
    item.add("url", f"{base_url}/events/{row.id}")
    item.add("status", "CANCELLED" if row.status == "cancelled" else "CONFIRMED")
    item.add("categories", [row.kind])
    return item


def _both(welsh: str | None, english: str | None) -> str:
    """Welsh first, as the network writes in both languages."""
    return " / ".join(text for text in (welsh, english) if text)


def _description(row: Event) -> str:
    parts = [row.description_cy, row.description_en, row.audience, row.accessibility]
    return "\n\n".join(part for part in parts if part)


def _location(row: Event) -> str:
    if row.online:
        return "Ar-lein / Online"
    area = areas.by_code(row.area) if row.area else None
    named = f"{area.name_cy} / {area.name_en}" if area else ""
    return ", ".join(part for part in (row.place_name, named) if part)
