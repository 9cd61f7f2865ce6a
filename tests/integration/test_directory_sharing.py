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
from tests.support.directory import deliver, directory_session, events
from tests.support.directory import left as left_event
from tests.support.directory import member as a_member


@pytest.fixture
def session(db_url):
    with directory_session(db_url) as session:
        yield session


@pytest.fixture
def people(session):
    """Two active members: Bethan (listed) and Cai (not listed)."""
    bethan = a_member("Bethan", area="W06000011")
    cai = a_member("Cai", area="W06000015", listed=False)
    for person in (bethan, cai):
        deliver(session, "MemberJoined", person)
    return bethan["member_id"], cai["member_id"]


def offer(session, member_id: str, **fields) -> Post:
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
    return sharing.post(session, member_id, parse(PostSchema(), form))


def posts_found(session, **criteria) -> list[str]:
    query = {"q": "", "page": 1, "per_page": 20, **criteria}
    return [item["title"] for item in queries.find_posts(session, query)["items"]]


def data_of(event: dict) -> dict:
    assert lookup(event["type"]).schema().validate(event["data"]) == {}
    return event["data"]


def test_a_posted_offer_is_announced_and_found(session, people):
    bethan, _ = people

    made = offer(session, bethan)

    [event] = events(session, "OfferPosted")
    assert data_of(event)["post_id"] == made.id
    assert data_of(event)["tags"] == ["food"]
    assert posts_found(session, q="arddio") == ["Dwy awr o arddio"]
    assert posts_found(session, q="food", area="W06000011") == ["Dwy awr o arddio"]
    assert posts_found(session, kind="request") == []


def test_a_poster_is_named_only_when_they_are_listed(session, people):
    bethan, cai = people
    offer(session, bethan, title="Cynnig Bethan")
    offer(session, cai, title="Cynnig Cai", kind="request", category="resources")

    shown = queries.find_posts(session, {"q": "cynnig", "page": 1, "per_page": 9})

    posters = {item["title"]: item["poster"] for item in shown["items"]}
    assert posters["Cynnig Bethan"]["name"] == "Bethan"
    assert posters["Cynnig Cai"] is None
    assert data_of(events(session, "RequestPosted")[0])["category"] == "resources"


def test_posts_for_all_of_wales_show_in_every_area(session, people):
    bethan, _ = people
    offer(session, bethan, title="Cyngor ar grantiau", area=None, category="skills")

    assert posts_found(session, area="W06000001") == ["Cyngor ar grantiau"]


def test_an_ended_post_drops_out_of_search_and_takes_no_responses(session, people):
    bethan, cai = people
    post_id = offer(session, bethan).id
    with session.begin():
        yesterday = sharing.today() - timedelta(days=1)
        session.execute(
            update(Post).where(Post.id == post_id).values(ends_on=yesterday)
        )

    assert posts_found(session) == []
    with pytest.raises(PostClosed):
        sharing.respond(session, cai, post_id, "Gallaf helpu")


def test_a_response_goes_to_the_poster_without_any_address(session, people):
    bethan, cai = people
    made = offer(session, bethan)

    sharing.respond(session, cai, made.id, "Gallaf helpu ddydd Sadwrn.")

    [event] = events(session, "ResponseSent")
    sent = data_of(event)
    assert (sent["poster_id"], sent["responder_id"]) == (bethan, cai)
    assert (sent["responder_name"], sent["message"]) == (
        "Cai",
        "Gallaf helpu ddydd Sadwrn.",
    )
    assert "@" not in str(event)
    columns = [c.name for table in Base.metadata.tables.values() for c in table.columns]
    assert not [name for name in columns if "email" in name or "address" in name]


def test_nobody_responds_to_their_own_post_and_only_members_respond(session, people):
    bethan, _ = people
    post_id = offer(session, bethan).id

    with pytest.raises(OwnPost):
        sharing.respond(session, bethan, post_id, "Fi fy hun")
    with pytest.raises(NotAnActiveMember):
        sharing.respond(session, "not-a-member", post_id, "Helo")


