"""Partner webhooks over real HTTPS: signed as the Standard Webhooks
specification says (checked by a verifier written here from the specification),
retried with backoff, paused after failing for long, and logged."""

import base64
import hashlib
import hmac
import json
import socket
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
from nameko.standalone.rpc import ServiceRpcProxy

from contracts.errors import InvalidInput
from services.notifications.exceptions import WebhookNotFound
from services.notifications.service import NotificationsService
from tests.support.amqp import publish_event
from tests.support.members import contact, snapshot
from tests.support.smtp import free_port
from tests.support.waiting import eventually

ROOT = Path(__file__).parents[2]
TOLERANCE = 5 * 60


class SignatureInvalid(Exception):
    pass


def verify(secret: str, headers: dict, body: bytes) -> dict:
    """The receiver's side, from the specification: the key is the base64 after
    `whsec_`; the signed content is `id.timestamp.body`; the header holds
    space-separated `version,signature` pairs, of which a `v1` one must match
    (compared in constant time); a timestamp far from now is refused."""
    message_id = headers["webhook-id"]
    timestamp = headers["webhook-timestamp"]
    if abs(time.time() - int(timestamp)) > TOLERANCE:
        raise SignatureInvalid("timestamp outside the tolerance")
    key = base64.b64decode(secret.split("_", 1)[1])
    content = f"{message_id}.{timestamp}.".encode() + body
    expected = base64.b64encode(hmac.new(key, content, hashlib.sha256).digest())
    for pair in headers["webhook-signature"].split(" "):
        version, _, value = pair.partition(",")
        if version == "v1" and hmac.compare_digest(value.encode(), expected):
            return json.loads(body)
    raise SignatureInvalid("no signature matches")


class Receiver:
    """The partner's endpoint, a real HTTPS server in its own process."""

    def __init__(self, folder: Path, certificates, answers: str = "200"):
        self.port, self.log = free_port(), folder / f"received-{uuid.uuid4().hex}.jsonl"
        command = [
            sys.executable,
            "-m",
            "tests.support.webhook_receiver",
            str(self.port),
            certificates.cert_file,
            certificates.key_file,
            str(self.log),
            answers,
        ]
        self.process = subprocess.Popen(
            command, cwd=ROOT, env={"PYTHONPATH": str(ROOT)}
        )
        eventually(self._listening)

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.port}/hooks"

    def _listening(self) -> bool:
        try:
            socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
            return True
        except OSError:
            return False

    def received(self) -> list[tuple[dict, bytes]]:
        if not self.log.exists():
            return []
        lines = self.log.read_text().splitlines()
        return [
            (r["headers"], base64.b64decode(r["body"])) for r in map(json.loads, lines)
        ]

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(10)


@pytest.fixture
def receivers(tmp_path, certificates):
    started: list[Receiver] = []

    def start(answers: str = "200") -> Receiver:
        started.append(Receiver(tmp_path, certificates, answers))
        return started[-1]

    yield start
    for receiver in started:
        receiver.stop()


@pytest.fixture
def service(container_factory, notifications_config, certificates):
    # The endpoint is on 127.0.0.1 with a certificate of the test's own authority:
    # both are allowed for these tests only.
    settings = {
        **notifications_config,
        "WEBHOOK_CA_FILE": certificates.ca_file,
        "WEBHOOK_ALLOW_PRIVATE": True,
        "WEBHOOK_BACKOFF_SECONDS": 0.2,
        "WEBHOOK_MAX_BACKOFF_HOURS": 0.0003,
    }
    container = container_factory(NotificationsService, settings)
    container.start()
    return container


@pytest.fixture
def rpc(service):
    with ServiceRpcProxy("notifications", service.config) as proxy:
        yield proxy


def verified_member(amqp: str) -> dict:
    data = snapshot("Cyngor Partner", language="cy")
    publish_event(amqp, "ContactDetailsChanged", data["member_id"], contact(data))
    publish_event(amqp, "MemberVerified", data["member_id"], data)
    return data


def test_each_delivery_is_signed_so_a_receiver_following_the_spec_accepts_it(
    rpc, service, receivers
):
    receiver = receivers()
    hook = rpc.register_webhook(
        "partner-cyngor", {"url": receiver.url, "event_types": ["MemberVerified"]}
    )

    data = verified_member(service.config["AMQP_URI"])

    ((headers, body),) = eventually(receiver.received)
    payload = verify(hook["secret"], headers, body)
    assert hook["secret"].startswith("whsec_")
    assert headers["webhook-id"].startswith("msg_")
    assert payload["type"] == "MemberVerified"
    assert payload["data"]["member_id"] == data["member_id"]
    with pytest.raises(SignatureInvalid):
        verify(hook["secret"], headers, body.replace(b"Cyngor", b"Cyngot"))
    with pytest.raises(SignatureInvalid):
        other = "whsec_" + base64.b64encode(b"x" * 32).decode()
        verify(other, headers, body)


