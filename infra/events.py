"""Event handlers whose queues keep failing messages apart instead of losing them.

Each handler's queue is a durable quorum queue with a delivery limit. A message
whose handler raises is returned to the queue; after the limit it is dead-lettered
to `parked`, bound as `parked.<queue>`, where a coordinator can see and replay it."""

import logging

from kombu import Connection, Exchange, Queue
from nameko.events import SERVICE_POOL, EventHandler

logger = logging.getLogger(__name__)

PARKING_EXCHANGE = "parked"
DELIVERY_LIMIT = 5


def parking_queue(queue_name: str) -> Queue:
    exchange = Exchange(PARKING_EXCHANGE, type="direct", durable=True)
    return Queue(
        f"parked.{queue_name}",
        exchange=exchange,
        routing_key=queue_name,
        durable=True,
        queue_arguments={"x-queue-type": "quorum"},
    )


class ReliableEventHandler(EventHandler):
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


event_handler = ReliableEventHandler.decorator
