"""Finding listings and posts: ranked text search, filters, facets and distance.

Text matching runs in the database (FTS5 on SQLite, `tsvector` on PostgreSQL)
over the words `searchdoc` made in Python, so both behave alike. Every word of
the query must match; the last may be the start of a word. A query with no
letters or digits in it matches nothing; an empty one matches everything.

Which listings match is the database's answer; facets, filters and the order
come from the process's `SearchIndex` (see `ranking` for the order). Offers and
requests are few and are filtered in SQL, newest first.

Near a point: a bounding box narrows the rows in SQL, then the great-circle
(haversine) distance on a sphere of radius 6371.0088 km decides, in Python."""

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    cast,
    column,
    func,
    literal,
    literal_column,
    select,
    table,
)
from sqlalchemy.dialects.postgresql import TSQUERY
from sqlalchemy.orm import Session

from contracts import areas
from services.directory import geo, ranking, searchdoc, sharing, vocabulary
from services.directory.models import Listing, ListingWords, Post
from services.directory.searchindex import SearchIndex, bitmap_of

_TOP_TAGS = 30


@dataclass(frozen=True)
class Near:
    latitude: float
    longitude: float
    within_km: float


@dataclass(frozen=True)
class Criteria:
    q: str = ""
    area: str | None = None
    kind: str | None = None
    tag: str | None = None
    category: str | None = None
    near: Near | None = None
    page: int = 1
    per_page: int = 20
    facets: bool = True


@dataclass
class Found:
    rows: list[Any]
    total: int
    distances: dict[int, float] = field(default_factory=dict)
    facets: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


def listings(session: Session, index: SearchIndex, criteria: Criteria) -> Found:
    """Public listings matching `criteria`, best first, one page of them."""
    found = searchdoc.query_words(criteria.q)
    if criteria.q.strip() and not found:
        return Found([], 0, facets=_empty_facets() if criteria.facets else {})
    with session.begin():
        index.sync(session)
        allowed = _allowed(index, criteria)
        distances = _within(session, criteria.near) if criteria.near else None
        if distances is not None:
            allowed &= bitmap_of(distances)
        matched = _matching(session, found) if found else None
        if matched is not None:
            allowed &= bitmap_of(matched)
        first = (criteria.page - 1) * criteria.per_page
        seqs = ranking.page(
            index, found, allowed, matched, distances, first, criteria.per_page
        )
        # The index may lag a listing withdrawn a moment ago; the row says.
        rows = _load(session, Listing, seqs, Listing.public)
        facets = _facets(index, allowed) if criteria.facets else {}
    shown = {seq: round(distances[seq], 2) for seq in seqs} if distances else {}
    return Found(rows, allowed.bit_count(), shown, facets)


def posts(session: Session, criteria: Criteria) -> Found:
    """Open, unexpired offers and requests matching `criteria`, newest first."""
    found = searchdoc.query_words(criteria.q)
    if criteria.q.strip() and not found:
        return Found([], 0)
    matches = select(Post.seq).where(sharing.open_posts_filter(sharing.today()))
    if found:
        matches = matches.where(_post_text(session, found))
    matches = _post_filters(matches, criteria)
    ordered = matches.order_by(Post.posted_at.desc(), Post.seq.desc())
    start = (criteria.page - 1) * criteria.per_page
    with session.begin():
        total = session.scalar(select(func.count()).select_from(matches.subquery()))
        page = session.scalars(ordered.offset(start).limit(criteria.per_page))
        rows = _load(session, Post, list(page))
    return Found(rows, total)


