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
from tests.support.directory import deliver
from tests.support.directory import left as left_event
from tests.support.directory import member as a_member


@pytest.fixture
def small_chunks(monkeypatch):
    """Two listings a chunk, so a handful of listings takes several."""
    monkeypatch.setattr(searchindex, "CHUNK", 2)


def listed(directory_db, name: str, **overrides) -> dict:
    joined = a_member(name, **overrides)
    deliver(directory_db, "MemberJoined", joined)
    return joined


def renamed(directory_db, joined: dict, name: str) -> dict:
    changed = {**joined, "version": joined["version"] + 1, "name": name}
    deliver(directory_db, "MemberUpdated", {**changed, "changed": ["name"]})
    return changed


def found(directory_db, index: SearchIndex, q: str = "", **criteria) -> list[str]:
    parsed = parse(SearchSchema(), {"q": q, **criteria})
    return [
        item["name"]
        for item in queries.find_listings(directory_db, index, parsed)["items"]
    ]


def forget_the_log(directory_db) -> None:
    with directory_db.begin():
        directory_db.execute(delete(ListingChange))


def test_an_index_built_a_chunk_at_a_time_holds_everyone_in_order(
    directory_db, small_chunks
):
    for name in ("Gwenllïan", "Aled", "Ŵyn", "Cerys", "Dafydd"):
        listed(directory_db, name, skills=["mentora"])
    index = SearchIndex()

    assert found(directory_db, index) == ["Aled", "Cerys", "Dafydd", "Gwenllïan", "Ŵyn"]
    assert found(directory_db, index, "", tag="mentoring", per_page=2) == [
        "Aled",
        "Cerys",
    ]
    assert index.bitmap("tag:mentoring").bit_count() == 5


def test_changes_to_more_listings_than_a_chunk_are_all_taken_up(
    directory_db, small_chunks
):
    people = [listed(directory_db, f"Aelod {n}") for n in range(5)]
    index = SearchIndex()
    found(directory_db, index)

    for number, person in enumerate(people):
        renamed(directory_db, person, f"Cyfaill {number}")

    assert found(directory_db, index, "cyfaill") == [f"Cyfaill {n}" for n in range(5)]
    assert found(directory_db, index, "aelod") == []


def prune_all(directory_db) -> int:
    return searchindex.prune(directory_db, datetime.now(UTC) + timedelta(days=1))


def test_a_log_pruned_past_what_the_index_saw_makes_it_walk_the_database(directory_db):
    first, second = listed(directory_db, "Hen Enw"), listed(directory_db, "Ail Enw")
    index = SearchIndex()
    found(directory_db, index)
    renamed(directory_db, first, "Enw Newydd")  # pruned before any search saw it
    renamed(directory_db, second, "Ail Newydd")  # the newest change: the log keeps it

    pruned = prune_all(directory_db)
    found(directory_db, index)

    assert pruned >= 1
    assert index.having("name", ["newydd"]) and not index.having("name", ["hen"])


def test_pruning_keeps_the_newest_change_so_ids_never_start_again(directory_db):
    joined = listed(directory_db, "Cyntaf")
    renamed(directory_db, joined, "Ail")
    newest = max(change_ids(directory_db))

    prune_all(directory_db)
    listed(directory_db, "Trydydd")

    assert change_ids(directory_db)[0] == newest
    assert min(change_ids(directory_db)[1:]) > newest


def change_ids(directory_db) -> list[int]:
    with directory_db.begin():
        return sorted(directory_db.scalars(select(ListingChange.id)))


