"""The read side: searches and exports, shaped for the API."""

import csv
import io
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.directory import assetmap, hsds, listings, mapsvg, search, sharing, views
from services.directory.exceptions import TaxonomyNotFound
from services.directory.models import Listing, Member, Post
from services.directory.search import Criteria, Near
from services.directory.searchindex import SearchIndex


def criteria(parsed: dict[str, Any]) -> Criteria:
    near = None
    if parsed.get("lat") is not None:
        near = Near(parsed["lat"], parsed["lon"], parsed["within_km"])
    keep = ("q", "area", "kind", "tag", "category", "page", "per_page", "facets")
    return Criteria(**{k: parsed[k] for k in keep if k in parsed}, near=near)


def find_listings(
    session: Session, index: SearchIndex, parsed: dict[str, Any]
) -> dict[str, Any]:
    wanted = criteria(parsed)
    found = search.listings(session, index, wanted)
    items = [views.listing(row, found.distances.get(row.seq)) for row in found.rows]
    extra = {"facets": found.facets} if wanted.facets else {}
    return views.page(items, found.total, wanted.page, wanted.per_page, **extra)


def find_posts(session: Session, parsed: dict[str, Any]) -> dict[str, Any]:
    wanted = criteria(parsed)
    found = search.posts(session, wanted)
    with session.begin():
        posters = _public_listings(session, [row.member_id for row in found.rows])
    items = [views.post(row, posters.get(row.member_id)) for row in found.rows]
    return views.page(items, found.total, wanted.page, wanted.per_page)


def listing(session: Session, listing_id: str) -> dict[str, Any]:
    with session.begin():
        return views.listing(listings.public_listing(session, listing_id))


def own_listing(session: Session, member_id: str) -> dict[str, Any]:
    with session.begin():
        return views.own_listing(listings.own_listing(session, member_id))


def post(session: Session, post_id: str) -> dict[str, Any]:
    with session.begin():
        row = sharing.get_post(session, post_id)
        poster = _public_listings(session, [row.member_id]).get(row.member_id)
        return views.post(row, poster)


def responses(session: Session, post_id: str) -> list[dict[str, Any]]:
    with session.begin():
        rows = sharing.responses_to(session, post_id)
        names = _members(session, [row.responder_id for row in rows])
        return [views.response(row, names.get(row.responder_id)) for row in rows]


def response_parties(session: Session, response_id: str) -> dict[str, str]:
    with session.begin():
        row = sharing.get_response(session, response_id)
        poster = session.scalar(select(Post.member_id).where(Post.id == row.post_id))
        return {"poster_id": poster, "responder_id": row.responder_id}


def map_counts(session: Session) -> dict[str, Any]:
    return assetmap.counts(session)


def map_svg(session: Session, lang: str | None) -> str:
    return mapsvg.render(assetmap.counts(session), assetmap.points(session), lang)


def map_csv(session: Session) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(
        assetmap.csv_rows(assetmap.counts(session))
    )
    return out.getvalue()


def hsds_services(
    session: Session, index: SearchIndex, parsed: dict[str, Any], base_url: str
) -> dict[str, Any]:
    tag = None
    if parsed.get("taxonomy_term_id"):
        term = hsds.term_by_id(parsed["taxonomy_term_id"])
        if term is None:
            return hsds.page_of([], 0, parsed["page"], parsed["per_page"])
        tag = term.code
    wanted = Criteria(
        q=parsed["search"],
        tag=tag,
        page=parsed["page"],
        per_page=parsed["per_page"],
        facets=False,
    )
    found = search.listings(session, index, wanted)
    contents = [hsds.service(row, base_url, full=False) for row in found.rows]
    return hsds.page_of(contents, found.total, wanted.page, wanted.per_page)


def hsds_service(session: Session, service_id: str, base_url: str) -> dict[str, Any]:
    with session.begin():
        return hsds.service(listings.public_listing(session, service_id), base_url)


def hsds_terms(parsed: dict[str, Any]) -> dict[str, Any]:
    every = hsds.terms()
    start = (parsed["page"] - 1) * parsed["per_page"]
    chosen = every[start : start + parsed["per_page"]]
    contents = [hsds.taxonomy_term(term) for term in chosen]
    return hsds.page_of(contents, len(every), parsed["page"], parsed["per_page"])


def hsds_term(term_id: str) -> dict[str, Any]:
    term = hsds.term_by_id(term_id)
    if term is None:
        raise TaxonomyNotFound(f"No taxonomy term {term_id}.")
    return hsds.taxonomy_term(term)


def hsds_taxonomies(parsed: dict[str, Any]) -> dict[str, Any]:
    contents = [hsds.taxonomy()] if parsed["page"] == 1 else []
    return hsds.page_of(contents, 1, parsed["page"], parsed["per_page"])


def hsds_taxonomy(taxonomy_id: str) -> dict[str, Any]:
    if taxonomy_id != hsds.taxonomy()["id"]:
        raise TaxonomyNotFound(f"No taxonomy {taxonomy_id}.")
    return hsds.taxonomy()


def _public_listings(session: Session, member_ids: list[str]) -> dict[str, Listing]:
    if not member_ids:
        return {}
    query = select(Listing).where(
        Listing.member_id.in_(set(member_ids)), Listing.public
    )
    return {row.member_id: row for row in session.scalars(query)}


def _members(session: Session, member_ids: list[str]) -> dict[str, Member]:
    if not member_ids:
        return {}
    query = select(Member).where(Member.member_id.in_(set(member_ids)))
    return {row.member_id: row for row in session.scalars(query)}
