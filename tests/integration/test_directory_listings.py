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
    directory_session,
    envelope,
    events,
    find_listings,
)
from tests.support.directory import left as left_event
from tests.support.directory import member as a_member


@pytest.fixture
def session(db_url):
    with directory_session(db_url) as session:
        yield session


def names(session, q: str = "") -> list[str]:
    found = find_listings(session, {"q": q, "page": 1, "per_page": 50, "facets": False})
    return [item["name"] for item in found["items"]]


def valid(event: dict) -> dict:
    """The event's data, checked against its contract."""
    contract = lookup(event["type"])
    assert contract.schema().validate(event["data"]) == {}
    return event["data"]


def test_a_pending_member_is_listed_only_once_verified(session):
    joined = a_member("Nia Ben Aur", status="pending")

    deliver(session, "MemberJoined", joined)
    assert names(session) == []

    deliver(session, "MemberVerified", {**joined, "status": "active", "version": 2})
    assert names(session) == ["Nia Ben Aur"]
    published = events(session, "ListingPublished")
    assert [valid(e)["name"] for e in published] == ["Nia Ben Aur"]


def test_the_same_event_twice_changes_nothing_the_second_time(session):
    joined = a_member("Eirlys")
    delivered = envelope("MemberJoined", joined)

    assert deliver(session, "MemberJoined", joined, delivered) == "published"
    assert deliver(session, "MemberJoined", joined, delivered) is None

    assert names(session) == ["Eirlys"]
    assert len(events(session, "ListingPublished")) == 1


def test_an_older_update_arriving_late_never_wins(session):
    first = a_member("Elin", version=1)
    newer = {**first, "name": "Elin Haf", "version": 3}
    older = {**first, "name": "Elin Hen", "version": 2}

    for data in (first, newer, older):
        deliver(session, "MemberUpdated", {**data, "changed": ["name"]})

    assert names(session) == ["Elin Haf"]


def test_updates_in_any_order_end_the_same(session):
    first = a_member("Gwion", version=1)
    hidden = {**first, "version": 2, "consents": {**first["consents"], "listed": False}}
    shown = {**first, "version": 3, "name": "Gwion Bach"}

    for data in (shown, first, hidden):
        deliver(session, "MemberUpdated", {**data, "changed": ["consents"]})

    assert names(session) == ["Gwion Bach"]


def test_withdrawing_consent_removes_the_listing_and_says_why(session):
    joined = a_member("Catrin")
    deliver(session, "MemberJoined", joined)

    withdrawn = {
        **joined,
        "version": 2,
        "consents": {**joined["consents"], "listed": False},
    }
    deliver(session, "MemberUpdated", {**withdrawn, "changed": ["consents"]})

    assert names(session, "catrin") == []
    [event] = events(session, "ListingWithdrawn")
    assert valid(event)["reason"] == "consent_withdrawn"


def test_a_lapsed_member_stays_listed(session):
    joined = a_member("Owain")
    deliver(session, "MemberJoined", joined)

    lapsed = {**joined, "version": 2, "status": "lapsed", "changed": ["status"]}
    deliver(session, "MemberUpdated", lapsed)

    assert names(session) == ["Owain"]
    assert events(session, "ListingWithdrawn") == []


def test_leaving_with_erasure_keeps_only_the_tombstone(session):
    joined = a_member("Llinos", skills=["hwyluso"], interests=["Cadw gwenyn"])
    deliver(session, "MemberJoined", joined)
    listings.edit(session, joined["member_id"], {"description": "Rwy'n hwyluso."})

    deliver(session, "MemberLeft", left_event(joined, erase=True))

    with session.begin():
        copy = session.get(Member, joined["member_id"])
        assert (copy.status, copy.name, copy.kind, copy.skills) == (
            "left",
            None,
            None,
            [],
        )
        for model in (Listing, ListingArea, ListingTag):
            assert session.scalar(select(func.count()).select_from(model)) == 0
        searchable = (
            "SELECT count(*) FROM listings_fts WHERE listings_fts MATCH 'llinos'"
        )
        if session.get_bind().dialect.name == "sqlite":
            assert session.scalar(text(searchable)) == 0
    assert valid(events(session, "ListingWithdrawn")[0])["reason"] == "left"


def test_nothing_comes_back_after_leaving(session):
    joined = a_member("Rhodri")
    deliver(session, "MemberJoined", joined)
    deliver(session, "MemberLeft", left_event(joined, version=2))

    deliver(session, "MemberUpdated", {**joined, "version": 9, "changed": ["name"]})
    deliver(session, "MemberVerified", {**joined, "version": 10})

    assert names(session) == []


def test_leaving_before_the_join_arrives_still_keeps_them_out(session):
    joined = a_member("Seren")

    deliver(session, "MemberLeft", left_event(joined, version=2))
    deliver(session, "MemberJoined", joined)

    assert names(session) == []
    assert events(session, "ListingPublished") == []


def test_leaving_without_erasure_hides_the_listing_but_keeps_it(session):
    joined = a_member("Iolo")
    deliver(session, "MemberJoined", joined)

    deliver(session, "MemberLeft", left_event(joined, erase=False))

    assert names(session) == []
    with session.begin():
        assert session.scalar(select(Listing.name)) == "Iolo"


def test_the_owner_edits_what_the_listing_says(session):
    joined = a_member("Menter Iaith", kind="organisation", area="W06000011")
    deliver(session, "MemberJoined", joined)
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

    listings.edit(session, joined["member_id"], changes)

    shown = queries.own_listing(session, joined["member_id"])
    assert [tag["code"] for tag in shown["skills"]] == ["translation", None]
    assert shown["assets"][0]["en"] == "Meeting space"
    assert [area["code"] for area in shown["areas"]] == ["W06000011", "W06000012"]
    assert shown["place"]["name"] == "Treforys"
    assert names(session, "sgwrsio") == ["Menter Iaith"]
    assert names(session, "sign language") == ["Menter Iaith"]
    assert len(events(session, "ListingPublished")) == 2


def test_a_profile_update_does_not_undo_the_owners_own_words(session):
    joined = a_member("Alys", skills=["hwyluso"])
    deliver(session, "MemberJoined", joined)
    listings.edit(session, joined["member_id"], {"skills": ["evaluation"]})

    changed = {**joined, "version": 2, "skills": ["ymchwil"], "name": "Alys Mai"}
    deliver(session, "MemberUpdated", {**changed, "changed": ["skills", "name"]})

    shown = queries.own_listing(session, joined["member_id"])
    assert (shown["name"], [t["code"] for t in shown["skills"]]) == (
        "Alys Mai",
        ["evaluation"],
    )


def test_all_of_wales_is_found_in_every_area(session):
    joined = a_member("Cwmni Cenedlaethol", kind="organisation", area="W06000015")
    deliver(session, "MemberJoined", joined)
    listings.edit(session, joined["member_id"], {"all_wales": True})

    found = find_listings(
        session, {"q": "", "area": "W06000001", "page": 1, "per_page": 5}
    )

    assert [item["name"] for item in found["items"]] == ["Cwmni Cenedlaethol"]
    assert found["items"][0]["all_wales"] is True


def test_a_member_without_a_listing_cannot_edit_one(session):
    joined = a_member("Cudd", listed=False)
    deliver(session, "MemberJoined", joined)

    with pytest.raises(ListingNotFound):
        listings.edit(session, joined["member_id"], {"description": "x"})


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
