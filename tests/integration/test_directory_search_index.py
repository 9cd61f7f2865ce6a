"""The directory's in-process search index keeps in step with the database:
built a chunk of listings at a time, brought up to date from the change log,
walked again when the log was pruned past it, and mended by the timer's
reconcile when the log missed something, on SQLite and PostgreSQL."""

import logging
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import delete, select

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


def prune_all(session) -> int:
    return searchindex.prune(session, datetime.now(UTC) + timedelta(days=1))


def test_a_log_pruned_past_what_the_index_saw_makes_it_walk_the_database(session):
    first, second = listed(session, "Hen Enw"), listed(session, "Ail Enw")
    index = SearchIndex()
    found(session, index)
    renamed(session, first, "Enw Newydd")  # pruned before any search saw it
    renamed(session, second, "Ail Newydd")  # the newest change: the log keeps it

    pruned = prune_all(session)
    found(session, index)

    assert pruned >= 1
    assert index.having("name", ["newydd"]) and not index.having("name", ["hen"])


def test_pruning_keeps_the_newest_change_so_ids_never_start_again(session):
    joined = listed(session, "Cyntaf")
    renamed(session, joined, "Ail")
    newest = max(change_ids(session))

    prune_all(session)
    listed(session, "Trydydd")

    assert change_ids(session)[0] == newest
    assert min(change_ids(session)[1:]) > newest


def change_ids(session) -> list[int]:
    with session.begin():
        return sorted(session.scalars(select(ListingChange.id)))


def test_a_first_build_that_fails_part_way_leaves_nothing_half_done(
    session, small_chunks, monkeypatch
):
    people = [listed(session, name) for name in ("Zed", "Yan", "Xia", "Wil", "Uma")]
    index = SearchIndex()
    monkeypatch.setattr(searchindex, "_fetch", failing_on(3, searchindex._fetch))
    with pytest.raises(ConnectionError):
        found(session, index)
    monkeypatch.undo()

    renamed(session, people[1], "Bea")

    assert found(session, index) == ["Bea", "Uma", "Wil", "Xia", "Zed"]
    assert list(index.in_order()) == sorted(index.in_order(), key=index.sort_key)


def failing_on(call: int, fetch):
    """`fetch` that fails once, on its `call`th call, as a lost connection."""
    calls = []

    def fetching(*args):
        calls.append(1)
        if len(calls) == call:
            raise ConnectionError("the database went away")
        return fetch(*args)

    return fetching


def test_reconcile_walks_the_whole_database_first_when_the_log_has_a_gap(
    session, small_chunks, monkeypatch
):
    """Otherwise searches meanwhile, and after a reconcile that stopped early,
    would miss what was pruned until its chunk's turn came."""
    people = [listed(session, name) for name in ("Aled", "Bryn", "Cai", "Dewi")]
    index = SearchIndex()
    found(session, index)
    renamed(session, people[3], "Zac")  # in the last chunk, and pruned
    renamed(session, people[0], "Aled Dau")
    prune_all(session)
    had_news = []  # per chunk mended: whether the index held "zac" already
    mend_span = searchindex.SearchIndex._mend_span

    def watching(self, *args, **kwargs):
        had_news.append(bool(self.having("name", ["zac"])))
        return mend_span(self, *args, **kwargs)

    monkeypatch.setattr(searchindex.SearchIndex, "_mend_span", watching)

    assert index.reconcile(session) == 0
    assert had_news[-1] and index.having("name", ["zac"])


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


def test_a_listing_withdrawn_since_the_index_last_looked_is_never_shown(session):
    hidden = listed(session, "Cuddio")
    listed(session, "Aros")
    index = SearchIndex()
    found(session, index)
    unlisted = {**hidden, "version": 2, "consents": {**hidden["consents"]}}
    unlisted["consents"]["listed"] = False
    deliver(session, "MemberUpdated", {**unlisted, "changed": ["consents"]})
    forget_the_log(session)  # as if this search ran before the index heard

    assert found(session, index) == ["Aros"]