def _post_filters(matches: Select, criteria: Criteria) -> Select:
    if criteria.kind:
        matches = matches.where(Post.kind == criteria.kind)
    if criteria.category:
        matches = matches.where(Post.category == criteria.category)
    if criteria.area:
        matches = matches.where(sharing.area_filter(criteria.area))
    if criteria.tag:
        pattern = f"%{_escape_like(f'|{criteria.tag}|')}%"
        matches = matches.where(Post.tag_keys.like(pattern, escape="\\"))
    return matches


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _post_text(session: Session, found: list[str]) -> ColumnElement:
    """Posts whose text has every word."""
    if session.get_bind().dialect.name == "postgresql":
        query = cast(literal(searchdoc.tsquery(found)), TSQUERY)
        return Post.search_vector.op("@@")(query)
    index = table("posts_fts", column("rowid"))
    match = literal_column("posts_fts").op("MATCH")(searchdoc.fts5_query(found))
    return Post.seq.in_(select(index.c.rowid).where(match))


def _load(session: Session, model, seqs: list[int], *where) -> list[Any]:
    """The rows of `seqs` that are there and meet `where`, in the order asked."""
    if not seqs:
        return []
    query = select(model).where(model.seq.in_(seqs), *where)
    rows = {row.seq: row for row in session.scalars(query)}
    return [rows[seq] for seq in seqs if seq in rows]


def _allowed(index: SearchIndex, criteria: Criteria) -> int:
    allowed = index.bitmap("public")
    for prefix, value in (
        ("area", criteria.area),
        ("kind", criteria.kind),
        ("tag", criteria.tag),
    ):
        if value:
            allowed &= index.bitmap(f"{prefix}:{value}")
    return allowed


def _within(session: Session, near: Near) -> dict[int, float]:
    """Public listings within `near.within_km` of the point, with their distance.
    The box is read from the (latitude, longitude, seq) index alone."""
    south, north, west, east = geo.bounding_box(
        near.latitude, near.longitude, near.within_km
    )
    boxed = select(Listing.seq, Listing.latitude, Listing.longitude).where(
        Listing.latitude.between(south, north),
        Listing.longitude.between(west, east),
    )
    rows = session.connection().execute(boxed).fetchall()
    return geo.within(near.latitude, near.longitude, near.within_km, rows)


def _matching(session: Session, found: list[str]) -> list[int]:
    """The seqs of listings whose text has every word (public or not). There may
    be tens of thousands: each database hands them over as one value (a string
    from SQLite, an array from PostgreSQL), which is quicker than row by row."""
    connection = session.connection()
    if session.get_bind().dialect.name == "postgresql":
        query = cast(literal(searchdoc.tsquery(found)), TSQUERY)
        statement = select(func.array_agg(ListingWords.listing_seq)).where(
            ListingWords.words.op("@@")(query)
        )
        return connection.scalar(statement) or []
    index = table("listings_fts", column("rowid"))
    match = literal_column("listings_fts").op("MATCH")(searchdoc.fts5_query(found))
    joined = connection.scalar(select(func.group_concat(index.c.rowid)).where(match))
    return list(map(int, joined.split(","))) if joined else []


def _facets(index: SearchIndex, matches: int) -> dict[str, list[dict[str, Any]]]:
    """Counts of the matching listings by principal area, kind and tag."""
    areas_counted = {
        area.code: (matches & index.bitmap(f"area:{area.code}")).bit_count()
        for area in areas.all_areas()
    }
    kinds = {
        key[5:]: (matches & index.bitmap(key)).bit_count()
        for key in index.facet_keys("kind:")
    }
    tags = {
        key[4:]: (matches & index.bitmap(key)).bit_count()
        for key in index.facet_keys("tag:")
    }
    return {
        "area": _area_facet(areas_counted),
        "kind": [{"value": k, "count": n} for k, n in sorted(kinds.items()) if n],
        "tag": _tag_facet({k: n for k, n in tags.items() if n}, index),
    }


def _area_facet(counts: dict[str, int]) -> list[dict[str, Any]]:
    return [
        {**area.as_dict(), "count": counts.get(area.code, 0)}
        for area in areas.all_areas()
    ]


def _tag_facet(counts: dict[str, int], index: SearchIndex) -> list[dict[str, Any]]:
    top = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:_TOP_TAGS]
    return [{**vocabulary.describe(index.label(key)), "count": n} for key, n in top]


def _empty_facets() -> dict[str, list]:
    return {"area": _area_facet({}), "kind": [], "tag": []}
