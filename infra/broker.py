"""What a lost, refused or closing connection to RabbitMQ looks like from kombu
and py-amqp, so that callers can tell "the broker is away for now" from a bug."""

from amqp.exceptions import ConnectionError as AmqpConnectionError
from amqp.exceptions import RecoverableChannelError
from kombu.exceptions import OperationalError

BROKER_ERRORS: tuple[type[Exception], ...] = (
    OSError,  # refused, reset, broken pipe, timed out
    OperationalError,  # kombu gave up connecting or publishing
    AmqpConnectionError,  # the broker closed the connection (it is stopping)
    RecoverableChannelError,
)
