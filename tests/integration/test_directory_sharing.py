"""Offers and requests, responses and exchanges, on both databases."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from contracts.errors import InvalidInput
from contracts.events import lookup
from infra.validation import parse
from services.directory import queries, sharing
from services.directory.exceptions import (
    AlreadyAgreed,
    BadAgreement,
    NotAnActiveMember,
    NotAParty,
    OwnPost,
    PostClosed,
)
from services.directory.models import Base, Exchange, Post, Response
from services.directory.schemas import PostSchema
from tests.support.directory import deliver, events
from tests.support.directory import left as left_event
from tests.support.directory import member as a_member


@pytest.fixture
def people(directory_db):
    """Two active members: Bethan (listed) and Cai (not listed)."""
    bethan = a_member("Bethan", area="W06000011")
    cai = a_member("Cai", area="W06000015", listed=False)
    for person in (bethan, cai):
        deliver(directory_db, "MemberJoined", person)
    return bethan["member_id"], cai["member_id"]


def offer(directory_db, member_id: str, **fields) -> Post:
    form = {
        "kind": "offer",
        "category": "time",
        "title": "Dwy awr o arddio",
        "description": "Help gyda'r ardd gymunedol.",
        "area": "Abertawe",
        "tags": ["Bwyd"],
        "ends_on": (sharing.today() + timedelta(days=30)).isoformat(),
        **fields,
    }
    return sharing.post(directory_db, member_id, parse(PostSchema(), form))


def posts_found(directory_db, **criteria) -> list[str]:
    query = {"q": "", "page": 1, "per_page": 20, **criteria}
    return [item["title"] for item in queries.find_posts(directory_db, query)["items"]]


def data_of(event: dict) -> dict:
    assert lookup(event["type"]).schema().validate(event["data"]) == {}
    return event["data"]


def test_a_posted_offer_is_announced_and_found(directory_db, people):
    bethan, _ = people

    made = offer(directory_db, bethan)

    [event] = events(directory_db, "OfferPosted")
    assert data_of(event)["post_id"] == made.id
    assert data_of(event)["tags"] == ["food"]
    assert posts_found(directory_db, q="arddio") == ["Dwy awr o arddio"]
    assert posts_found(directory_db, q="food", area="W06000011") == ["Dwy awr o arddio"]
    assert posts_found(directory_db, kind="request") == []


def test_a_poster_is_named_only_when_they_are_listed(directory_db, people):
    bethan, cai = people
    offer(directory_db, bethan, title="Cynnig Bethan")
    offer(directory_db, cai, title="Cynnig Cai", kind="request", category="resources")

    shown = queries.find_posts(directory_db, {"q": "cynnig", "page": 1, "per_page": 9})

    posters = {item["title"]: item["poster"] for item in shown["items"]}
    assert posters["Cynnig Bethan"]["name"] == "Bethan"
    assert posters["Cynnig Cai"] is None
    assert data_of(events(directory_db, "RequestPosted")[0])["category"] == "resources"


def test_posts_for_all_of_wales_show_in_every_area(directory_db, people):
    bethan, _ = people
    offer(
        directory_db, bethan, title="Cyngor ar grantiau", area=None, category="skills"
    )

    assert posts_found(directory_db, area="W06000001") == ["Cyngor ar grantiau"]


def test_an_ended_post_drops_out_of_search_and_takes_no_responses(directory_db, people):
    bethan, cai = people
    post_id = offer(directory_db, bethan).id
    with directory_db.begin():
        yesterday = sharing.today() - timedelta(days=1)
        directory_db.execute(
            update(Post).where(Post.id == post_id).values(ends_on=yesterday)
        )

    assert posts_found(directory_db) == []
    with pytest.raises(PostClosed):
        sharing.respond(directory_db, cai, post_id, "Gallaf helpu")


def test_a_response_goes_to_the_poster_without_any_address(directory_db, people):
    bethan, cai = people
    made = offer(directory_db, bethan)

    sharing.respond(directory_db, cai, made.id, "Gallaf helpu ddydd Sadwrn.")

    [event] = events(directory_db, "ResponseSent")
    sent = data_of(event)
    assert (sent["poster_id"], sent["responder_id"]) == (bethan, cai)
    assert (sent["responder_name"], sent["message"]) == (
        "Cai",
        "Gallaf helpu ddydd Sadwrn.",
    )
    assert "@" not in str(event)
    columns = [c.name for table in Base.metadata.tables.values() for c in table.columns]
    assert not [name for name in columns if "email" in name or "address" in name]


def test_nobody_responds_to_their_own_post_and_only_members_respond(
    directory_db, people
):
    bethan, _ = people
    post_id = offer(directory_db, bethan).id

    with pytest.raises(OwnPost):
        sharing.respond(directory_db, bethan, post_id, "Fi fy hun")
    with pytest.raises(NotAnActiveMember):
        sharing.respond(directory_db, "not-a-member", post_id, "Helo")


def test_an_exchange_is_recorded_once_both_sides_agree(directory_db, people):
    bethan, cai = people
    response = sharing.respond(
        directory_db, cai, offer(directory_db, bethan).id, "Iawn"
    )

    sharing.agree(directory_db, bethan, response.id, 2.5)
    assert events(directory_db, "ExchangeAgreed") == []
    agreed = sharing.agree(directory_db, cai, response.id, None)

    [event] = events(directory_db, "ExchangeAgreed")
    recorded = data_of(event)
    assert recorded["exchange_id"] == agreed.exchange_id
    assert (recorded["giver_id"], recorded["receiver_id"]) == (bethan, cai)
    assert (recorded["category"], recorded["hours"], recorded["area"]) == (
        "time",
        2.5,
        "W06000011",
    )
    with pytest.raises(AlreadyAgreed):
        sharing.agree(directory_db, bethan, agreed.id, None)


def test_for_a_request_the_responder_is_the_giver(directory_db, people):
    bethan, cai = people
    asked = offer(
        directory_db,
        bethan,
        kind="request",
        category="resources",
        title="Angen taflunydd",
    )
    response = sharing.respond(directory_db, cai, asked.id, "Mae gen i un")

    sharing.agree(directory_db, cai, response.id, None)
    sharing.agree(directory_db, bethan, response.id, None)

    recorded = data_of(events(directory_db, "ExchangeAgreed")[0])
    assert (recorded["giver_id"], recorded["receiver_id"], recorded["hours"]) == (
        cai,
        bethan,
        None,
    )


def test_changed_hours_must_be_agreed_again(directory_db, people):
    bethan, cai = people
    response = sharing.respond(
        directory_db, cai, offer(directory_db, bethan).id, "Iawn"
    )
    sharing.agree(directory_db, bethan, response.id, 2)

    changed = sharing.agree(directory_db, cai, response.id, 3)

    assert (changed.poster_agreed_at, changed.exchange_id, changed.hours) == (
        None,
        None,
        3,
    )
    assert (
        sharing.agree(directory_db, bethan, response.id, None).exchange_id is not None
    )


def test_agreements_that_cannot_stand_are_refused(directory_db, people):
    bethan, cai = people
    time = sharing.respond(directory_db, cai, offer(directory_db, bethan).id, "Iawn").id
    skills = offer(
        directory_db, bethan, category="skills", title="Help gyda thaenlenni"
    )
    other = sharing.respond(directory_db, cai, skills.id, "Iawn").id

    with pytest.raises(BadAgreement) as no_hours:
        sharing.agree(directory_db, bethan, time, None)
    with pytest.raises(BadAgreement) as hours_for_skills:
        sharing.agree(directory_db, bethan, other, 1)
    with pytest.raises(NotAParty):
        sharing.agree(directory_db, "someone-else", time, 1)
    assert "hours" in no_hours.value.errors
    assert "hours" in hours_for_skills.value.errors


def test_leaving_with_erasure_removes_posts_and_words_but_keeps_the_counts(
    directory_db, people
):
    bethan, cai = people
    made = offer(directory_db, bethan)
    response = sharing.respond(directory_db, cai, made.id, "Iawn")
    sharing.agree(directory_db, bethan, response.id, 2)
    sharing.agree(directory_db, cai, response.id, None)
    sharing.respond(
        directory_db,
        bethan,
        offer(directory_db, cai, title="Cynnig Cai", area="Caerdydd").id,
        "Diolch",
    )

    deliver(
        directory_db, "MemberLeft", left_event(a_member("Bethan", member_id=bethan))
    )

    with directory_db.begin():
        assert directory_db.scalar(select(func.count()).select_from(Post)) == 1
        assert directory_db.scalar(select(func.count()).select_from(Response)) == 0
        exchange = directory_db.scalar(select(Exchange))
        assert (exchange.giver_id, exchange.receiver_id) == (None, cai)
    swansea = next(
        r for r in queries.map_counts(directory_db)["areas"] if r["code"] == "W06000011"
    )
    assert (swansea["exchanges"], swansea["hours"], swansea["offers"]) == (1, 2.0, 0)


def test_the_map_counts_every_area_and_all_of_wales(directory_db, people):
    bethan, _ = people
    offer(directory_db, bethan)
    offer(directory_db, bethan, kind="request", area=None, category="experience")

    counts = queries.map_counts(directory_db)

    assert len(counts["areas"]) == 22
    by_code = {row["code"]: row for row in counts["areas"]}
    assert (by_code["W06000011"]["members"], by_code["W06000011"]["offers"]) == (1, 1)
    assert by_code["W06000015"]["members"] == 1
    assert by_code["W06000001"] == {**by_code["W06000001"], "members": 0, "offers": 0}
    assert counts["all_wales"]["requests"] == 1


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"ends_on": "2000-01-01"}, "ends_on"),
        ({"ends_on": "2999-01-01"}, "ends_on"),
        ({"category": "money"}, "category"),
        ({"kind": "gift"}, "kind"),
        ({"title": "x"}, "title"),
        ({"area": "Narnia"}, "area"),
    ],
)
def test_posts_that_cannot_stand_are_refused_naming_the_field(fields, field):
    form = {
        "kind": "offer",
        "category": "time",
        "title": "Help",
        "ends_on": sharing.today().isoformat(),
        **fields,
    }

    with pytest.raises(InvalidInput) as refused:
        parse(PostSchema(), form)

    assert field in refused.value.errors
