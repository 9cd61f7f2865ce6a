"""Parked messages: what a service's consumers could not take after every try.

Each service that has reliable event handlers inherits `ParkedMessages`, so a
coordinator can, through the gateway, list what is parked on that service's
queues (what and when, never the content, which may be personal data) and send
a message back to the queue it came from once the fault is mended."""

import logging
from typing import Any

from kombu import Connection, Exchange, Producer
from kombu.exceptions import ContentDisallowed, DecodeError
from nameko.extensions import DependencyProvider

from infra.events import ReliableEventHandler, parking_queue
from infra.rpc import rpc

logger = logging.getLogger(__name__)

LIST_LIMIT = 200


def readable_body(message) -> dict[str, Any]:
    """The message as an envelope, or nothing for one that is not JSON at all."""
    try:
        payload = message.payload
    except (DecodeError, ContentDisallowed, UnicodeDecodeError):
        return {}
    return payload if isinstance(payload, dict) else {}


def text_or_none(value: Any) -> str | None:
    # Only short identifiers are shown: a field of the wrong shape may hold anything.
    return value if isinstance(value, str) and len(value) <= 80 else None


def describe(message, queue: str) -> dict[str, Any]:
    body = readable_body(message)
    deaths = (message.headers or {}).get("x-death") or [{}]
    return {
        "queue": queue,
        "message_id": message.properties.get("message_id")
        or text_or_none(body.get("id")),
        "event_id": text_or_none(body.get("id")),
        "event_type": text_or_none(body.get("type"))
        or message.delivery_info.get("routing_key"),
        "subject": text_or_none(body.get("subject")),
        "reason": deaths[0].get("reason"),
        "parked_at": str(deaths[0].get("time", "")) or None,
        "bytes": len(message.body or b""),
    }


class ParkingLot(DependencyProvider):
    def setup(self) -> None:
        self.amqp_uri = self.container.config["AMQP_URI"]

    def get_dependency(self, worker_ctx) -> "ParkingLot":
        return self

    def queues(self) -> list[str]:
        return sorted(
            entrypoint.queue.name
            for entrypoint in self.container.entrypoints
            if isinstance(entrypoint, ReliableEventHandler)
        )

    def list(self) -> list[dict[str, Any]]:
        """Look at each parked message without taking it: the channel closes
        unacknowledged, so every message stays parked."""
        found: list[dict[str, Any]] = []
        with Connection(self.amqp_uri) as connection:
            for queue in self.queues():
                channel = connection.channel()
                bound = parking_queue(queue)(channel)
                while len(found) < LIST_LIMIT and (
                    message := bound.get(no_ack=False, accept=None)
                ):
                    found.append(describe(message, queue))
                channel.close()
        return found

    def replay(self, queue: str, message_id: str | None = None) -> int:
        """Send one parked message (or all of a queue's) back; how many went."""
        if queue not in self.queues():
            return 0
        sent = 0
        with Connection(
            self.amqp_uri, transport_options={"confirm_publish": True}
        ) as connection:
            channel = connection.channel()
            bound = parking_queue(queue)(channel)
            producer = Producer(channel)
            while message := bound.get(no_ack=False, accept=None):
                if message_id and describe(message, queue)["message_id"] != message_id:
                    continue
                self._send_back(producer, queue, message)
                message.ack()
                sent += 1
            channel.close()
        logger.info("parked.replayed queue=%s count=%s", queue, sent)
        return sent

    def _send_back(self, producer: Producer, queue: str, message) -> None:
        headers = {
            key: value
            for key, value in (message.headers or {}).items()
            if not key.startswith("x-")
        }
        producer.publish(
            message.body,
            exchange=Exchange(""),
            routing_key=queue,
            content_type=message.content_type,
            content_encoding=message.content_encoding,
            headers=headers,
            delivery_mode=2,
            message_id=message.properties.get("message_id"),
        )


class ParkedMessages:
    """RPC for coordinators, added to every service that consumes events."""

    parking = ParkingLot()

    @rpc
    def parked_messages(self) -> list[dict[str, Any]]:
        """What is parked on this service's queues (never the content)."""
        return self.parking.list()

    @rpc
    def replay_parked(self, queue: str, message_id: str | None = None) -> int:
        """Send parked messages back to `queue`; how many were sent."""
        return self.parking.replay(queue, message_id)
