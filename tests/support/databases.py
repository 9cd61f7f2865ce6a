"""Databases of their own for each test run: a SQLite file, or a fresh PostgreSQL
database that is dropped afterwards."""

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg2
from psycopg2 import sql

ADMIN_DSN = os.environ.get(
    "TEST_POSTGRES_DSN", "host=127.0.0.1 port=5432 user=postgres"
)
BACKENDS = ("sqlite", "postgresql")


def postgres_answers() -> bool:
    try:
        psycopg2.connect(ADMIN_DSN, dbname="postgres", connect_timeout=3).close()
        return True
    except psycopg2.OperationalError:
        return False


def _admin(statement: sql.Composable) -> None:
    connection = psycopg2.connect(ADMIN_DSN, dbname="postgres")
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute(statement)
    finally:
        connection.close()


@contextmanager
def database(backend: str, folder: Path, name: str) -> Iterator[str]:
    """Yield the SQLAlchemy URL of an empty database for this run."""
    if backend == "sqlite":
        yield f"sqlite:///{folder / f'{name}.db'}"
        return
    db_name = f"coprod_test_{name}_{uuid.uuid4().hex[:10]}"
    _admin(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(db_name)))
    try:
        params = dict(p.split("=", 1) for p in ADMIN_DSN.split())
        yield (
            f"postgresql+psycopg2://{params.get('user', 'postgres')}@"
            f"{params.get('host', '127.0.0.1')}:{params.get('port', '5432')}/{db_name}"
        )
    finally:
        _admin(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(db_name)
            )
        )