def test_a_refused_delivery_is_retried_with_the_same_id_and_the_log_shows_each_answer(
    rpc, service, receivers
):
    receiver = receivers("500,503,200")
    secret = "whsec_" + base64.b64encode(b"partner-chosen-secret-bytes!").decode()
    hook = rpc.register_webhook(
        "partner-cyngor",
        {"url": receiver.url, "event_types": ["MemberVerified"], "secret": secret},
    )

    verified_member(service.config["AMQP_URI"])

    tries = eventually(lambda: len(receiver.received()) == 3 and receiver.received())
    assert len({headers["webhook-id"] for headers, _ in tries}) == 1
    assert all(verify(secret, headers, body) for headers, body in tries)
    log = eventually(
        lambda: (
            (found := rpc.webhook_deliveries("partner-cyngor", hook["id"], {}))[
                "items"
            ][0]["status"]
            == "delivered"
            and found
        )
    )
    (delivery,) = log["items"]
    assert [t["status_code"] for t in delivery["tries"]] == [500, 503, 200]
    assert delivery["tries"][-1]["response"] == '{"received": true}'
    assert delivery["body"].encode() == tries[0][1]


def test_an_endpoint_failing_for_long_is_paused_until_the_partner_resumes_it(
    container_factory, notifications_config, certificates, receivers
):
    receiver = receivers("500")
    settings = {
        **notifications_config,
        "WEBHOOK_CA_FILE": certificates.ca_file,
        "WEBHOOK_ALLOW_PRIVATE": True,
        "WEBHOOK_BACKOFF_SECONDS": 0.2,
        "WEBHOOK_MAX_BACKOFF_HOURS": 0.0003,
        "WEBHOOK_PAUSE_AFTER_HOURS": 0.0005,  # under two seconds, for the test
    }
    container = container_factory(NotificationsService, settings)
    container.start()
    with ServiceRpcProxy("notifications", container.config) as rpc:
        hook = rpc.register_webhook(
            "partner-b", {"url": receiver.url, "event_types": ["MemberVerified"]}
        )
        verified_member(settings["AMQP_URI"])

        paused = eventually(
            lambda: rpc.webhook("partner-b", hook["id"])["status"] == "paused",
            timeout=30,
        )
        tried = len(receiver.received())
        time.sleep(1.5)
        assert len(receiver.received()) == tried
        resumed = rpc.change_webhook("partner-b", hook["id"], {"status": "active"})

    assert paused and tried >= 2
    assert resumed["status"] == "active" and resumed["failing_since"] is None
    eventually(lambda: len(receiver.received()) > tried)


def test_only_public_event_types_can_be_chosen(rpc, receivers):
    receiver = receivers()

    with pytest.raises(InvalidInput) as refused:
        rpc.register_webhook(
            "partner-a", {"url": receiver.url, "event_types": ["LinkRequested"]}
        )

    assert "event_types" in refused.value.errors
    assert "LinkRequested" not in rpc.webhook_event_types()
    assert "ContactDetailsChanged" not in rpc.webhook_event_types()
    assert "MemberVerified" in rpc.webhook_event_types()


def test_an_endpoint_must_be_https_and_a_secret_must_be_a_standard_one(rpc):
    with pytest.raises(InvalidInput) as plain:
        rpc.register_webhook(
            "partner-a", {"url": "http://127.0.0.1/x", "event_types": ["MemberLeft"]}
        )
    with pytest.raises(InvalidInput) as weak:
        rpc.register_webhook(
            "partner-a",
            {
                "url": "https://127.0.0.1/x",
                "event_types": ["MemberLeft"],
                "secret": "hi",
            },
        )

    assert "url" in plain.value.errors
    assert "secret" in weak.value.errors


def test_a_partner_sees_and_changes_only_its_own_subscriptions(rpc, receivers):
    receiver = receivers()
    mine = rpc.register_webhook(
        "partner-a", {"url": receiver.url, "event_types": ["OfferPosted"]}
    )

    with pytest.raises(WebhookNotFound):
        rpc.webhook("partner-b", mine["id"])
    with pytest.raises(WebhookNotFound):
        rpc.remove_webhook("partner-b", mine["id"])
    assert rpc.webhooks("partner-b", {})["total"] == 0
    assert rpc.webhooks("partner-a", {})["items"][0]["id"] == mine["id"]
    assert "secret" not in rpc.webhooks("partner-a", {})["items"][0]
    rpc.remove_webhook("partner-a", mine["id"])
    assert rpc.webhooks("partner-a", {})["total"] == 0


def test_internal_events_never_reach_a_partner(rpc, service, receivers):
    receiver = receivers()
    everything = rpc.webhook_event_types()
    rpc.register_webhook("partner-a", {"url": receiver.url, "event_types": everything})
    amqp = service.config["AMQP_URI"]
    data = snapshot("Cyfrinachol", language="en")

    publish_event(amqp, "ContactDetailsChanged", data["member_id"], contact(data))
    publish_event(
        amqp,
        "LinkRequested",
        data["member_id"],
        {
            "member_id": data["member_id"],
            "purpose": "sign_in",
            "email": "c@example.org",
            "name": "Cyfrinachol",
            "language": "en",
            "token": "secret-token",
            "expires_at": datetime.now(UTC),
        },
    )
    publish_event(
        amqp, "MemberJoined", data["member_id"], {**data, "status": "pending"}
    )

    eventually(lambda: any(b"MemberJoined" in body for _, body in receiver.received()))
    time.sleep(1)
    kinds = [json.loads(body)["type"] for _, body in receiver.received()]
    assert "LinkRequested" not in kinds and "ContactDetailsChanged" not in kinds
    assert all(b"secret-token" not in body for _, body in receiver.received())
