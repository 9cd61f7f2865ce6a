"""deploy/probe.py against real things: a process's own broker connection, the
schema of a real database, a URL; and the compose file's PostgreSQL init
script on the real server."""

import os
import subprocess
import sys
import uuid

import psycopg2
import pytest
from kombu import Connection
from psycopg2 import sql
from sqlalchemy import create_engine

from infra.migrate import upgrade
from tests.support.databases import ADMIN_DSN, postgres_answers
from tests.support.manifests import DEPLOY, ROOT

MIGRATIONS = "services/directory/migrations"


def probe(*arguments: str, **environment: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(DEPLOY / "probe.py"), *arguments],
        cwd=ROOT,
        env={**os.environ, **environment},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_the_amqp_probe_passes_while_the_process_holds_a_connection(rabbit_config):
    uri = rabbit_config["AMQP_URI"]
    me = str(os.getpid())
    connection = Connection(uri)
    connection.connect()

    held = probe("amqp", "--pid", me, AMQP_URI=uri)
    connection.release()
    released = probe("amqp", "--pid", me, AMQP_URI=uri)

    assert held.returncode == 0, held.stderr
    assert released.returncode == 1
    assert "no established connection" in released.stderr


def test_the_amqp_probe_looks_at_the_broker_port_of_amqp_uri(rabbit_config):
    connection = Connection(rabbit_config["AMQP_URI"])
    connection.connect()

    elsewhere = probe("amqp", "--pid", str(os.getpid()), AMQP_URI="amqp://h:5999/")
    connection.release()

    assert elsewhere.returncode == 1


def test_the_schema_probe_waits_for_the_newest_migration(db_url):
    before = probe("schema", MIGRATIONS, "PROBED_URL", PROBED_URL=db_url)
    engine = create_engine(db_url)
    upgrade(engine, MIGRATIONS)
    engine.dispose()
    after = probe("schema", MIGRATIONS, "PROBED_URL", PROBED_URL=db_url)

    assert before.returncode == 1 and "schema at []" in before.stderr
    assert after.returncode == 0, after.stderr


def test_the_http_probe_fails_when_nothing_answers():
    result = probe("http", "http://127.0.0.1:9/api/v1/health")

    assert result.returncode == 1


@pytest.fixture
def init_names():
    if not postgres_answers():
        pytest.skip("PostgreSQL does not answer")
    prefix = f"coprod_init_{uuid.uuid4().hex[:8]}"
    names = [f"{prefix}_membership", f"{prefix}_directory"]
    yield names
    admin = psycopg2.connect(ADMIN_DSN, dbname="postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        for name in names:
            cursor.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                    sql.Identifier(name)
                )
            )
            cursor.execute(
                sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(name))
            )
    admin.close()


def connects(user: str, database: str) -> bool:
    params = dict(p.split("=", 1) for p in ADMIN_DSN.split())
    try:
        psycopg2.connect(
            host=params.get("host", "127.0.0.1"),
            port=params.get("port", "5432"),
            user=user,
            password="secret",
            dbname=database,
        ).close()
        return True
    except psycopg2.OperationalError:
        return False


@pytest.mark.postgres
def test_the_init_script_gives_each_service_a_database_only_it_may_open(init_names):
    params = dict(p.split("=", 1) for p in ADMIN_DSN.split())
    environment = {
        "COPROD_DATABASES": " ".join(init_names),
        "PGHOST": params.get("host", "127.0.0.1"),
        "PGPORT": params.get("port", "5432"),
        "POSTGRES_USER": params.get("user", "postgres"),
        **{f"{name.upper()}_DB_PASSWORD": "secret" for name in init_names},
    }

    result = subprocess.run(
        ["sh", str(DEPLOY / "compose" / "postgres-init.sh")],
        env={**os.environ, **environment},
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    first, second = init_names
    assert connects(first, first) and connects(second, second)
    assert not connects(first, second) and not connects(second, first)
