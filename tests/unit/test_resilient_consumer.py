"""Acknowledging a message whose connection dropped under it is not fatal: the
broker hands the message out again after the reconnect."""

import pytest
from amqp.exceptions import RecoverableConnectionError

from infra.broker import ResilientQueueConsumer


class Channel:
    connection = object()  # still looks alive, as it does just after a drop


class DroppedMessage:
    channel = Channel()
    delivery_info = {"routing_key": "evt-membership-MemberJoined"}

    def __init__(self, error: Exception):
        self.error = error

    def ack(self):
        raise self.error

    def requeue(self):
        raise self.error


@pytest.mark.parametrize(
    "error",
    [
        BrokenPipeError(32, "Broken pipe"),
        ConnectionResetError(104, "Connection reset by peer"),
        TimeoutError("timed out"),
    ],
)
def test_acking_or_requeueing_on_a_dropped_socket_is_skipped(error, caplog):
    consumer = ResilientQueueConsumer()

    consumer.ack_message(DroppedMessage(error))
    consumer.requeue_message(DroppedMessage(error))

    assert "message.ack_lost" in caplog.text
    assert "message.requeue_lost" in caplog.text


def test_the_broker_closing_the_connection_is_skipped_too():
    closed = RecoverableConnectionError("connection already closed")

    ResilientQueueConsumer().ack_message(DroppedMessage(closed))
    ResilientQueueConsumer().requeue_message(DroppedMessage(closed))


def test_a_bug_while_acking_is_not_hidden():
    with pytest.raises(ValueError):
        ResilientQueueConsumer().ack_message(DroppedMessage(ValueError("bug")))
