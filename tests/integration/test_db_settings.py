"""What every service's engine sets on a new database connection."""

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
