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
    event.listen(engine, "before_cursor_execute", _sqlite_begin)
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
    # Python's sqlite3 begins a transaction only before an INSERT, UPDATE or
    # DELETE, so a SELECT ... FOR UPDATE claiming outbox rows or housekeeping
    # work was read outside any transaction, and two copies of a service on
    # one file could both claim the same rows. It begins none of its own now;
    # _sqlite_begin begins one before the first write, as sqlite3 did, and
    # before a claim too.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


SQLITE_BUSY_MS = 10_000
_READS = ("SELECT", "PRAGMA")


def _sqlite_begin(conn, cursor, statement, _parameters, context, _many) -> None:
    """Before a statement, if its transaction has not yet begun in SQLite:
    begin it with the file's write lock, unless the statement only reads.
    SQLite cannot lock a row, so FOR UPDATE means nothing to it; taking the
    write lock before such a read is what keeps a second copy from reading
    the same rows until this one commits. Plain reads take no lock (WAL), as
    before, so a transaction that only reads holds up no one."""
    if cursor.connection.in_transaction or not conn.in_transaction():
        return
    compiled = getattr(context, "compiled", None)
    claims = getattr(getattr(compiled, "statement", None), "_for_update_arg", None)
    if statement[:16].lstrip()[:6].upper() in _READS and claims is None:
        return
    _begin_with_lock(cursor.connection)


def _locked(error: BaseException) -> bool:
    return isinstance(error, sqlite3.OperationalError) and "locked" in str(error)


def _begin_with_lock(dbapi_connection) -> None:
    """BEGIN IMMEDIATE, with SQLite's own waiting turned off meanwhile: it
    would stop every green thread of the process, the lock's holder too when
    that is a copy in this process. Tries again after short sleeps instead."""
    dbapi_connection.execute("PRAGMA busy_timeout=0")
    try:
        _begin_immediate(dbapi_connection)
    finally:
        dbapi_connection.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_MS}")


@retry(
    retry=retry_if_exception(_locked),
    wait=wait_random_exponential(multiplier=0.005, max=0.2),
    stop=stop_after_delay(SQLITE_BUSY_MS / 1000),
    reraise=True,
)
def _begin_immediate(dbapi_connection) -> None:
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