def test_a_first_build_that_fails_part_way_leaves_nothing_half_done(
    directory_db, small_chunks, monkeypatch
):
    people = [
        listed(directory_db, name) for name in ("Zed", "Yan", "Xia", "Wil", "Uma")
    ]
    index = SearchIndex()
    monkeypatch.setattr(searchindex, "_fetch", failing_on(3, searchindex._fetch))
    with pytest.raises(ConnectionError):
        found(directory_db, index)
    monkeypatch.undo()

    renamed(directory_db, people[1], "Bea")

    assert found(directory_db, index) == ["Bea", "Uma", "Wil", "Xia", "Zed"]
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
    directory_db, small_chunks, monkeypatch
):
    """Otherwise searches meanwhile, and after a reconcile that stopped early,
    would miss what was pruned until its chunk's turn came."""
    people = [listed(directory_db, name) for name in ("Aled", "Bryn", "Cai", "Dewi")]
    index = SearchIndex()
    found(directory_db, index)
    renamed(directory_db, people[3], "Zac")  # in the last chunk, and pruned
    renamed(directory_db, people[0], "Aled Dau")
    prune_all(directory_db)
    had_news = []  # per chunk mended: whether the index held "zac" already
    mend_span = searchindex.SearchIndex._mend_span

    def watching(self, *args, **kwargs):
        had_news.append(bool(self.having("name", ["zac"])))
        return mend_span(self, *args, **kwargs)

    monkeypatch.setattr(searchindex.SearchIndex, "_mend_span", watching)

    assert index.reconcile(directory_db) == 0
    assert had_news[-1] and index.having("name", ["zac"])


def test_reconcile_mends_what_the_log_never_said_and_says_so(directory_db, caplog):
    stays, goes = listed(directory_db, "Siân Un"), listed(directory_db, "Dewi Dau")
    index = SearchIndex()
    found(directory_db, index)
    renamed(directory_db, stays, "Siân Tri")
    deliver(directory_db, "MemberLeft", left_event(goes))
    forget_the_log(directory_db)
    found(directory_db, index)
    stale = (index.bitmap("public").bit_count(), index.having("name", ["un"]))

    with caplog.at_level(logging.WARNING, logger=searchindex.__name__):
        mended = index.reconcile(directory_db)

    assert stale[0] == 2 and stale[1]
    assert mended == 2
    assert (index.bitmap("public").bit_count(), index.having("name", ["un"])) == (
        1,
        set(),
    )
    assert found(directory_db, index, "tri") == ["Siân Tri"]
    assert "search_index.mended listings=2" in caplog.text


def test_reconcile_of_an_index_in_step_changes_nothing(directory_db, small_chunks):
    for name in ("Elin", "Osian", "Nia"):
        listed(directory_db, name, skills=["hwyluso"])
    index = SearchIndex()
    found(directory_db, index)
    held = list(index.state.entries.slots)

    assert index.reconcile(directory_db) == 0
    assert index.state.entries.slots == held
    assert found(directory_db, index, "facilitation") == ["Elin", "Nia", "Osian"]


def test_reconcile_before_the_first_search_builds_the_index(directory_db):
    listed(directory_db, "Tegwen")
    index = SearchIndex()

    index.reconcile(directory_db)

    assert index.built
    assert list(index.in_order()) and found(directory_db, index) == ["Tegwen"]


def test_a_listing_edited_in_place_moves_in_the_order_and_the_facets(directory_db):
    joined = listed(directory_db, "Bethan", area="W06000015")
    listed(directory_db, "Carwyn", area="W06000015")
    index = SearchIndex()
    found(directory_db, index)

    renamed(directory_db, joined, "Zara")
    listings.edit(directory_db, joined["member_id"], {"skills": ["mentora"]})

    assert found(directory_db, index) == ["Carwyn", "Zara"]
    assert found(directory_db, index, "", tag="mentoring") == ["Zara"]
    assert index.having("name", ["bethan"]) == set()
    assert "bethan" not in index.state.postings["name"]


def test_reconcile_takes_the_logs_news_without_counting_it_as_mended(
    directory_db, caplog
):
    joined = listed(directory_db, "Heledd")
    index = SearchIndex()
    found(directory_db, index)
    renamed(directory_db, joined, "Heledd Wyn")

    with caplog.at_level(logging.WARNING, logger=searchindex.__name__):
        mended = index.reconcile(directory_db)

    assert mended == 0
    assert index.having("name", ["wyn"]) and "search_index.mended" not in caplog.text


def test_a_listing_withdrawn_since_the_index_last_looked_is_never_shown(directory_db):
    hidden = listed(directory_db, "Cuddio")
    listed(directory_db, "Aros")
    index = SearchIndex()
    found(directory_db, index)
    unlisted = {**hidden, "version": 2, "consents": {**hidden["consents"]}}
    unlisted["consents"]["listed"] = False
    deliver(directory_db, "MemberUpdated", {**unlisted, "changed": ["consents"]})
    forget_the_log(directory_db)  # as if this search ran before the index heard

    assert found(directory_db, index) == ["Aros"]
