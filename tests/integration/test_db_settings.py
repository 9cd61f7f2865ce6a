"""What every service's engine sets on a new database connection."""

import pytest
from sqlalchemy import text

from infra.db import make_engine


def test_postgresql_connections_run_without_jit_even_after_a_rollback(db_url):
    if not db_url.startswith("postgresql"):
        pytest.skip("JIT compilation is PostgreSQL's")
    engine = make_engine(db_url)
    try:
        with engine.connect() as connection:
            connection.rollback()
            assert connection.execute(text("SHOW jit")).scalar() == "off"
    finally:
        engine.dispose()


def test_sqlite_connections_keep_a_write_ahead_log(db_url):
    if not db_url.startswith("sqlite"):
        pytest.skip("the pragmas are SQLite's")
    engine = make_engine(db_url)
    try:
        with engine.connect() as connection:
            assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
    finally:
        engine.dispose()
