"""A database of its own for each service in each stack: a SQLite file in the
run's folder, or a PostgreSQL database dropped afterwards."""

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg2
from psycopg2 import sql

ADMIN_DSN = os.environ.get(
    "BENCH_POSTGRES_DSN", "host=127.0.0.1 port=5432 user=postgres"
)
BACKENDS = ("sqlite", "postgresql")
LABELS = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


def postgres_answers() -> bool:
    try:
        psycopg2.connect(ADMIN_DSN, dbname="postgres", connect_timeout=3).close()
        return True
    except psycopg2.OperationalError:
        return False


def postgres_version() -> str:
    connection = psycopg2.connect(ADMIN_DSN, dbname="postgres")
    try:
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            return cursor.fetchone()[0]
    finally:
        connection.close()


def _admin(statement: sql.Composable) -> None:
    connection = psycopg2.connect(ADMIN_DSN, dbname="postgres")
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute(statement)
    finally:
        connection.close()


def _postgres_url(db_name: str) -> str:
    params = dict(part.split("=", 1) for part in ADMIN_DSN.split())
    return (
        f"postgresql+psycopg2://{params.get('user', 'postgres')}@"
        f"{params.get('host', '127.0.0.1')}:{params.get('port', '5432')}/{db_name}"
    )


@contextmanager
def database(backend: str, folder: Path, name: str) -> Iterator[str]:
    """Yield the SQLAlchemy URL of an empty database, removed afterwards."""
    if backend == "sqlite":
        path = folder / f"{name}.db"
        try:
            yield f"sqlite:///{path}"
        finally:
            for leftover in folder.glob(f"{name}.db*"):
                leftover.unlink()
        return
    db_name = f"coprod_bench_{name}_{uuid.uuid4().hex[:8]}"
    _admin(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(db_name)))
    try:
        yield _postgres_url(db_name)
    finally:
        _admin(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(db_name)
            )
        )
