"""Listings kept from membership's events, on both databases: order, repetition,
consent, status, erasure, and what owners may change."""

import pytest
from sqlalchemy import func, select, text

from contracts.errors import InvalidInput
from contracts.events import lookup
from infra.validation import parse
from services.directory import listings, queries
from services.directory.exceptions import ListingNotFound
from services.directory.models import Listing, ListingArea, ListingTag, Member
from services.directory.schemas import ListingEditSchema
from tests.support.directory import (
    deliver,
    envelope,
    events,
    find_listings,
)
from tests.support.directory import left as left_event
from tests.support.directory import member as a_member


def names(directory_db, q: str = "") -> list[str]:
    found = find_listings(
        directory_db, {"q": q, "page": 1, "per_page": 50, "facets": False}
    )
    return [item["name"] for item in found["items"]]


def valid(event: dict) -> dict:
    """The event's data, checked against its contract."""
    contract = lookup(event["type"])
    assert contract.schema().validate(event["data"]) == {}
    return event["data"]


def test_a_pending_member_is_listed_only_once_verified(directory_db):
    joined = a_member("Nia Ben Aur", status="pending")

    deliver(directory_db, "MemberJoined", joined)
    assert names(directory_db) == []

    deliver(
        directory_db, "MemberVerified", {**joined, "status": "active", "version": 2}
    )
    assert names(directory_db) == ["Nia Ben Aur"]
    published = events(directory_db, "ListingPublished")
    assert [valid(e)["name"] for e in published] == ["Nia Ben Aur"]


def test_the_same_event_twice_changes_nothing_the_second_time(directory_db):
    joined = a_member("Eirlys")
    delivered = envelope("MemberJoined", joined)

    assert deliver(directory_db, "MemberJoined", joined, delivered) == "published"
    assert deliver(directory_db, "MemberJoined", joined, delivered) is None

    assert names(directory_db) == ["Eirlys"]
    assert len(events(directory_db, "ListingPublished")) == 1


def test_an_older_update_arriving_late_never_wins(directory_db):
    first = a_member("Elin", version=1)
    newer = {**first, "name": "Elin Haf", "version": 3}
    older = {**first, "name": "Elin Hen", "version": 2}

    for data in (first, newer, older):
        deliver(directory_db, "MemberUpdated", {**data, "changed": ["name"]})

    assert names(directory_db) == ["Elin Haf"]


def test_updates_in_any_order_end_the_same(directory_db):
    first = a_member("Gwion", version=1)
    hidden = {**first, "version": 2, "consents": {**first["consents"], "listed": False}}
    shown = {**first, "version": 3, "name": "Gwion Bach"}

    for data in (shown, first, hidden):
        deliver(directory_db, "MemberUpdated", {**data, "changed": ["consents"]})

    assert names(directory_db) == ["Gwion Bach"]


def test_withdrawing_consent_removes_the_listing_and_says_why(directory_db):
    joined = a_member("Catrin")
    deliver(directory_db, "MemberJoined", joined)

    withdrawn = {
        **joined,
        "version": 2,
        "consents": {**joined["consents"], "listed": False},
    }
    deliver(directory_db, "MemberUpdated", {**withdrawn, "changed": ["consents"]})

    assert names(directory_db, "catrin") == []
    [event] = events(directory_db, "ListingWithdrawn")
    assert valid(event)["reason"] == "consent_withdrawn"


def test_a_lapsed_member_stays_listed(directory_db):
    joined = a_member("Owain")
    deliver(directory_db, "MemberJoined", joined)

    lapsed = {**joined, "version": 2, "status": "lapsed", "changed": ["status"]}
    deliver(directory_db, "MemberUpdated", lapsed)

    assert names(directory_db) == ["Owain"]
    assert events(directory_db, "ListingWithdrawn") == []


def test_leaving_with_erasure_keeps_only_the_tombstone(directory_db):
    joined = a_member("Llinos", skills=["hwyluso"], interests=["Cadw gwenyn"])
    deliver(directory_db, "MemberJoined", joined)
    listings.edit(directory_db, joined["member_id"], {"description": "Rwy'n hwyluso."})

    deliver(directory_db, "MemberLeft", left_event(joined, erase=True))

    with directory_db.begin():
        copy = directory_db.get(Member, joined["member_id"])
        assert (copy.status, copy.name, copy.kind, copy.skills) == (
            "left",
            None,
            None,
            [],
        )
        for model in (Listing, ListingArea, ListingTag):
            assert directory_db.scalar(select(func.count()).select_from(model)) == 0
        searchable = (
            "SELECT count(*) FROM listings_fts WHERE listings_fts MATCH 'llinos'"
        )
        if directory_db.get_bind().dialect.name == "sqlite":
            assert directory_db.scalar(text(searchable)) == 0
    assert valid(events(directory_db, "ListingWithdrawn")[0])["reason"] == "left"


