"""The membership service as it runs: nameko containers on the real broker."""

import uuid
from datetime import UTC, datetime

import pytest
from nameko.standalone.rpc import ServiceRpcProxy

from contracts.errors import InvalidInput
from services.membership.exceptions import MemberNotFound
from services.membership.service import MembershipService
from tests.support.amqp import EventTap, publish_event
from tests.support.membership import form


@pytest.fixture
def membership(container_factory, config):
    container_factory(MembershipService, config).start()
    with ServiceRpcProxy("membership", config) as proxy:
        yield proxy


@pytest.fixture
def tap(config):
    taps = []

    def make(event_type: str) -> EventTap:
        taps.append(EventTap(config["AMQP_URI"], "membership", event_type))
        return taps[-1]

    yield make
    for made in taps:
        made.close()


def test_joining_is_announced_on_the_broker_exactly_once(membership, tap):
    joined = tap("MemberJoined")

    for number in range(3):
        membership.join(form(email=f"aelod{number}@example.cymru"))

    events = joined.collect(4, timeout=3)
    assert len(events) == 3
    assert {e["data"]["status"] for e in events} == {"pending"}
    assert events[0]["specversion"] == "1.0"
    assert events[0]["subject"] == events[0]["data"]["member_id"]


def test_bad_input_is_refused_field_by_field(membership):
    bad = form(email="not an address", area="Bristol", language="fr")

    with pytest.raises(InvalidInput) as refused:
        membership.join(bad)

    assert set(refused.value.errors) == {"email", "area", "language"}
    assert "W06000015" in refused.value.errors["area"][0]


def test_a_bad_idempotency_key_is_refused(membership):
    with pytest.raises(InvalidInput) as refused:
        membership.join(form(), "a key with spaces")

    assert "key" in refused.value.errors


def test_an_unknown_member_is_not_found(membership):
    with pytest.raises(MemberNotFound):
        membership.get_member(str(uuid.uuid4()))
    with pytest.raises(InvalidInput):
        membership.get_member("nobody")


def test_feedback_from_the_stories_service_brings_a_lapsed_member_back(
    container_factory, config, tap
):
    quick = {**config, "FEEDBACK_ROUND_DAYS": 0.00001, "HOUSEKEEPING_SECONDS": 0.2}
    container_factory(MembershipService, quick).start()
    links, updates = tap("LinkRequested"), tap("MemberUpdated")
    with ServiceRpcProxy("membership", config) as membership:
        membership.join(form())
        member = membership.confirm(links.collect(1)[0]["data"]["token"])
        (lapsed,) = updates.collect(1)

        publish_event(
            config["AMQP_URI"],
            "FeedbackSubmitted",
            member["member_id"],
            {
                "feedback_id": str(uuid.uuid4()),
                "member_id": member["member_id"],
                "round": 2,
                "rating": 5,
                "shared": False,
                "submitted_at": datetime.now(UTC),
            },
        )

        statuses = [e["data"]["status"] for e in updates.collect(2)]
    assert lapsed["data"]["changed"] == ["status"]
    assert statuses[:2] == ["lapsed", "active"]


def test_two_copies_remove_each_unconfirmed_member_exactly_once(
    container_factory, config, tap
):
    # Two copies in one process on one SQLite file take turns at its lock; a
    # half-second tick keeps them from spending the test waiting on each other.
    quick = {**config, "UNCONFIRMED_AFTER_HOURS": 0, "HOUSEKEEPING_SECONDS": 0.5}
    left = tap("MemberLeft")
    for _ in range(2):
        container_factory(MembershipService, quick).start()

    with ServiceRpcProxy("membership", config) as membership:
        for number in range(6):
            membership.join(form(email=f"aelod{number}@example.cymru"))

    left.collect(6, timeout=60)
    events = left.collect(7, timeout=3)  # and nothing more comes
    members = [e["data"]["member_id"] for e in events]
    assert len({e["id"] for e in events}) == 6
    assert len(set(members)) == 6
    assert {e["data"]["reason"] for e in events} == {"unconfirmed"}
