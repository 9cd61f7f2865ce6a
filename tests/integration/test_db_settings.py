"""What every service's engine sets on a new database connection."""

import eventlet
import pytest
from sqlalchemy import Column, Integer, MetaData, Table, insert, select, text, update

from infra.db import make_engine


@pytest.fixture
def engine(db_url):
    engine = make_engine(db_url)
    yield engine
    engine.dispose()


def test_postgresql_connections_run_without_jit_even_after_a_rollback(engine):
    if engine.dialect.name != "postgresql":
        pytest.skip("JIT compilation is PostgreSQL's")
    with engine.connect() as connection:
        connection.rollback()
        assert connection.execute(text("SHOW jit")).scalar() == "off"


def test_sqlite_connections_keep_a_write_ahead_log(engine):
    if engine.dialect.name != "sqlite":
        pytest.skip("the pragmas are SQLite's")
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1


WORK = Table(
    "work", MetaData(), Column("id", Integer, primary_key=True), Column("done", Integer)
)


@pytest.fixture
def two_copies(db_url):
    """Two engines on one SQLite file, as two containers of a service have."""
    if not db_url.startswith("sqlite"):
        pytest.skip("PostgreSQL locks rows itself (FOR UPDATE SKIP LOCKED)")
    first, second = make_engine(db_url), make_engine(db_url)
    WORK.create(first)
    with first.begin() as connection:
        connection.execute(insert(WORK), [{"done": 0}, {"done": 0}, {"done": 0}])
    yield first, second
    first.dispose(), second.dispose()


def test_two_copies_on_one_sqlite_file_never_claim_the_same_rows(two_copies):
    """As the outbox relay and housekeeping claim work: read the rows not yet
    done FOR UPDATE, work on them (yielding to other green threads), mark
    them done. The second copy must not read them until the first has
    committed, and must not stop the process while it waits."""
    claimed = {"first": [], "second": []}
    first_has_read = eventlet.event.Event()

    def claim(engine, name, pause):
        with engine.begin() as connection:
            undone = select(WORK.c.id).where(WORK.c.done == 0).with_for_update()
            claimed[name] = list(connection.execute(undone).scalars())
            if name == "first":
                first_has_read.send()
            eventlet.sleep(pause)  # publishing, say
            connection.execute(update(WORK).where(WORK.c.done == 0).values(done=1))

    one = eventlet.spawn(claim, two_copies[0], "first", 0.5)
    first_has_read.wait()
    two = eventlet.spawn(claim, two_copies[1], "second", 0)
    one.wait(), two.wait()

    assert claimed == {"first": [1, 2, 3], "second": []}


def test_a_transaction_that_only_reads_holds_up_no_other_copy(two_copies):
    first, second = two_copies
    with first.connect() as reading:
        assert len(reading.execute(select(WORK)).all()) == 3
        with second.begin() as writing:  # while the read's transaction is open
            writing.execute(update(WORK).values(done=1))
        assert reading.in_transaction()
