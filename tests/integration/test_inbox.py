"""The inbox every consumer keeps: an event is applied once, however often it
comes and however many copies of a consumer take it at once."""

import eventlet
import eventlet.event
import pytest
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import DeclarativeBase, Session

from contracts.envelope import make_envelope
from infra.inbox import InboxMixin, first_delivery


class Base(DeclarativeBase):
    pass


class Inbox(InboxMixin, Base):
    __tablename__ = "inbox"


@pytest.fixture
def engine(db_url):
    engine = create_engine(db_url)
    Base.metadata.create_all(engine)
    yield engine
    engine.dispose()


def an_event() -> dict:
    return make_envelope("membership", "MemberJoined", "m-1", {})


def deliver(engine, envelope: dict) -> bool:
    with Session(engine) as session, session.begin():
        return first_delivery(session, Inbox, envelope)


def test_an_event_is_new_once_and_then_a_repeat(engine):
    envelope = an_event()

    assert deliver(engine, envelope) is True
    assert deliver(engine, envelope) is False
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(Inbox)) == 1


def test_an_event_whose_transaction_rolled_back_is_new_again(engine):
    envelope = an_event()
    with Session(engine) as session:
        with pytest.raises(RuntimeError), session.begin():
            first_delivery(session, Inbox, envelope)
            raise RuntimeError("the handler failed")

    assert deliver(engine, envelope) is True


def test_two_copies_taking_the_same_event_at_once_apply_it_once(engine, db_url):
    if db_url.startswith("sqlite"):
        pytest.skip("SQLite has one writer per process: the two cannot overlap")
    envelope, first_in = an_event(), eventlet.event.Event()

    def first_copy():
        with Session(engine) as session, session.begin():
            applied = first_delivery(session, Inbox, envelope)
            first_in.send()
            eventlet.sleep(0.3)
            return applied

    first = eventlet.spawn(first_copy)
    first_in.wait()
    second = deliver(engine, envelope)

    assert (first.wait(), second) == (True, False)
