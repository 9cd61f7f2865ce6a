"""A message a consumer cannot take is parked, logged without its content, and
the consumer carries on with the rest."""

import json

import pytest
from kombu import Connection, Exchange, Producer, Queue
from nameko.standalone.rpc import ServiceRpcProxy

from contracts.envelope import make_envelope
from infra.events import PARKING_EXCHANGE
from services.directory.service import DirectoryService
from tests.support.amqp import publish_event
from tests.support.members import snapshot
from tests.support.waiting import eventually

QUEUE = "evt-membership-MemberJoined--directory.on_member_joined"


@pytest.fixture
def directory(container_factory, config):
    container_factory(DirectoryService, {**config, "DELIVERY_LIMIT": 2}).start()
    with ServiceRpcProxy("directory", config) as proxy:
        yield proxy


def send_raw(amqp_uri: str, body: bytes, content_type: str) -> None:
    exchange = Exchange("membership.events", type="topic", durable=True)
    with Connection(amqp_uri) as connection:
        Producer(connection.default_channel).publish(
            body,
            exchange=exchange,
            routing_key="MemberJoined",
            content_type=content_type,
            content_encoding="utf-8",
        )


def parked(amqp_uri: str) -> list:
    queue = Queue(
        f"parked.{QUEUE}",
        Exchange(PARKING_EXCHANGE, type="direct", durable=True),
        routing_key=QUEUE,
        durable=True,
        queue_arguments={"x-queue-type": "quorum"},
    )
    found = []
    with Connection(amqp_uri) as connection:
        bound = queue(connection.default_channel)
        while (message := bound.get(no_ack=False)) is not None:
            found.append(message.body)
    return found


@pytest.mark.parametrize(
    "body, content_type",
    [
        (b"{not json at all", "application/json"),
        (b"\x00\xff\xfe", "application/json"),
        (json.dumps({"id": "x", "type": "MemberJoined"}).encode(), "application/json"),
        (
            json.dumps({"data": {"member_id": 5}, "id": "y"}).encode(),
            "application/json",
        ),
        (b"<xml/>", "application/xml"),
        (json.dumps({"data": "x" * 300_000, "id": "z"}).encode(), "application/json"),
    ],
    ids=["not-json", "binary", "no-data", "wrong-types", "not-allowed-type", "huge"],
)
def test_a_malformed_event_is_parked_and_the_consumer_carries_on(
    directory, config, body, content_type
):
    send_raw(config["AMQP_URI"], body, content_type)
    good = snapshot("Elin ar ôl y llanast")
    publish_event(config["AMQP_URI"], "MemberJoined", good["member_id"], good)

    eventually(lambda: directory.search({"q": "llanast"})["items"], timeout=30)

    assert len(eventually(lambda: parked(config["AMQP_URI"]), timeout=30)) == 1


@pytest.fixture
def parking_directory(container_factory, config):
    container_factory(DirectoryService, config).start()
    with ServiceRpcProxy("directory", config) as proxy:
        yield proxy


def park(amqp_uri: str, envelope: dict) -> None:
    """Put an event straight into the parking queue, as if every try had failed."""
    with Connection(amqp_uri) as connection:
        Producer(connection.default_channel).publish(
            envelope,
            exchange=Exchange(PARKING_EXCHANGE, type="direct", durable=True),
            routing_key=QUEUE,
            serializer="json",
            message_id=envelope["id"],
        )


def test_a_coordinator_sees_what_is_parked_but_not_what_it_says(
    parking_directory, config
):
    member = snapshot("Gwenno Dafydd")
    park(config["AMQP_URI"], make_envelope("membership", "MemberJoined", "s", member))

    listed = eventually(parking_directory.parked_messages)

    assert [(m["queue"], m["event_type"]) for m in listed] == [(QUEUE, "MemberJoined")]
    assert "Gwenno" not in json.dumps(listed)
    assert len(parking_directory.parked_messages()) == 1


def test_a_replayed_message_is_taken_up_again(parking_directory, config):
    member = snapshot("Gwenno Dafydd")
    envelope = make_envelope("membership", "MemberJoined", "s", member)
    park(config["AMQP_URI"], json.loads(json.dumps(envelope, default=str)))
    eventually(parking_directory.parked_messages)

    sent = parking_directory.replay_parked(QUEUE, envelope["id"])

    assert sent == 1
    assert eventually(lambda: parking_directory.search({"q": "gwenno"})["items"])
    assert parking_directory.parked_messages() == []


def test_replay_touches_only_this_services_own_queues(parking_directory):
    assert parking_directory.replay_parked("evt-elsewhere--x.y") == 0
