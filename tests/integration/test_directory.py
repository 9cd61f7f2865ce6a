"""The directory service as it runs: membership's events over the real broker,
its own events out through the outbox, RPC, and the yearly review timer."""

from datetime import UTC, datetime, timedelta

import pytest
from nameko.standalone.rpc import ServiceRpcProxy
from sqlalchemy import delete, update

from contracts.errors import InvalidInput
from services.directory.models import Listing, ListingChange
from services.directory.service import DirectoryService
from tests.support.amqp import EventTap, publish_event, republish
from tests.support.directory import deliver, directory_session
from tests.support.directory import left as left_event
from tests.support.members import snapshot
from tests.support.waiting import eventually


def joined(name: str, listed: bool = True, area: str = "W06000002", **kw) -> dict:
    return snapshot(name, listed=listed, area=area, kind="organisation", **kw)


@pytest.fixture
def directory(container_factory, config):
    container_factory(DirectoryService, config).start()
    with ServiceRpcProxy("directory", config) as proxy:
        yield proxy


def names(result: dict) -> list[str]:
    return [item["name"] for item in result["items"]]


def test_a_member_who_chose_to_be_listed_is_found(directory, config):
    publish_event(
        config["AMQP_URI"], "MemberJoined", "m1", joined("Tŷ Hapus Youth Project")
    )

    found = eventually(lambda: directory.search({"q": "ty hapus"})["items"])

    assert [area["code"] for area in found[0]["areas"]] == ["W06000002"]
    assert found[0]["areas"][0]["name_cy"] == "Gwynedd"


def test_a_pending_member_is_listed_once_verified(directory, config):
    pending = joined("Aros Am Gadarnhad", status="pending")
    publish_event(config["AMQP_URI"], "MemberJoined", "m1", pending)
    publish_event(config["AMQP_URI"], "MemberJoined", "m2", joined("Marcwr"))
    eventually(lambda: directory.search({"q": "marcwr"})["items"])
    assert directory.search({"q": "aros"})["items"] == []

    verified = {**pending, "status": "active", "version": 2}
    publish_event(config["AMQP_URI"], "MemberVerified", "m1", verified)

    assert eventually(lambda: names(directory.search({"q": "aros"})))


def test_a_member_who_chose_not_to_be_listed_is_not(directory, config):
    publish_event(config["AMQP_URI"], "MemberJoined", "m1", joined("Cudd", False))
    publish_event(config["AMQP_URI"], "MemberJoined", "m2", joined("Gweladwy"))

    eventually(lambda: directory.search({"q": "Gweladwy"})["items"])

    assert directory.search({"q": "Cudd"})["items"] == []


def test_the_same_event_twice_makes_one_listing(directory, config):
    envelope = publish_event(config["AMQP_URI"], "MemberJoined", "m1", joined("Eirlys"))
    republish(config["AMQP_URI"], envelope)
    publish_event(config["AMQP_URI"], "MemberJoined", "m2", joined("Marcwr"))

    eventually(lambda: directory.search({"q": "Marcwr"})["items"])

    assert names(directory.search({"q": "Eirlys"})) == ["Eirlys"]


def test_publishing_and_withdrawing_are_announced(directory, config):
    uri = config["AMQP_URI"]
    published = EventTap(uri, "directory", "ListingPublished")
    withdrawn = EventTap(uri, "directory", "ListingWithdrawn")
    member = joined("Cwmni Cydweithredol")

    publish_event(uri, "MemberJoined", "m1", member)
    published.collect(1)
    publish_event(uri, "MemberLeft", "m1", left_event(member))
    withdrawn.collect(1)

    assert published.seen[0]["data"]["name"] == "Cwmni Cydweithredol"
    assert published.seen[0]["source"] == "/coprod/directory"
    assert withdrawn.seen[0]["data"]["reason"] == "left"
    assert directory.search({"q": "cydweithredol"})["items"] == []
    for tap in (published, withdrawn):
        tap.close()


def test_a_bad_page_number_is_refused(directory):
    with pytest.raises(InvalidInput) as refused:
        directory.search({"q": "x", "page": 0})

    assert "page" in refused.value.errors


def test_the_yearly_review_is_asked_for_exactly_once_by_several_copies(
    container_factory, config
):
    with directory_session(config["DATABASE_URL"]) as session:
        member = snapshot("Adolygu", area="W06000015")
        deliver(session, "MemberJoined", member)
        with session.begin():
            year_ago = datetime.now(UTC) - timedelta(days=366)
            session.execute(update(Listing).values(review_due_at=year_ago))
    tap = EventTap(config["AMQP_URI"], "directory", "ListingReviewDue")
    ticking = {**config, "REVIEW_CHECK_SECONDS": 0.05}

    first = container_factory(DirectoryService, ticking)
    second = container_factory(DirectoryService, ticking)
    first.start()
    second.start()
    tap.collect(1)
    first.stop()
    container_factory(DirectoryService, ticking).start()  # a restarted copy

    events = tap.collect(2, timeout=3)
    tap.close()
    assert len(events) == 1
    assert events[0]["data"]["member_id"] == member["member_id"]
    with directory_session(config["DATABASE_URL"]) as session, session.begin():
        listing = session.query(Listing).one()
        assert listing.review_due_at > datetime.now(UTC) + timedelta(days=360)


def test_an_owner_marking_the_listing_reviewed_moves_the_next_review_on(
    directory, config
):
    member = joined("Adolygwyr")
    publish_event(config["AMQP_URI"], "MemberJoined", "m1", member)
    eventually(lambda: directory.search({"q": "adolygwyr"})["items"])

    reviewed = directory.mark_listing_reviewed(member["member_id"])

    due = datetime.fromisoformat(reviewed["review_due_at"])
    assert due > datetime.now(UTC) + timedelta(days=364)
    assert reviewed["last_reviewed_at"]


def test_the_timer_mends_the_search_index_when_the_log_missed_a_change(
    container_factory, config
):
    ticking = {**config, "SEARCH_RECONCILE_SECONDS": 0.2}
    container_factory(DirectoryService, ticking).start()
    moving = joined("Symud Ymlaen", area="W06000002")
    publish_event(config["AMQP_URI"], "MemberJoined", "m1", moving)
    with ServiceRpcProxy("directory", config) as directory:
        eventually(lambda: names(directory.search({"area": "W06000002"})))
        with directory_session(config["DATABASE_URL"]) as session:
            moved = {**moving, "version": 2, "area": "W06000015"}
            deliver(session, "MemberUpdated", {**moved, "changed": ["area"]})
            with session.begin():
                session.execute(delete(ListingChange))

        found = eventually(lambda: names(directory.search({"area": "W06000015"})))

        assert found == ["Symud Ymlaen"]
        assert names(directory.search({"area": "W06000002"})) == []
