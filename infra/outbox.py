"""The transactional outbox: a service writes its change and the events that
announce it in one transaction; the relay publishes them afterwards, with
publisher confirms, and marks them sent. A broker that is down delays events and
never loses them; a crash between publish and mark sends one again, which the
consumers' inboxes ignore.

The relay publishes a whole batch and then waits for the broker's confirms once
(`infra.confirms`), instead of waiting a round trip after every message; a
batch that is not wholly confirmed stays unmarked and goes out again."""

import logging
from datetime import UTC, datetime
from functools import cache
from typing import Any

import eventlet
from eventlet.event import Event
from kombu import Connection, Exchange, Producer
from marshmallow import Schema
from nameko.extensions import DependencyProvider
from sqlalchemy import JSON, Integer, String, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from contracts.envelope import make_envelope
from contracts.events import EventType, lookup
from infra.confirms import Confirms
from infra.db import Database
from infra.logs import set_correlation_id
from infra.types import UtcDateTime

logger = logging.getLogger(__name__)


class OutboxMixin:
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    event_id: Mapped[str] = mapped_column(String(36), unique=True)
    event_type: Mapped[str] = mapped_column(String(80))
    envelope: Mapped[dict] = mapped_column(JSON)
    correlation_id: Mapped[str | None] = mapped_column(String(80), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    published_at: Mapped[datetime | None] = mapped_column(
        UtcDateTime, nullable=True, index=True
    )


def record_event(
    session: Session, model: type, event_type: str, subject: str, data: dict[str, Any]
) -> dict[str, Any]:
    """Add an event to the outbox in the caller's open transaction."""
    contract, schema = _contract(event_type)
    payload = schema.dump(data)
    envelope = make_envelope(
        contract.service, event_type, subject, payload, contract.version
    )
    session.add(
        model(
            event_id=envelope["id"],
            event_type=event_type,
            envelope=envelope,
            correlation_id=session.info.get("correlation_id"),
            created_at=datetime.now(UTC),
        )
    )
    return envelope


@cache
def _contract(event_type: str) -> tuple[EventType, Schema]:
    """The newest contract of `event_type` and one schema to dump it with, made
    once: making a marshmallow schema copies all its fields, which cost more
    than the dump itself when it was done for every event."""
    contract = lookup(event_type)
    return contract, contract.schema()


class OutboxRelay(DependencyProvider):
    """Publishes the outbox in the background; wakes after every worker."""

    def __init__(self, model: type, batch: int = 200):
        self.model = model
        self.batch = batch

    def setup(self) -> None:
        config = self.container.config
        self.exchange = Exchange(
            f"{self.container.service_name}.events", type="topic", durable=True
        )
        self.amqp_uri = config["AMQP_URI"]
        self.poll = float(config.get("OUTBOX_POLL_SECONDS", 1.0))
        self.wake = Event()
        self.running = False

    def start(self) -> None:
        self.running = True
        self.container.spawn_managed_thread(self._run)

    def stop(self) -> None:
        self.running = False
        self._poke()

    def kill(self) -> None:
        self.stop()

    def worker_teardown(self, worker_ctx) -> None:
        self._poke()

    def _poke(self) -> None:
        if not self.wake.ready():
            self.wake.send(True)

    def _run(self) -> None:
        database = self._database()
        self.confirms: Confirms | None = None
        with Connection(self.amqp_uri) as connection:
            while self.running:
                with eventlet.Timeout(self.poll, False):
                    self.wake.wait()
                self.wake = Event()
                self._drain(database, connection)

    def _database(self):
        return next(
            dep for dep in self.container.dependencies if isinstance(dep, Database)
        )

    def _drain(self, database, connection: Connection) -> None:
        try:
            while self._publish_batch(database, connection) == self.batch:
                pass
        except Exception as error:  # broker or database away: keep rows, retry later
            logger.warning("outbox.publish_failed error=%s", type(error).__name__)
            connection.release()
            eventlet.sleep(self.poll)

    def _publish_batch(self, database, connection: Connection) -> int:
        with database.factory() as session, session.begin():
            rows = session.scalars(
                select(self.model)
                .where(self.model.published_at.is_(None))
                .order_by(self.model.seq)
                .limit(self.batch)
                .with_for_update(skip_locked=True)
            ).all()
            if rows:
                self._publish_all(connection, rows)
                self._mark_published(session, [row.seq for row in rows])
        return len(rows)

    def _publish_all(self, connection: Connection, rows: list) -> None:
        """Publish every row, then wait once until the broker has confirmed them
        all; raises (and so rolls back) if it refuses any or does not answer."""
        channel = connection.default_channel
        if self.confirms is None or self.confirms.channel is not channel:
            self.confirms = Confirms(channel)
        producer = Producer(channel)
        for row in rows:
            self._publish(producer, row)
            self.confirms.published_one()
        self.confirms.wait(connection)
        for row in rows:
            # The relay works for every request at once; each line is its event's.
            set_correlation_id(row.correlation_id)
            logger.info("event.published type=%s id=%s", row.event_type, row.event_id)
            set_correlation_id(None)

    def _mark_published(self, session: Session, seqs: list[int]) -> None:
        session.execute(
            update(self.model)
            .where(self.model.seq.in_(seqs))
            .values(published_at=datetime.now(UTC))
            .execution_options(synchronize_session=False)
        )

    def _publish(self, producer: Producer, row) -> None:
        headers = (
            {"nameko.correlation_id": row.correlation_id} if row.correlation_id else {}
        )
        producer.publish(
            row.envelope,
            exchange=self.exchange,
            routing_key=row.event_type,
            declare=[self.exchange],
            serializer="json",
            delivery_mode=2,
            message_id=row.event_id,
            headers=headers,
        )
