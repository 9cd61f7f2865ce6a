"""The partner permissions of deploy/partner_access.py, applied to a real
RabbitMQ: a partner binds its queue to public events and is refused by the
broker for internal events, wildcards, other queues and publishing."""

import sys
import uuid

import amqp
import pytest
import requests
from amqp.exceptions import AccessRefused

from tests.support.manifests import DEPLOY

sys.path.insert(0, str(DEPLOY))
from partner_access import partner_access  # noqa: E402

PASSWORD = "partner-test-password"


class Management:
    def __init__(self, api_uri: str):
        self.base = api_uri.rstrip("/") + "/api"

    def put(self, path: str, body: dict) -> None:
        requests.put(f"{self.base}/{path}", json=body, timeout=10).raise_for_status()

    def delete(self, path: str) -> None:
        requests.delete(f"{self.base}/{path}", timeout=10)


@pytest.fixture
def partner(request, rabbit_config):
    """A partner user on this test's vhost with exactly the generated grants."""
    vhost = rabbit_config["vhost"]
    api = Management(request.config.getoption("RABBIT_API_URI"))
    access = partner_access(f"test-{uuid.uuid4().hex[:8]}")
    with amqp.Connection(virtual_host=vhost) as admin:
        channel = admin.channel()
        for grant in access.topics:
            channel.exchange_declare(
                grant.exchange, "topic", durable=True, auto_delete=False
            )
    api.put(f"users/{access.user}", {"password": PASSWORD, "tags": ""})
    permissions = {
        "configure": access.configure,
        "write": access.write,
        "read": access.read,
    }
    api.put(f"permissions/{vhost}/{access.user}", permissions)
    for grant in access.topics:
        body = {"exchange": grant.exchange, "write": grant.write, "read": grant.read}
        api.put(f"topic-permissions/{vhost}/{access.user}", body)
    connection = amqp.Connection(
        userid=access.user, password=PASSWORD, virtual_host=vhost
    )
    connection.connect()
    yield connection, access.user.removeprefix("partner-")
    connection.collect()
    api.delete(f"users/{access.user}")


def bind(connection: amqp.Connection, queue: str, exchange: str, key: str) -> None:
    channel = connection.channel()
    channel.queue_declare(queue, durable=True, auto_delete=False)
    channel.queue_bind(queue, exchange, key)
    channel.close()


def test_a_partner_binds_its_own_queue_to_a_public_event(partner):
    connection, name = partner

    bind(connection, f"partner.{name}.joins", "membership.events", "MemberJoined")
    bind(connection, f"partner.{name}.listings", "directory.events", "ListingPublished")


@pytest.mark.parametrize(
    ("exchange", "key"),
    [
        ("membership.events", "ContactDetailsChanged"),
        ("membership.events", "LinkRequested"),
        ("membership.events", "AlreadyMember"),
        ("directory.events", "ResponseSent"),
        ("membership.events", "#"),
        ("membership.events", "Member*"),
    ],
)
def test_the_broker_refuses_internal_events_and_wildcards(partner, exchange, key):
    connection, name = partner

    with pytest.raises(AccessRefused):
        bind(connection, f"partner.{name}.all", exchange, key)


def test_the_broker_refuses_another_queue_and_any_publishing(partner):
    connection, _ = partner

    with pytest.raises(AccessRefused):
        connection.channel().queue_declare("rpc-membership", durable=True)
    with pytest.raises(AccessRefused):
        connection.channel().basic_publish_confirm(
            amqp.Message(b"{}"), "membership.events", "MemberJoined"
        )
