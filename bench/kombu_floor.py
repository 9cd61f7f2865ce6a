"""The event pipeline's floor: plain kombu, no nameko, no database. One process
publishes persistent messages with publisher confirms (one at a time, as
kombu's `confirm_publish` does); another consumes them from a durable quorum
queue with acks, as the services' queues are. Each message carries the time it
was sent; the consumer reports how many arrived, how fast, and how late.

    python -m bench.kombu_floor consume AMQP_URI COUNT RESULT_FILE
    python -m bench.kombu_floor publish AMQP_URI COUNT RATE BATCH SECONDS RESULT_FILE

RATE 0 publishes flat out. With BATCH above 1 the publisher waits for confirms
once per BATCH messages (as the outbox relay does, `infra.confirms`) instead of
after each one. It stops after COUNT messages or SECONDS, and leaves the number
it sent in RESULT_FILE.sent, so the consumer knows when it has them all.
"""

import json
import sys
import time
import uuid
from pathlib import Path

from kombu import Connection, Exchange, Producer, Queue

from bench.stats import percentile
from infra.confirms import Confirms

EXCHANGE = Exchange("bench.floor", type="topic", durable=True)
QUEUE = Queue(
    "bench.floor.events",
    exchange=EXCHANGE,
    routing_key="#",
    durable=True,
    queue_arguments={"x-queue-type": "quorum"},
)
PREFETCH = 10
"""As nameko's consumers use: prefetch = max_workers (10 in every service)."""
IDLE_SECONDS = 30


def padding() -> str:
    """About the size of a member snapshot's envelope."""
    return "x" * 900


def declare(amqp_uri: str) -> None:
    with Connection(amqp_uri) as connection:
        QUEUE(connection.default_channel).declare()


def publish(
    amqp_uri: str, count: int, rate: float, batch: int, seconds: float, result: Path
) -> None:
    body = {"id": "", "sent": 0.0, "data": padding()}
    began, sent = time.monotonic(), 0
    options = {"confirm_publish": True} if batch == 1 else {}
    with Connection(amqp_uri, transport_options=options) as conn:
        channel = conn.default_channel
        confirms = Confirms(channel) if batch > 1 else None
        producer = Producer(channel, exchange=EXCHANGE)
        while sent < count and time.monotonic() - began < seconds:
            if rate:
                _wait_for_slot(began, sent, rate)
            body["id"], body["sent"] = str(uuid.uuid4()), time.time()
            producer.publish(
                body, routing_key="MemberVerified", serializer="json", delivery_mode=2
            )
            sent += 1
            if confirms:
                confirms.published_one()
                if sent % batch == 0:
                    confirms.wait(conn)
        if confirms:
            confirms.wait(conn)
    written = Path(f"{result}.sending")
    written.write_text(str(sent))
    written.rename(f"{result}.sent")  # whole, never half-written


def _wait_for_slot(began: float, number: int, rate: float) -> None:
    due = began + number / rate
    ahead = due - time.monotonic()
    if ahead > 0:
        time.sleep(ahead)


def consume(amqp_uri: str, count: int, result_file: Path) -> None:
    lags: list[float] = []
    seen: set[str] = set()
    first = last = 0.0
    sent_file = Path(f"{result_file}.sent")

    def on_message(body, message) -> None:
        nonlocal first, last
        now = time.time()
        first = first or body["sent"]
        last = now
        if body["id"] not in seen:
            seen.add(body["id"])
            lags.append(now - body["sent"])
        message.ack()

    def wanted() -> int:
        return int(sent_file.read_text()) if sent_file.exists() else count

    with Connection(amqp_uri) as connection:
        with connection.Consumer(
            QUEUE, callbacks=[on_message], accept=["json"], prefetch_count=PREFETCH
        ):
            Path(f"{result_file}.ready").touch()
            quiet_since = time.monotonic()
            while len(seen) < wanted():
                if time.monotonic() - quiet_since > IDLE_SECONDS:
                    break
                try:
                    connection.drain_events(timeout=1)
                    quiet_since = time.monotonic()
                except TimeoutError:
                    pass
    result_file.write_text(json.dumps(summary(wanted(), seen, lags, first, last)))


def summary(count: int, seen: set, lags: list[float], first: float, last: float):
    return {
        "sent": count,
        "received": len(seen),
        "seconds": last - first if seen else 0.0,
        "per_second": len(seen) / (last - first) if last > first else 0.0,
        "p50_lag_ms": percentile(lags, 50) * 1000,
        "p99_lag_ms": percentile(lags, 99) * 1000,
    }


def main(argv: list[str]) -> None:
    action, amqp_uri, count = argv[0], argv[1], int(argv[2])
    if action == "consume":
        declare(amqp_uri)
        consume(amqp_uri, count, Path(argv[3]))
    else:
        rate, batch, seconds = float(argv[3]), int(argv[4]), float(argv[5])
        publish(amqp_uri, count, rate, batch, seconds, Path(argv[6]))


if __name__ == "__main__":
    main(sys.argv[1:])
