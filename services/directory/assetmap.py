"""The asset map: what the network holds in each principal area, as data and as
an SVG picture that needs no connection (no tiles, no fonts, no scripts).

Members and organisations are counted from the directory's copy of members
(active or lapsed); offers and requests while open and not ended; exchanges
ever agreed, with their hours; public events still to come (or under way).
Posts and exchanges for all of Wales, and online events, have no area and are
counted apart."""

import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from contracts import areas
from services.directory import sharing
from services.directory.listings import ELIGIBLE
from services.directory.models import Event, Exchange, Listing, Member, Post

SHAPES = Path(__file__).parent / "data" / "wales-areas.geojson"
COUNTS = ("members", "organisations", "offers", "requests", "exchanges", "events")
MAX_POINTS = 2000


@dataclass(frozen=True)
class Point:
    name: str
    latitude: float
    longitude: float


def counts(session: Session) -> dict[str, Any]:
    """Counts per area (every area, zeros included) and for all of Wales."""
    table: dict[str | None, dict[str, float]] = defaultdict(
        lambda: dict.fromkeys(COUNTS, 0)
    )
    with session.begin():
        _members(session, table)
        _posts(session, table)
        _exchanges(session, table)
        _events(session, table, datetime.now(UTC))
    rows = [
        {**area.as_dict(), **_whole(table[area.code])} for area in areas.all_areas()
    ]
    return {"areas": rows, "all_wales": _whole(table[None]), "columns": list(COUNTS)}


def points(session: Session, limit: int = MAX_POINTS) -> list[Point]:
    """Public listings that gave a place, newest first."""
    query = (
        select(Listing.name, Listing.latitude, Listing.longitude)
        .where(Listing.public, Listing.latitude.is_not(None))
        .order_by(Listing.updated_at.desc(), Listing.seq)
        .limit(limit)
    )
    with session.begin():
        return [Point(*row) for row in session.execute(query)]


def csv_rows(data: dict[str, Any]) -> list[list[Any]]:
    """The counts as a table: a header, one row per area, one for all of Wales."""
    header = ["code", "name_cy", "name_en", *COUNTS, "hours"]
    whole = {"code": "", "name_cy": "Cymru gyfan", "name_en": "All of Wales"}
    rows = [*data["areas"], {**whole, **data["all_wales"]}]
    return [header, *([row[column] for column in header] for row in rows)]


@cache
def shapes() -> dict[str, list]:
    """The outline of each area, by ONS code (see data/README.md for the source)."""
    document = json.loads(SHAPES.read_text(encoding="utf-8"))
    return {
        f["properties"]["code"]: f["geometry"]["coordinates"]
        for f in document["features"]
    }


def _members(session: Session, table) -> None:
    query = (
        select(Member.area, Member.kind, func.count())
        .where(Member.status.in_(ELIGIBLE))
        .group_by(Member.area, Member.kind)
    )
    for code, kind, number in session.execute(query):
        table[code]["organisations" if kind == "organisation" else "members"] += number


def _posts(session: Session, table) -> None:
    query = (
        select(Post.area, Post.kind, func.count())
        .where(sharing.open_posts_filter(sharing.today()))
        .group_by(Post.area, Post.kind)
    )
    for code, kind, number in session.execute(query):
        table[code][f"{kind}s"] += number


def _exchanges(session: Session, table) -> None:
    query = select(Exchange.area, func.count(), func.sum(Exchange.hours)).group_by(
        Exchange.area
    )
    for code, number, hours in session.execute(query):
        table[code]["exchanges"] += number
        table[code]["hours"] = round(float(hours or 0), 2)


def _events(session: Session, table, now: datetime) -> None:
    query = (
        select(Event.area, func.count())
        .where(Event.status == "published", Event.ends_at > now)
        .group_by(Event.area)
    )
    for code, number in session.execute(query):
        table[code]["events"] += number


def _whole(row: dict[str, float]) -> dict[str, float]:
    return {**dict.fromkeys(COUNTS, 0), "hours": 0, **row}
