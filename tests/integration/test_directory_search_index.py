"""The directory's in-process search index keeps in step with the database:
built a chunk of listings at a time, brought up to date from the change log,
walked again when the log was pruned past it, and mended by the timer's
reconcile when the log missed something, on SQLite and PostgreSQL."""

import logging

import pytest
from sqlalchemy import delete

from infra.validation import parse
from services.directory import listings, queries, searchindex
from services.directory.models import ListingChange
from services.directory.schemas import SearchSchema
from services.directory.searchindex import SearchIndex
from tests.support.directory import deliver, directory_session
from tests.support.directory import left as left_event
from tests.support.directory import member as a_member


@pytest.fixture
def session(db_url):
    with directory_session(db_url) as session:
        yield session


@pytest.fixture
def small_chunks(monkeypatch):
    """Two listings a chunk, so a handful of listings takes several."""
    monkeypatch.setattr(searchindex, "CHUNK", 2)


def listed(session, name: str, **overrides) -> dict:
    joined = a_member(name, **overrides)
    deliver(session, "MemberJoined", joined)
    return joined


def renamed(session, joined: dict, name: str) -> dict:
    changed = {**joined, "version": joined["version"] + 1, "name": name}
    deliver(session, "MemberUpdated", {**changed, "changed": ["name"]})
    return changed


def found(session, index: SearchIndex, q: str = "", **criteria) -> list[str]:
    parsed = parse(SearchSchema(), {"q": q, **criteria})
    return [
        item["name"] for item in queries.find_listings(session, index, parsed)["items"]
    ]


def forget_the_log(session) -> None:
    with session.begin():
        session.execute(delete(ListingChange))


def test_an_index_built_a_chunk_at_a_time_holds_everyone_in_order(
    session, small_chunks
):
    for name in ("Gwenllïan", "Aled", "Ŵyn", "Cerys", "Dafydd"):
        listed(session, name, skills=["mentora"])
    index = SearchIndex()

    assert found(session, index) == ["Aled", "Cerys", "Dafydd", "Gwenllïan", "Ŵyn"]
    assert found(session, index, "", tag="mentoring", per_page=2) == ["Aled", "Cerys"]
    assert index.bitmap("tag:mentoring").bit_count() == 5


def test_changes_to_more_listings_than_a_chunk_are_all_taken_up(session, small_chunks):
    people = [listed(session, f"Aelod {n}") for n in range(5)]
    index = SearchIndex()
    found(session, index)

    for number, person in enumerate(people):
        renamed(session, person, f"Cyfaill {number}")

    assert found(session, index, "cyfaill") == [f"Cyfaill {n}" for n in range(5)]
    assert found(session, index, "aelod") == []


def test_a_log_pruned_past_what_the_index_saw_makes_it_walk_the_database(session):
    first = listed(session, "Hen Enw")
    index = SearchIndex()
    found(session, index)
    renamed(session, first, "Enw Newydd")
    forget_the_log(session)
    listed(session, "Rhywun Arall")  # a change the log still has, after a gap

    assert found(session, index) == ["Enw Newydd", "Rhywun Arall"]


def test_reconcile_mends_what_the_log_never_said_and_says_so(session, caplog):
    stays, goes = listed(session, "Siân Un"), listed(session, "Dewi Dau")
    index = SearchIndex()
    found(session, index)
    renamed(session, stays, "Siân Tri")
    deliver(session, "MemberLeft", left_event(goes))
    forget_the_log(session)
    found(session, index)
    stale = (index.bitmap("public").bit_count(), index.having("name", ["un"]))

    with caplog.at_level(logging.WARNING, logger=searchindex.__name__):
        mended = index.reconcile(session)

    assert stale[0] == 2 and stale[1]
    assert mended == 2
    assert (index.bitmap("public").bit_count(), index.having("name", ["un"])) == (
        1,
        set(),
    )
    assert found(session, index, "tri") == ["Siân Tri"]
    assert "search_index.mended listings=2" in caplog.text


def test_reconcile_of_an_index_in_step_changes_nothing(session, small_chunks):
    for name in ("Elin", "Osian", "Nia"):
        listed(session, name, skills=["hwyluso"])
    index = SearchIndex()
    found(session, index)
    held = list(index.state.entries.slots)

    assert index.reconcile(session) == 0
    assert index.state.entries.slots == held
    assert found(session, index, "facilitation") == ["Elin", "Nia", "Osian"]


def test_reconcile_before_the_first_search_builds_the_index(session):
    listed(session, "Tegwen")
    index = SearchIndex()

    index.reconcile(session)

    assert index.built
    assert list(index.in_order()) and found(session, index) == ["Tegwen"]


def test_a_listing_edited_in_place_moves_in_the_order_and_the_facets(session):
    joined = listed(session, "Bethan", area="W06000015")
    listed(session, "Carwyn", area="W06000015")
    index = SearchIndex()
    found(session, index)

    renamed(session, joined, "Zara")
    listings.edit(session, joined["member_id"], {"skills": ["mentora"]})

    assert found(session, index) == ["Carwyn", "Zara"]
    assert found(session, index, "", tag="mentoring") == ["Zara"]
    assert index.having("name", ["bethan"]) == set()
    assert "bethan" not in index.state.postings["name"]


def test_reconcile_takes_the_logs_news_without_counting_it_as_mended(session, caplog):
    joined = listed(session, "Heledd")
    index = SearchIndex()
    found(session, index)
    renamed(session, joined, "Heledd Wyn")

    with caplog.at_level(logging.WARNING, logger=searchindex.__name__):
        mended = index.reconcile(session)

    assert mended == 0
    assert index.having("name", ["wyn"]) and "search_index.mended" not in caplog.text
