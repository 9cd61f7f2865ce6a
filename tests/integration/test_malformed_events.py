"""Whatever lands on a consumer's queue, every service parks what is not a
well-formed event, says so in its log without a word of the content, and keeps
taking messages."""

import json
import logging

import pytest
from kombu import Connection, Exchange, Producer
from nameko.standalone.rpc import ServiceRpcProxy

from infra.events import parking_queue
from services.directory.service import DirectoryService
from services.membership.service import MembershipService
from services.notifications.service import NotificationsService
from services.stories.service import StoriesService
from tests.support.waiting import eventually

NAME = "Gwenllian Cyfrinach"
EMAIL = "gwenllian.cyfrinach@example.cymru"
STORY = "Stori breifat am fy nghymydog"


def envelope(event_type: str, data) -> bytes:
    return json.dumps(
        {"id": "8d5c2f4e-0000-4000-8000-000000000001", "type": event_type, "data": data}
    ).encode()


def malformed(event_type: str) -> list[tuple[bytes, str]]:
    """Bodies a consumer must survive: each carries personal-looking text."""
    wrong_types = {"member_id": 5, "name": [NAME], "email": 7, "text": {"x": STORY}}
    return [
        (f"{{not json {NAME}".encode(), "application/json"),
        (b"\x00\xff\xfe" + EMAIL.encode(), "application/json"),
        (json.dumps(f"{NAME} {EMAIL}").encode(), "application/json"),
        (
            json.dumps({"id": 3, "type": event_type, "name": NAME}).encode(),
            "application/json",
        ),
        (envelope(event_type, wrong_types), "application/json"),
        (envelope(event_type, {"member_id": "m-1"}), "application/json"),
        (f"<name>{NAME}</name>".encode(), "application/xml"),
        (
            envelope(event_type, {"name": NAME, "text": STORY * 40_000}),
            "application/json",
        ),
    ]


CONSUMERS = [
    (DirectoryService, "directory", "membership", "MemberJoined", "on_member_joined"),
    (StoriesService, "stories", "membership", "MemberJoined", "on_member_joined"),
    (
        NotificationsService,
        "notifications",
        "membership",
        "MemberJoined",
        "on_member_joined",
    ),
    (
        MembershipService,
        "membership",
        "stories",
        "FeedbackSubmitted",
        "on_feedback_submitted",
    ),
]


def send_to_queue(amqp_uri: str, queue: str, body: bytes, content_type: str) -> None:
    with Connection(amqp_uri) as connection:
        Producer(connection.default_channel).publish(
            body,
            exchange=Exchange(""),
            routing_key=queue,
            content_type=content_type,
            content_encoding="utf-8",
            delivery_mode=2,
        )


def parked_count(amqp_uri: str, queue: str) -> int:
    with Connection(amqp_uri) as connection:
        channel = connection.channel()
        bound = parking_queue(queue)(channel)
        count = 0
        while bound.get(no_ack=False, accept=None) is not None:
            count += 1
        channel.close()
    return count


@pytest.mark.parametrize(
    "service, name, source, event_type, method",
    CONSUMERS,
    ids=[consumer[1] for consumer in CONSUMERS],
)
def test_malformed_events_are_parked_without_their_content_in_the_log(
    container_factory, config, caplog, service, name, source, event_type, method
):
    container_factory(service, {**config, "DELIVERY_LIMIT": 3}).start()
    queue = f"evt-{source}-{event_type}--{name}.{method}"
    bodies = malformed(event_type)
    caplog.set_level(logging.DEBUG)

    for body, content_type in bodies:
        send_to_queue(config["AMQP_URI"], queue, body, content_type)

    eventually(
        lambda: parked_count(config["AMQP_URI"], queue) == len(bodies), timeout=60
    )
    with ServiceRpcProxy(name, config) as proxy:
        listed = proxy.parked_messages()
    assert len(listed) == len(bodies)
    assert {entry["queue"] for entry in listed} == {queue}
    for secret in (NAME, EMAIL, STORY, "Gwenllian", "cyfrinach@"):
        assert secret not in caplog.text
        assert secret not in json.dumps(listed)
    assert "event.parked" in caplog.text or "event.undecodable" in caplog.text
