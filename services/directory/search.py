"""Finding listings and posts: ranked text search, filters, facets and distance.

Text matching runs in the database (FTS5 on SQLite, `tsvector` on PostgreSQL)
over the words `searchdoc` made in Python, so both behave alike. Every word of
the query must match; the last may be the start of a word. A query with no
letters or digits in it matches nothing; an empty one matches everything.

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
from services.directory import geo, searchdoc, sharing, vocabulary
from services.directory.models import Listing, ListingArea, ListingTag, Post

_PG_WEIGHTS = "{0.1, 0.2, 0.4, 1.0}"
_TOP_TAGS = 30
_CHUNK = 500


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


def listings(session: Session, criteria: Criteria) -> Found:
    """Public listings matching `criteria`, best first, one page of them."""
    found = searchdoc.query_words(criteria.q)
    if criteria.q.strip() and not found:
        return Found([], 0, facets=_empty_facets() if criteria.facets else {})
    matches = _listing_matches(session, criteria, found)
    with session.begin():
        if criteria.near:
            return _near_page(session, matches, criteria, Listing)
        total = session.scalar(select(func.count()).select_from(matches.subquery()))
        seqs = _page_of(session, matches, criteria, Listing)
        rows = _load(session, Listing, seqs)
        facets = _facets(session, matches, None) if criteria.facets else {}
    return Found(rows, total, facets=facets)


def posts(session: Session, criteria: Criteria) -> Found:
    """Open, unexpired offers and requests matching `criteria`."""
    found = searchdoc.query_words(criteria.q)
    if criteria.q.strip() and not found:
        return Found([], 0)
    matches = _text(session, Post, "posts_fts", found)
    matches = matches.where(sharing.open_posts_filter(sharing.today()))
    matches = _post_filters(matches, criteria)
    with session.begin():
        total = session.scalar(select(func.count()).select_from(matches.subquery()))
        rows = _load(session, Post, _page_of(session, matches, criteria, Post))
    return Found(rows, total)


def _listing_matches(session: Session, criteria: Criteria, found: list[str]) -> Select:
    matches = _text(session, Listing, "listings_fts", found).where(Listing.public)
    if criteria.area:
        served = select(ListingArea.listing_seq).where(
            ListingArea.area == criteria.area
        )
        matches = matches.where(Listing.seq.in_(served))
    if criteria.kind:
        matches = matches.where(Listing.kind == criteria.kind)
    if criteria.tag:
        tagged = select(ListingTag.listing_seq).where(ListingTag.key == criteria.tag)
        matches = matches.where(Listing.seq.in_(tagged))
    if criteria.near:
        matches = _in_box(matches, criteria.near)
    return matches


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


def _text(session: Session, model, fts: str, found: list[str]) -> Select:
    """`(seq, score)` of the rows whose text has every word; a lower score is a
    better match."""
    if not found:
        return select(model.seq, literal(0.0).label("score"))
    if session.get_bind().dialect.name == "postgresql":
        query = cast(literal(searchdoc.tsquery(found)), TSQUERY)
        score = -func.ts_rank(literal(_PG_WEIGHTS), model.search_vector, query)
        where = model.search_vector.op("@@")(query)
        return select(model.seq, score.label("score")).where(where)
    index, name = table(fts, column("rowid")), literal_column(fts)
    weights = [literal(weight) for _, _, weight in searchdoc.FIELDS]
    return (
        select(model.seq, func.bm25(name, *weights).label("score"))
        .join_from(model, index, index.c.rowid == model.seq)
        .where(name.op("MATCH")(searchdoc.fts5_query(found)))
    )


def _page_of(session: Session, matches: Select, criteria: Criteria, model) -> list[int]:
    ordered = matches.order_by(literal_column("score"), *_tie_breaks(model), model.seq)
    start = (criteria.page - 1) * criteria.per_page
    return list(session.scalars(ordered.offset(start).limit(criteria.per_page)))


def _tie_breaks(model) -> list[ColumnElement]:
    return [model.sort_name] if model is Listing else [model.posted_at.desc()]


def _load(session: Session, model, seqs: list[int]) -> list[Any]:
    if not seqs:
        return []
    rows = {
        row.seq: row
        for row in session.scalars(select(model).where(model.seq.in_(seqs)))
    }
    return [rows[seq] for seq in seqs]


def _in_box(matches: Select, near: Near) -> Select:
    south, north, west, east = geo.bounding_box(
        near.latitude, near.longitude, near.within_km
    )
    return matches.where(
        Listing.latitude.between(south, north), Listing.longitude.between(west, east)
    ).add_columns(Listing.latitude, Listing.longitude)


def _near_page(session: Session, matches: Select, criteria: Criteria, model) -> Found:
    near = criteria.near
    within = []
    for seq, rank, latitude, longitude in session.execute(matches):
        km = geo.haversine_km(near.latitude, near.longitude, latitude, longitude)
        if km <= near.within_km:
            within.append((seq, rank, km))
    order = (lambda m: (m[1], m[2])) if criteria.q.strip() else (lambda m: (m[2], m[1]))
    within.sort(key=lambda m: (*order(m), m[0]))
    start = (criteria.page - 1) * criteria.per_page
    page = within[start : start + criteria.per_page]
    seqs = [seq for seq, _, _ in within]
    facets = _facets(session, None, seqs) if criteria.facets else {}
    return Found(
        _load(session, model, [seq for seq, _, _ in page]),
        len(within),
        {seq: round(km, 2) for seq, _, km in page},
        facets,
    )


def _facets(session: Session, matches: Select | None, seqs: list[int] | None) -> dict:
    """Counts of the matching listings by principal area, kind and tag."""
    counts = {"area": {}, "kind": {}, "tag": {}}
    labels: dict[str, str] = {}
    for scope in _scopes(matches, seqs):
        _count(
            counts["area"], session.execute(_by(ListingArea.area, ListingArea, scope))
        )
        _count(counts["kind"], session.execute(_kinds(scope)))
        for key, label, number in session.execute(_tags(scope)):
            counts["tag"][key] = counts["tag"].get(key, 0) + number
            labels.setdefault(key, label)
    return {
        "area": _area_facet(counts["area"]),
        "kind": [{"value": k, "count": n} for k, n in sorted(counts["kind"].items())],
        "tag": _tag_facet(counts["tag"], labels),
    }


def _scopes(matches: Select | None, seqs: list[int] | None):
    if matches is not None:
        yield matches.with_only_columns(Listing.seq).scalar_subquery()
        return
    for start in range(0, len(seqs), _CHUNK):
        yield seqs[start : start + _CHUNK]


def _by(column, model, scope) -> Select:
    return (
        select(column, func.count())
        .where(model.listing_seq.in_(scope))
        .group_by(column)
    )


def _kinds(scope) -> Select:
    return (
        select(Listing.kind, func.count())
        .where(Listing.seq.in_(scope))
        .group_by(Listing.kind)
    )


def _tags(scope) -> Select:
    return (
        select(ListingTag.key, func.min(ListingTag.label), func.count())
        .where(ListingTag.listing_seq.in_(scope))
        .group_by(ListingTag.key)
    )


def _count(into: dict, rows) -> None:
    for value, number in rows:
        into[value] = into.get(value, 0) + number


def _area_facet(counts: dict[str, int]) -> list[dict[str, Any]]:
    return [
        {**area.as_dict(), "count": counts.get(area.code, 0)}
        for area in areas.all_areas()
    ]


def _tag_facet(counts: dict[str, int], labels: dict[str, str]) -> list[dict[str, Any]]:
    top = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:_TOP_TAGS]
    return [{**vocabulary.describe(labels[key]), "count": n} for key, n in top]


def _empty_facets() -> dict[str, list]:
    return {"area": _area_facet({}), "kind": [], "tag": []}
