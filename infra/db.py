"""A nameko dependency that gives each worker an SQLAlchemy 2 session on the
service's own database: SQLite under var/ by default, PostgreSQL when configured."""

import logging
import sqlite3
from pathlib import Path
from weakref import WeakKeyDictionary

from nameko.extensions import DependencyProvider
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, sessionmaker
from tenacity import (
    retry,
    retry_if_exception,
    stop_after_delay,
    wait_random_exponential,
)

from infra.migrate import upgrade

logger = logging.getLogger(__name__)

# PostgreSQL queries do not block the process: eventlet.monkey_patch(), which
# `nameko run` calls first, also makes psycopg2 wait on the eventlet hub.


def make_engine(url: str) -> Engine:
    """`hide_parameters` keeps the values of a failed statement (names, addresses)
    out of error messages, and so out of the logs."""
    if not url.startswith("sqlite"):
        engine = create_engine(
            url,
            pool_pre_ping=True,
            pool_size=10,
            max_overflow=10,
            hide_parameters=True,
        )
        if engine.dialect.name == "postgresql":
            event.listen(engine, "connect", _postgres_settings)
        return engine
    _make_parent_folder(url)
    # One connection per process: SQLite allows one writer, and under eventlet a
    # second green thread waiting on SQLite's own lock would block the process.
    engine = create_engine(
        url, pool_size=1, max_overflow=0, pool_timeout=60, hide_parameters=True
    )
    event.listen(engine, "connect", _sqlite_pragmas)
    event.listen(engine, "begin", _sqlite_begin)
    return engine


def _make_parent_folder(url: str) -> None:
    path = url.split("///", 1)[-1]
    if path and path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)


def _postgres_settings(dbapi_connection, _record) -> None:
    """PostgreSQL compiles a costly query to machine code first (JIT): for the
    evaluation's one wide count over 100,000 stories that took about 0.3 s and
    saved less (docs/benchmarks.md). Set on each new connection, and committed
    so that no rollback undoes it; a URL's own options are left alone, and a
    pooler in front need not accept startup options."""
    cursor = dbapi_connection.cursor()
    cursor.execute("SET jit = off")
    cursor.close()
    dbapi_connection.commit()


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # Python's sqlite3 would begin a transaction only at the first write, so
    # what a transaction read first (a SELECT ... FOR UPDATE claiming outbox
    # rows or housekeeping work) was read outside it, and two copies of a
    # service on one file could both claim the same rows. It begins none of
    # its own now; each transaction begins with _sqlite_begin.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    # No waiting inside SQLite, which would stop every green thread of the
    # process: a transaction that finds the file locked waits in _begin_with_lock.
    cursor.execute("PRAGMA busy_timeout=0")
    cursor.close()


def _sqlite_begin(connection) -> None:
    """SQLite cannot lock a row, so FOR UPDATE means nothing to it; a
    transaction that takes the file's write lock as it begins is what keeps
    a second copy's from reading the same rows until this one commits. So
    copies of a service on one file take turns, reads included (each waits
    up to busy_timeout); within a process nothing waits that did not already,
    as it has the one connection. PostgreSQL, for more than one machine's
    worth of work, locks rows and is left as it is."""
    _begin_with_lock(connection.connection.dbapi_connection)


SQLITE_LOCK_WAIT_SECONDS = 10


def _locked(error: BaseException) -> bool:
    return isinstance(error, sqlite3.OperationalError) and "locked" in str(error)


@retry(
    retry=retry_if_exception(_locked),
    wait=wait_random_exponential(multiplier=0.005, max=0.2),
    stop=stop_after_delay(SQLITE_LOCK_WAIT_SECONDS),
    reraise=True,
)
def _begin_with_lock(dbapi_connection) -> None:
    """BEGIN IMMEDIATE, waiting for another connection's write to end by
    sleeping between tries: under eventlet a sleep lets the rest of the
    process go on, the holder included when it is a copy in this process."""
    dbapi_connection.execute("BEGIN IMMEDIATE")


_INSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


def insert_if_new(session: Session, model: type, key: str, **values) -> bool:
    """Insert a row unless one with the same `key` exists; True if inserted.

    One statement (`ON CONFLICT DO NOTHING`), and no error when another
    transaction inserts the same key at the same time: on PostgreSQL this one
    waits for that transaction and then inserts nothing, or inserts if it
    rolled back."""
    insert = _INSERTS[session.get_bind().dialect.name](model).values(**values)
    result = session.execute(insert.on_conflict_do_nothing(index_elements=[key]))
    return result.rowcount == 1


class Database(DependencyProvider):
    """Injects a `Session`; domain code opens its own `with session.begin()`."""

    def __init__(self, migrations: str):
        self.migrations = migrations
        self.sessions: WeakKeyDictionary = WeakKeyDictionary()

    def setup(self) -> None:
        config = self.container.config
        self.engine = make_engine(config["DATABASE_URL"])
        if str(config.get("AUTO_MIGRATE", True)).lower() in ("1", "true", "yes"):
            upgrade(self.engine, self.migrations)
        self.factory = sessionmaker(self.engine, expire_on_commit=False)

    def stop(self) -> None:
        self.engine.dispose()

    def get_dependency(self, worker_ctx) -> Session:
        session = self.factory()
        session.info["correlation_id"] = worker_ctx.data.get("correlation_id")
        self.sessions[worker_ctx] = session
        return session

    def worker_teardown(self, worker_ctx) -> None:
        session = self.sessions.pop(worker_ctx, None)
        if session is not None:
            session.close()
