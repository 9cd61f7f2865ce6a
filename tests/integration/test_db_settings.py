"""What every service's engine sets on a new database connection."""

import eventlet
import pytest
from sqlalchemy import text

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


def test_two_copies_on_one_sqlite_file_never_claim_the_same_rows(db_url):
    """As the outbox relay and housekeeping claim work: read the rows not yet
    done, work on them (yielding to other green threads), mark them done. A
    second copy on the same file (its own engine, as a second container has)
    must not read them until the first has committed, and must not stop the
    process while it waits."""
    if not db_url.startswith("sqlite"):
        pytest.skip("PostgreSQL's FOR UPDATE SKIP LOCKED does this by itself")
    first, second = make_engine(db_url), make_engine(db_url)
    with first.begin() as connection:
        connection.execute(text("CREATE TABLE work (id INTEGER PRIMARY KEY, done INT)"))
        connection.execute(text("INSERT INTO work (done) VALUES (0), (0), (0)"))
    claimed = {"first": [], "second": []}
    first_has_read = eventlet.event.Event()

    def claim(engine, name, pause):
        with engine.begin() as connection:
            rows = connection.execute(text("SELECT id FROM work WHERE done = 0"))
            claimed[name] = [row.id for row in rows]
            if name == "first":
                first_has_read.send()
            eventlet.sleep(pause)  # publishing, say
            connection.execute(text("UPDATE work SET done = 1 WHERE done = 0"))

    one = eventlet.spawn(claim, first, "first", 0.5)
    first_has_read.wait()
    two = eventlet.spawn(claim, second, "second", 0)
    one.wait(), two.wait()
    first.dispose(), second.dispose()

    assert claimed == {"first": [1, 2, 3], "second": []}
