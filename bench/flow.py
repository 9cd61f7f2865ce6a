"""The mechanics of the event pipeline's workload: writing joins and
confirmations into membership's outbox (flat out or at a rate), and a tap that
notes when each member's `MemberVerified` and `ListingPublished` go past."""

import math
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from kombu import Connection, Exchange, Queue
from sqlalchemy import text
from sqlalchemy.orm import Session

from bench.people import People
from bench.snapshots import record_joins
from bench.stats import percentile
from infra.db import make_engine

TICK = 0.05
FLAT_OUT_BATCH = 250
WINDOW_SECONDS = 2.0
FIRST_WINDOW = 50
IDLE_SECONDS = 30.0
NO_ANNOUNCEMENT_SECONDS = 15.0


class Tap(threading.Thread):
    """A partner's view of the pipeline: queues of its own on both exchanges,
    noting when each member's `MemberVerified` and `ListingPublished` arrive."""

    def __init__(self, amqp_uri: str):
        super().__init__(daemon=True)
        self.amqp_uri = amqp_uri
        self.verified: dict[str, float] = {}
        self.listed: dict[str, float] = {}
        self.ready = threading.Event()
        self.finished = threading.Event()

    def __enter__(self) -> "Tap":
        self.start()
        if not self.ready.wait(30):
            raise RuntimeError("the tap could not bind its queues")
        return self

    def __exit__(self, *exc_info) -> None:
        self.finished.set()
        self.join(5)

    def run(self) -> None:
        with Connection(self.amqp_uri) as connection:
            queues = [
                _tap_queue("membership.events", "MemberVerified"),
                _tap_queue("directory.events", "ListingPublished"),
            ]
            with connection.Consumer(
                queues, callbacks=[self._arrived], accept=["json"]
            ):
                self.ready.set()
                while not self.finished.is_set():
                    try:
                        connection.drain_events(timeout=0.5)
                    except TimeoutError:
                        pass

    def _arrived(self, body: dict, message) -> None:
        now = time.time()
        member_id = str(body["data"]["member_id"])
        seen = self.verified if body["type"] == "MemberVerified" else self.listed
        seen.setdefault(member_id, now)
        message.ack()


def _tap_queue(exchange: str, event_type: str) -> Queue:
    return Queue(
        f"bench.tap.{event_type}.{uuid.uuid4().hex[:8]}",
        exclusive=True,
        auto_delete=True,
        exchange=Exchange(exchange, type="topic", durable=True),
        routing_key=event_type,
    )


@dataclass
class Produced:
    committed: dict[str, float] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)

    @property
    def first(self) -> float:
        return min(self.committed.values())


def produce(
    database_url: str,
    people: People,
    members: int,
    rate: float = 0.0,
    arrived: Callable[[], int] | None = None,
    seconds: float = math.inf,
) -> Produced:
    """Write up to `members` joins and confirmations (2 events each) into the
    outbox, for at most `seconds`: at `rate` events a second, or else flat out,
    keeping about WINDOW_SECONDS of work in flight as `arrived()` (members
    through the pipeline so far) tells."""
    engine = make_engine(database_url)
    produced, began = Produced(), time.monotonic()
    try:
        while len(produced.committed) < members and time.monotonic() - began < seconds:
            count = next_batch(produced, members, rate, began, arrived)
            if count:
                _write(engine, [people.person() for _ in range(count)], produced)
            else:
                time.sleep(TICK)
    finally:
        engine.dispose()
    return produced


def next_batch(produced: Produced, members: int, rate: float, began, arrived) -> int:
    written = len(produced.committed)
    if rate:
        _wait_until(began + 2 * written / rate)
        return min(max(1, round(rate * TICK / 2)), members - written)
    room = members - written
    if arrived is not None:
        done, elapsed = arrived(), time.monotonic() - began
        # Little's law: the window grows while the lag is under WINDOW_SECONDS
        # and settles where the pipeline is saturated with that much queued.
        window = max(FIRST_WINDOW, done / elapsed * WINDOW_SECONDS if elapsed else 0)
        room = min(room, round(window) - (written - done))
    return max(0, min(FLAT_OUT_BATCH, room))


