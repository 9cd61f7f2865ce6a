"""The outbox relay publishes in batches and waits for the broker's confirms once
per batch: a row is marked sent only when the broker has confirmed it, and a
batch the broker refuses stays in the outbox and goes out later."""

import pytest
from kombu import Connection, Exchange, Queue
from nameko.rpc import rpc
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import DeclarativeBase, Session

from infra.db import Database
from infra.outbox import OutboxMixin, OutboxRelay, record_event
from tests.support.amqp import EventTap
from tests.support.members import snapshot
from tests.support.waiting import eventually


class Base(DeclarativeBase):
    pass


class OutboxEvent(OutboxMixin, Base):
    __tablename__ = "outbox"


class Relaying:
    """Only what the relay needs: a database with an outbox."""

    name = "membership"

    db = Database("unused")
    relay = OutboxRelay(OutboxEvent)

    @rpc
    def ping(self) -> str:
        return "pong"


@pytest.fixture
def engine(db_url):
    engine = create_engine(db_url)
    Base.metadata.create_all(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def relaying(container_factory, config, engine):
    container = container_factory(Relaying, {**config, "AUTO_MIGRATE": "false"})
    container.start()
    return container


def record_joins(engine, count: int) -> list[str]:
    with Session(engine) as session, session.begin():
        envelopes = [
            record_event(session, OutboxEvent, "MemberJoined", s["member_id"], s)
            for s in (snapshot(f"Aelod {n}") for n in range(count))
        ]
    return [envelope["id"] for envelope in envelopes]


def unsent(engine) -> int:
    with Session(engine) as session:
        query = select(func.count()).where(OutboxEvent.published_at.is_(None))
        return session.scalar(query)


def refusing_queue(amqp_uri: str) -> Queue:
    """A queue bound to the events that takes nothing: the broker refuses
    (nacks) every message routed to it."""
    queue = Queue(
        "bench-full",
        Exchange("membership.events", type="topic", durable=True),
        routing_key="#",
        queue_arguments={"x-max-length": 0, "x-overflow": "reject-publish"},
    )
    with Connection(amqp_uri) as connection:
        queue(connection.default_channel).declare()
    return queue


def test_more_than_a_batch_goes_out_in_order_and_every_row_is_marked(
    relaying, engine, rabbit_config
):
    tap = EventTap(rabbit_config["AMQP_URI"], "membership", "MemberJoined")
    ids = record_joins(engine, 450)

    seen = tap.collect(450)

    assert [envelope["id"] for envelope in seen] == ids
    assert eventually(lambda: unsent(engine) == 0)
    tap.close()


def test_a_batch_the_broker_refuses_stays_in_the_outbox_until_it_can_go(
    relaying, engine, rabbit_config
):
    amqp_uri = rabbit_config["AMQP_URI"]
    full = refusing_queue(amqp_uri)
    tap = EventTap(amqp_uri, "membership", "MemberJoined")
    ids = record_joins(engine, 3)

    tap.collect(3, timeout=2)
    assert unsent(engine) == 3

    with Connection(amqp_uri) as connection:
        full(connection.default_channel).delete()
    eventually(lambda: unsent(engine) == 0, timeout=30)
    tap.collect(6, timeout=5)
    assert set(ids) <= {envelope["id"] for envelope in tap.seen}
    tap.close()
