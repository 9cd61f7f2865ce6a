"""Event handlers whose queues keep failing messages apart instead of losing them.

Each handler's queue is a durable quorum queue with a delivery limit. A message
whose handler raises goes back to the queue after a pause that grows with each
try; after the limit it is dead-lettered to the `parked` exchange, bound as
`parked.<queue>`, where a coordinator can see and replay it (infra/parking.py).
A message that cannot even be decoded, is not an event envelope, or whose data
does not fit its contract is parked at once: trying it again cannot help.
Nothing of a message's content is logged: it may be personal data."""

import logging
from typing import Any

import eventlet
from kombu import Connection, Exchange, Queue
from marshmallow import ValidationError
from nameko.events import SERVICE_POOL, EventHandler

from contracts.errors import InvalidInput
from infra.broker import ResilientQueueConsumer

logger = logging.getLogger(__name__)

PARKING_EXCHANGE = "parked"
DELIVERY_LIMIT = 5
MAX_PAUSE = 30.0
# Errors that say the message itself is wrong, whatever the state of the world.
NOT_FITTING = (ValidationError, InvalidInput)


def parking_queue(queue_name: str) -> Queue:
    exchange = Exchange(PARKING_EXCHANGE, type="direct", durable=True)
    return Queue(
        f"parked.{queue_name}",
        exchange=exchange,
        routing_key=queue_name,
        durable=True,
        queue_arguments={"x-queue-type": "quorum"},
    )


def pause_before_retry(message) -> float:
    """1 s after the first failure, then 2, 4, 8 ... up to MAX_PAUSE, so that a
    database or service that is briefly away does not use up every try at once."""
    tries = int((message.headers or {}).get("x-delivery-count", 0))
    return min(MAX_PAUSE, 2.0**tries)


class ParkingQueueConsumer(ResilientQueueConsumer):
    """Our resilient consumer, except that an undecodable message is parked rather
    than acknowledged (and so lost), and its body never reaches the log."""

    def on_decode_error(self, message, exc) -> None:
        logger.error(
            "event.undecodable queue=%s content_type=%s bytes=%s error=%s",
            message.delivery_info.get("routing_key"),
            message.content_type,
            len(message.body or b""),
            type(exc).__name__,
        )
        message.reject(requeue=False)

    def park_message(self, message) -> None:
        # As with acks: a message whose connection has gone is the broker's again.
        if message.channel.connection:
            try:
                message.reject(requeue=False)
            except ConnectionError:
                pass


def is_envelope(body: Any) -> bool:
    """The shape every event has, before its data is read with its contract."""
    return (
        isinstance(body, dict)
        and isinstance(body.get("id"), str)
        and isinstance(body.get("type"), str)
        and isinstance(body.get("data"), dict)
    )


class ReliableEventHandler(EventHandler):
    queue_consumer = ParkingQueueConsumer()

    def __init__(self, source_service: str, event_type: str, **kwargs):
        kwargs.setdefault("handler_type", SERVICE_POOL)
        kwargs["requeue_on_error"] = True
        super().__init__(source_service, event_type, **kwargs)

    def setup(self) -> None:
        super().setup()
        name = self.queue.name
        self.queue.queue_arguments = {
            "x-queue-type": "quorum",
            "x-delivery-limit": int(
                self.container.config.get("DELIVERY_LIMIT", DELIVERY_LIMIT)
            ),
            "x-dead-letter-exchange": PARKING_EXCHANGE,
            "x-dead-letter-routing-key": name,
        }
        self._declare(name)

    def _declare(self, name: str) -> None:
        # Declared now, not on first consume, so that nothing published between
        # start-up and the first message can miss the queue.
        with Connection(self.container.config["AMQP_URI"]) as connection:
            channel = connection.default_channel
            parking_queue(name)(channel).declare()
            self.queue(channel).declare()

    def handle_message(self, body, message) -> None:
        if not is_envelope(body):
            self._park(message, "not_an_event")
            return
        super().handle_message(body, message)

    def handle_message_processed(self, message, result=None, exc_info=None) -> None:
        if exc_info is None:
            self.queue_consumer.ack_message(message)
            return
        if issubclass(exc_info[0], NOT_FITTING):
            self._park(message, "does_not_fit_contract")
            return
        pause = pause_before_retry(message)
        logger.warning(
            "event.failed queue=%s error=%s retry_in=%.0fs",
            self.queue.name,
            exc_info[0].__name__,
            pause,
        )
        eventlet.spawn_after(pause, self.queue_consumer.requeue_message, message)

    def _park(self, message, reason: str) -> None:
        logger.error(
            "event.parked queue=%s reason=%s bytes=%s",
            self.queue.name,
            reason,
            len(message.body or b""),
        )
        self.queue_consumer.park_message(message)


event_handler = ReliableEventHandler.decorator