def _write(engine, batch, produced: Produced) -> None:
    with Session(engine) as session, session.begin():
        envelopes = record_joins(session, batch)
    now = time.time()
    for envelope in envelopes:
        produced.committed[envelope["subject"]] = now
        produced.names[envelope["subject"]] = envelope["data"]["name"]


def _wait_until(moment: float) -> None:
    ahead = moment - time.monotonic()
    if ahead > 0:
        time.sleep(ahead)


@dataclass
class Outcome:
    members: int
    arrived: int
    seconds: float
    per_second: float
    p50_lag_ms: float
    p99_lag_ms: float
    relay_p99_lag_ms: float
    announced: bool

    @property
    def lost(self) -> int:
        return self.members - self.arrived


def measure(tap: Tap, produced: Produced, counter) -> Outcome:
    """Wait until every member's listing is announced (or nothing has moved for
    a while), then work out rate and lateness from the tap's notes."""
    members = list(produced.committed)
    arrivals = _wait_for_listings(tap, members, counter)
    lags = [arrivals[m] - produced.committed[m] for m in members if m in arrivals]
    relay = [
        tap.verified[m] - produced.committed[m] for m in members if m in tap.verified
    ]
    seconds = (max(arrivals.values()) - produced.first) if arrivals else 0.0
    return Outcome(
        members=len(members),
        arrived=len([m for m in members if m in arrivals]),
        seconds=seconds,
        per_second=2 * len(arrivals) / seconds if seconds else 0.0,
        p50_lag_ms=percentile(lags, 50) * 1000,
        p99_lag_ms=percentile(lags, 99) * 1000,
        relay_p99_lag_ms=percentile(relay, 99) * 1000,
        announced=bool(tap.listed),
    )


def settle(probe: Callable[[], bool], timeout: float = IDLE_SECONDS) -> bool:
    """Wait until `probe()` holds, or `timeout` passes; whether it held."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if probe():
            return True
        time.sleep(0.1)
    return probe()


def _wait_for_listings(tap: Tap, members: list[str], counter) -> dict[str, float]:
    """Arrival times by member: from `ListingPublished` when the directory
    announces listings, else from counting its listings (the fallback
    `counter`, polled)."""
    wanted, started = set(members), time.monotonic()
    last_progress, last_count, polled = time.monotonic(), -1, {}
    while time.monotonic() - last_progress < IDLE_SECONDS:
        count = len(wanted & tap.listed.keys())
        if count == len(wanted):
            break
        if not tap.listed and time.monotonic() - started > NO_ANNOUNCEMENT_SECONDS:
            return _count_listings(members, counter, polled)
        if count != last_count:
            last_progress, last_count = time.monotonic(), count
        time.sleep(0.2)
    return {m: tap.listed[m] for m in members if m in tap.listed}


def _count_listings(members: list[str], counter, polled: dict) -> dict[str, float]:
    """No `ListingPublished` came: take arrival times from the listings table,
    in the order members were written (the directory applies them in order)."""
    base = counter.baseline
    done, last_progress = 0, time.monotonic()
    while done < len(members) and time.monotonic() - last_progress < IDLE_SECONDS:
        now, count = time.time(), min(counter.count() - base, len(members))
        for member in members[done:count]:
            polled[member] = now
        if count > done:
            done, last_progress = count, time.monotonic()
        time.sleep(0.2)
    return polled


class ListingCounter:
    """How many listings the directory's database holds (the fallback only)."""

    def __init__(self, database_url: str):
        self.engine = make_engine(database_url)
        self.baseline = self.count()

    def count(self) -> int:
        with self.engine.connect() as connection:
            return connection.execute(text("SELECT count(*) FROM listings")).scalar()

    def close(self) -> None:
        self.engine.dispose()
