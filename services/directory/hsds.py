"""Public listings as Open Referral HSDS 3.0 (UK profile) JSON.

Each listing is a `service`, offered by an `organization` (the organisation
itself, or the organisation an individual named, or the individual); the
principal areas it serves are `service_areas`, linked to their ONS statistical
geography URIs; a place with coordinates is a `location` through a
`service_at_location`; tags are `attributes` pointing at `taxonomy_terms` of the
directory's vocabulary. A free tag is an attribute of the term `free-tag` with
the tag's text as its value. `assured_date` is the day the listing was last
reviewed. Ids other than the service's are derived (UUID 5), so they are stable.

Lists follow the UK profile's paging: `page` from 1 and `per_page` in, and
`total_items`, `total_pages`, `page_number`, `size`, `first_page`, `last_page`,
`empty` and `contents` out."""

import math
import uuid
from typing import Any

from contracts import areas
from services.directory import listings, vocabulary
from services.directory.models import Listing

PROFILE = "https://github.com/OpenReferralUK/uk-profile/blob/main/docs/index.md"
OPENAPI = "https://raw.githubusercontent.com/OpenReferralUK/uk-profile/main/schema/openapi.json"
GEOGRAPHY = "http://statistics.data.gov.uk/id/statistical-geography/"
FREE_TAG = vocabulary.Term("free-tag", "Tag rhydd", "Free tag")


def about() -> dict[str, str]:
    """The `/` endpoint: the HSDS version and the profile this API follows."""
    return {"version": "3.0", "profile": PROFILE, "openapi_url": OPENAPI}


def page_of(contents: list, total: int, page: int, per_page: int) -> dict[str, Any]:
    pages = math.ceil(total / per_page) if total else 0
    return {
        "total_items": total,
        "total_pages": pages,
        "page_number": page,
        "size": len(contents),
        "first_page": page == 1,
        "last_page": page >= pages,
        "empty": total == 0,
        "contents": contents,
    }


def service(listing: Listing, base_url: str, full: bool = True) -> dict[str, Any]:
    shown = {
        "id": listing.id,
        "organization_id": _organization_id(listing),
        "name": listing.name,
        "description": listing.description or "",
        "url": f"{base_url}/api/v1/directory/listings/{listing.id}",
        "status": "active",
        "assured_date": listing.last_reviewed_at.date().isoformat(),
        "last_modified": listing.updated_at.isoformat(),
        "organization": organization(listing),
    }
    if full:
        shown["service_areas"] = _service_areas(listing)
        shown["service_at_locations"] = _service_at_locations(listing)
        shown["attributes"] = _attributes(listing)
    return shown


def organization(listing: Listing) -> dict[str, Any]:
    name = listing.name if listing.kind == "organisation" else listing.organisation
    return {
        "id": _organization_id(listing),
        "name": name or listing.name,
        "description": listing.description or ""
        if listing.kind == "organisation"
        else "",
    }


def taxonomy() -> dict[str, Any]:
    vocab = vocabulary.taxonomy()
    return {
        "id": vocab.id,
        "name": vocab.name_en,
        "name_cy": vocab.name_cy,
        "description": "Skills, interests and assets to share, for co-production.",
        "uri": None,
        "version": vocab.version,
    }


def terms() -> list[vocabulary.Term]:
    return [*vocabulary.taxonomy().terms, FREE_TAG]


def taxonomy_term(term: vocabulary.Term) -> dict[str, Any]:
    return {
        "id": term.id,
        "code": term.code,
        "name": term.en,
        "name_cy": term.cy,
        "description": term.en,
        "parent_id": None,
        "taxonomy": vocabulary.taxonomy().code,
        "taxonomy_id": vocabulary.taxonomy().id,
        "language": "en",
        "term_uri": None,
    }


def term_by_id(term_id: str) -> vocabulary.Term | None:
    return next((term for term in terms() if term.id == term_id), None)


def _derived(listing: Listing, what: str) -> str:
    return str(uuid.uuid5(uuid.UUID(listing.id), what))


def _organization_id(listing: Listing) -> str:
    return _derived(listing, "organization")


def _service_areas(listing: Listing) -> list[dict[str, Any]]:
    served = listings.effective_areas(listing)
    return [
        {
            "id": _derived(listing, f"service_area:{code}"),
            "service_id": listing.id,
            "name": f"{areas.by_code(code).name_en} / {areas.by_code(code).name_cy}",
            "description": "All of Wales" if listing.all_wales else None,
            "extent": None,
            "extent_type": None,
            "uri": GEOGRAPHY + code,
        }
        for code in served
    ]


def _service_at_locations(listing: Listing) -> list[dict[str, Any]]:
    if listing.latitude is None:
        return []
    location_id = _derived(listing, "location")
    location = {
        "id": location_id,
        "location_type": "physical",
        "name": listing.place_name or listing.name,
        "latitude": listing.latitude,
        "longitude": listing.longitude,
    }
    return [
        {
            "id": _derived(listing, "service_at_location"),
            "service_id": listing.id,
            "location_id": location_id,
            "location": location,
        }
    ]


def _attributes(listing: Listing) -> list[dict[str, Any]]:
    shown = []
    for role, tags in listings.effective_tags(listing).items():
        for tag in tags:
            term = vocabulary.term(tag)
            shown.append(_attribute(listing, role, tag, term))
    return shown


def _attribute(listing: Listing, role: str, tag: str, term) -> dict[str, Any]:
    return {
        "id": _derived(listing, f"attribute:{role}:{vocabulary.key(tag)}"),
        "link_id": listing.id,
        "link_type": role,
        "link_entity": "service",
        "value": tag if term is None else role,
        "taxonomy_term_id": (term or FREE_TAG).id,
        "taxonomy_term": taxonomy_term(term or FREE_TAG),
    }
