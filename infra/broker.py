"""What a lost, refused or closing connection to RabbitMQ looks like from kombu
and py-amqp, so that callers can tell "the broker is away for now" from a bug;
and nameko's queue consumer, made to take such a moment calmly."""

import logging

from amqp.exceptions import ConnectionError as AmqpConnectionError
from amqp.exceptions import RecoverableChannelError
from kombu.exceptions import OperationalError
from nameko.messaging import QueueConsumer

logger = logging.getLogger(__name__)

BROKER_ERRORS: tuple[type[Exception], ...] = (
    OSError,  # refused, reset, broken pipe, timed out
    OperationalError,  # kombu gave up connecting or publishing
    AmqpConnectionError,  # the broker closed the connection (it is stopping)
    RecoverableChannelError,
)


class ResilientQueueConsumer(QueueConsumer):
    """nameko's consumer, except that acknowledging or requeueing a message
    whose connection has dropped is skipped: the broker hands such a message
    out again after the consumer reconnects, which consumers are made for."""

    def ack_message(self, message) -> None:
        try:
            super().ack_message(message)
        except BROKER_ERRORS as error:
            self._lost("ack", message, error)

    def requeue_message(self, message) -> None:
        try:
            super().requeue_message(message)
        except BROKER_ERRORS as error:
            self._lost("requeue", message, error)

    def _lost(self, action: str, message, error: Exception) -> None:
        logger.warning(
            "message.%s_lost routing_key=%s error=%s",
            action,
            message.delivery_info.get("routing_key"),
            type(error).__name__,
        )
