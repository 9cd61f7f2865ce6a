"""One reliable queue bound to every public event type of the catalogue, for
passing events on to partners' webhooks. Internal events are never bound, so
they cannot reach a partner by mistake."""

from kombu import Exchange, Queue, binding
from nameko.events import EventHandler

from contracts.events import CATALOGUE
from infra.events import DELIVERY_LIMIT, PARKING_EXCHANGE, ReliableEventHandler


def public_bindings() -> list[binding]:
    return [
        binding(Exchange(e.exchange, type="topic", durable=True), routing_key=e.name)
        for e in CATALOGUE
        if not e.internal
    ]


class PublicEventsHandler(ReliableEventHandler):
    def __init__(self, **kwargs):
        super().__init__("platform", "public", **kwargs)

    def setup(self) -> None:
        EventHandler.setup(self)  # names the queue and registers the consumer
        name = self.queue.name
        limit = int(self.container.config.get("DELIVERY_LIMIT", DELIVERY_LIMIT))
        self.queue = Queue(
            name,
            bindings=public_bindings(),
            durable=True,
            queue_arguments={
                "x-queue-type": "quorum",
                "x-delivery-limit": limit,
                "x-dead-letter-exchange": PARKING_EXCHANGE,
                "x-dead-letter-routing-key": name,
            },
        )
        self._declare(name)


public_events_handler = PublicEventsHandler.decorator