def test_nothing_comes_back_after_leaving(directory_db):
    joined = a_member("Rhodri")
    deliver(directory_db, "MemberJoined", joined)
    deliver(directory_db, "MemberLeft", left_event(joined, version=2))

    deliver(
        directory_db, "MemberUpdated", {**joined, "version": 9, "changed": ["name"]}
    )
    deliver(directory_db, "MemberVerified", {**joined, "version": 10})

    assert names(directory_db) == []


def test_leaving_before_the_join_arrives_still_keeps_them_out(directory_db):
    joined = a_member("Seren")

    deliver(directory_db, "MemberLeft", left_event(joined, version=2))
    deliver(directory_db, "MemberJoined", joined)

    assert names(directory_db) == []
    assert events(directory_db, "ListingPublished") == []


def test_leaving_without_erasure_hides_the_listing_but_keeps_it(directory_db):
    joined = a_member("Iolo")
    deliver(directory_db, "MemberJoined", joined)

    deliver(directory_db, "MemberLeft", left_event(joined, erase=False))

    assert names(directory_db) == []
    with directory_db.begin():
        assert directory_db.scalar(select(Listing.name)) == "Iolo"


def test_the_owner_edits_what_the_listing_says(directory_db):
    joined = a_member("Menter Iaith", kind="organisation", area="W06000011")
    deliver(directory_db, "MemberJoined", joined)
    changes = parse(
        ListingEditSchema(),
        {
            "description": "Gweithdai sgwrsio i oedolion.",
            "skills": ["Cyfieithu", "Sign language"],
            "assets": ["lle i gyfarfod"],
            "areas": ["Abertawe", "Castell-nedd Port Talbot"],
            "place": {"name": "Treforys", "latitude": 51.66, "longitude": -3.92},
        },
    )

    listings.edit(directory_db, joined["member_id"], changes)

    shown = queries.own_listing(directory_db, joined["member_id"])
    assert [tag["code"] for tag in shown["skills"]] == ["translation", None]
    assert shown["assets"][0]["en"] == "Meeting space"
    assert [area["code"] for area in shown["areas"]] == ["W06000011", "W06000012"]
    assert shown["place"]["name"] == "Treforys"
    assert names(directory_db, "sgwrsio") == ["Menter Iaith"]
    assert names(directory_db, "sign language") == ["Menter Iaith"]
    assert len(events(directory_db, "ListingPublished")) == 2


def test_a_profile_update_does_not_undo_the_owners_own_words(directory_db):
    joined = a_member("Alys", skills=["hwyluso"])
    deliver(directory_db, "MemberJoined", joined)
    listings.edit(directory_db, joined["member_id"], {"skills": ["evaluation"]})

    changed = {**joined, "version": 2, "skills": ["ymchwil"], "name": "Alys Mai"}
    deliver(directory_db, "MemberUpdated", {**changed, "changed": ["skills", "name"]})

    shown = queries.own_listing(directory_db, joined["member_id"])
    assert (shown["name"], [t["code"] for t in shown["skills"]]) == (
        "Alys Mai",
        ["evaluation"],
    )


def test_all_of_wales_is_found_in_every_area(directory_db):
    joined = a_member("Cwmni Cenedlaethol", kind="organisation", area="W06000015")
    deliver(directory_db, "MemberJoined", joined)
    listings.edit(directory_db, joined["member_id"], {"all_wales": True})

    found = find_listings(
        directory_db, {"q": "", "area": "W06000001", "page": 1, "per_page": 5}
    )

    assert [item["name"] for item in found["items"]] == ["Cwmni Cenedlaethol"]
    assert found["items"][0]["all_wales"] is True


def test_a_member_without_a_listing_cannot_edit_one(directory_db):
    joined = a_member("Cudd", listed=False)
    deliver(directory_db, "MemberJoined", joined)

    with pytest.raises(ListingNotFound):
        listings.edit(directory_db, joined["member_id"], {"description": "x"})


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"areas": ["Atlantis"]}, "areas"),
        ({"areas": []}, "areas"),
        ({"place": {"latitude": 48.85, "longitude": 2.35}}, "place"),
        ({"skills": ["%%%"]}, "skills"),
        ({"description": "x" * 2001}, "description"),
        ({"colour": "glas"}, "colour"),
    ],
)
def test_edits_that_cannot_stand_are_refused_naming_the_field(changes, field):
    with pytest.raises(InvalidInput) as refused:
        parse(ListingEditSchema(), changes)

    assert field in refused.value.errors
