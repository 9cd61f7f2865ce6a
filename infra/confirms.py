"""Publisher confirms for a batch: publish every message, then wait once.

kombu's `confirm_publish` waits for the broker's confirm after each message, so
a relay pays one round trip (and, on quorum queues, one disk sync) per event.
RabbitMQ numbers the messages published on a confirming channel 1, 2, 3 ... and
confirms them as it stores them, often many at once; a batch is safe once every
number in it has been acknowledged and none refused."""

import time

from amqp.exceptions import MessageNacked
from kombu import Connection

CONFIRM_TIMEOUT = 30.0


class ConfirmTimeout(Exception):
    """The broker did not confirm a batch in time; it is published again later."""


class Confirms:
    """Counts what is published on one channel and what the broker confirms.
    Everything published on `channel` must be counted with `published_one`."""

    def __init__(self, channel):
        self.channel = channel
        self.published = 0
        self.outstanding: set[int] = set()
        self.refused = False
        channel.confirm_select()
        channel.events["basic_ack"].add(self._acked)
        channel.events["basic_nack"].add(self._refused)

    def published_one(self) -> None:
        self.published += 1
        self.outstanding.add(self.published)

    def wait(self, connection: Connection, timeout: float = CONFIRM_TIMEOUT) -> None:
        """Return once every message published so far is confirmed; raise
        `MessageNacked` if the broker refused any, `ConfirmTimeout` if it is
        silent for `timeout` seconds."""
        deadline = time.monotonic() + timeout
        while self.outstanding and not self.refused:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise ConfirmTimeout(f"{len(self.outstanding)} unconfirmed")
            try:
                connection.drain_events(timeout=remaining)
            except TimeoutError:
                continue
        if self.refused:
            self.refused, self.outstanding = False, set()
            raise MessageNacked("the broker refused a message of the batch")

    def _acked(self, tag: int, multiple: bool) -> None:
        self._settle(tag, multiple)

    def _refused(self, tag: int, multiple: bool) -> None:
        self.refused = True
        self._settle(tag, multiple)

    def _settle(self, tag: int, multiple: bool) -> None:
        if multiple:
            self.outstanding = {t for t in self.outstanding if t > tag}
        else:
            self.outstanding.discard(tag)