def test_an_exchange_is_recorded_once_both_sides_agree(session, people):
    bethan, cai = people
    response = sharing.respond(session, cai, offer(session, bethan).id, "Iawn")

    sharing.agree(session, bethan, response.id, 2.5)
    assert events(session, "ExchangeAgreed") == []
    agreed = sharing.agree(session, cai, response.id, None)

    [event] = events(session, "ExchangeAgreed")
    recorded = data_of(event)
    assert recorded["exchange_id"] == agreed.exchange_id
    assert (recorded["giver_id"], recorded["receiver_id"]) == (bethan, cai)
    assert (recorded["category"], recorded["hours"], recorded["area"]) == (
        "time",
        2.5,
        "W06000011",
    )
    with pytest.raises(AlreadyAgreed):
        sharing.agree(session, bethan, agreed.id, None)


def test_for_a_request_the_responder_is_the_giver(session, people):
    bethan, cai = people
    asked = offer(
        session, bethan, kind="request", category="resources", title="Angen taflunydd"
    )
    response = sharing.respond(session, cai, asked.id, "Mae gen i un")

    sharing.agree(session, cai, response.id, None)
    sharing.agree(session, bethan, response.id, None)

    recorded = data_of(events(session, "ExchangeAgreed")[0])
    assert (recorded["giver_id"], recorded["receiver_id"], recorded["hours"]) == (
        cai,
        bethan,
        None,
    )


def test_changed_hours_must_be_agreed_again(session, people):
    bethan, cai = people
    response = sharing.respond(session, cai, offer(session, bethan).id, "Iawn")
    sharing.agree(session, bethan, response.id, 2)

    changed = sharing.agree(session, cai, response.id, 3)

    assert (changed.poster_agreed_at, changed.exchange_id, changed.hours) == (
        None,
        None,
        3,
    )
    assert sharing.agree(session, bethan, response.id, None).exchange_id is not None


def test_agreements_that_cannot_stand_are_refused(session, people):
    bethan, cai = people
    time = sharing.respond(session, cai, offer(session, bethan).id, "Iawn").id
    skills = offer(session, bethan, category="skills", title="Help gyda thaenlenni")
    other = sharing.respond(session, cai, skills.id, "Iawn").id

    with pytest.raises(BadAgreement) as no_hours:
        sharing.agree(session, bethan, time, None)
    with pytest.raises(BadAgreement) as hours_for_skills:
        sharing.agree(session, bethan, other, 1)
    with pytest.raises(NotAParty):
        sharing.agree(session, "someone-else", time, 1)
    assert "hours" in no_hours.value.errors
    assert "hours" in hours_for_skills.value.errors


def test_leaving_with_erasure_removes_posts_and_words_but_keeps_the_counts(
    session, people
):
    bethan, cai = people
    made = offer(session, bethan)
    response = sharing.respond(session, cai, made.id, "Iawn")
    sharing.agree(session, bethan, response.id, 2)
    sharing.agree(session, cai, response.id, None)
    sharing.respond(
        session,
        bethan,
        offer(session, cai, title="Cynnig Cai", area="Caerdydd").id,
        "Diolch",
    )

    deliver(session, "MemberLeft", left_event(a_member("Bethan", member_id=bethan)))

    with session.begin():
        assert session.scalar(select(func.count()).select_from(Post)) == 1
        assert session.scalar(select(func.count()).select_from(Response)) == 0
        exchange = session.scalar(select(Exchange))
        assert (exchange.giver_id, exchange.receiver_id) == (None, cai)
    swansea = next(
        r for r in queries.map_counts(session)["areas"] if r["code"] == "W06000011"
    )
    assert (swansea["exchanges"], swansea["hours"], swansea["offers"]) == (1, 2.0, 0)


def test_the_map_counts_every_area_and_all_of_wales(session, people):
    bethan, _ = people
    offer(session, bethan)
    offer(session, bethan, kind="request", area=None, category="experience")

    counts = queries.map_counts(session)

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
