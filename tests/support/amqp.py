"""A plain AMQP client, as a partner system would use: no nameko involved."""

import threading
from typing import Any

from kombu import Connection, Exchange, Producer, Queue
from kombu.mixins import ConsumerMixin

from contracts.envelope import make_envelope
from contracts.events import lookup


class EventTap:
    """Binds its own queue to an event exchange and collects what arrives."""

    def __init__(self, amqp_uri: str, service: str, event_type: str):
        self.connection = Connection(amqp_uri)
        exchange = Exchange(f"{service}.events", type="topic", durable=True)
        self.queue = Queue(
            exclusive=True, exchange=exchange, routing_key=event_type, auto_delete=True
        )
        self.consumer = self.connection.Consumer(
            self.queue, callbacks=[self._keep], accept=["json"]
        )
        self.consumer.consume()
        self.seen: list[dict[str, Any]] = []
        self.headers: list[dict[str, Any]] = []

    def _keep(self, body, message) -> None:
        self.seen.append(body)
        self.headers.append(message.headers)
        message.ack()

    def collect(self, count: int, timeout: float = 15.0) -> list[dict[str, Any]]:
        try:
            while len(self.seen) < count:
                self.connection.drain_events(timeout=timeout)
        except TimeoutError:
            pass
        return self.seen

    def close(self) -> None:
        self.connection.release()


def publish_event(amqp_uri: str, event_type: str, subject: str, data: dict) -> dict:
    """Publish an event as its producer would, envelope and all; returns it."""
    contract = lookup(event_type)
    envelope = make_envelope(
        contract.service, event_type, subject, contract.schema().dump(data)
    )
    republish(amqp_uri, envelope)
    return envelope


def republish(amqp_uri: str, envelope: dict) -> None:
    contract = lookup(envelope["type"])
    exchange = Exchange(contract.exchange, type="topic", durable=True)
    with Connection(amqp_uri) as connection:
        Producer(connection.default_channel).publish(
            envelope,
            exchange=exchange,
            routing_key=envelope["type"],
            declare=[exchange],
            serializer="json",
            delivery_mode=2,
        )


class DurableTap(ConsumerMixin):
    """A partner's subscriber that rides out broker restarts: a durable queue of
    its own bound to one event, consumed in the background, reconnecting when
    the connection drops, acknowledging each message once it is kept. A
    message delivered again after a restart is kept again: `deliveries` counts
    every delivery, `seen` holds each one's envelope."""

    def __init__(self, amqp_uri: str, service: str, event_type: str, name: str):
        self.connection = Connection(amqp_uri, heartbeat=10)
        exchange = Exchange(f"{service}.events", type="topic", durable=True)
        self.queue = Queue(
            name, exchange=exchange, routing_key=event_type, durable=True
        )
        self.seen: list[dict[str, Any]] = []
        self.deliveries = 0
        with Connection(amqp_uri) as declaring:
            self.queue(declaring.default_channel).declare()

    def get_consumers(self, consumer_class, channel):
        return [consumer_class([self.queue], callbacks=[self._keep], accept=["json"])]

    def _keep(self, body, message) -> None:
        self.seen.append(body)
        self.deliveries += 1
        message.ack()

    def start(self) -> "DurableTap":
        self.worker = threading.Thread(target=self.run, daemon=True)
        self.worker.start()
        return self

    def close(self) -> None:
        self.should_stop = True
        self.worker.join(10)
        self.connection.release()
