"""Alembic migrations per service, run in code so a fresh machine needs no step by
hand. On PostgreSQL an advisory lock keeps two starting copies from racing."""

import logging
import sys
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, text

logger = logging.getLogger(__name__)

_LOCK_KEY = 7_246_001


def alembic_config(migrations: str, connection=None) -> Config:
    config = Config()
    config.set_main_option("script_location", migrations)
    config.attributes["connection"] = connection
    return config


def upgrade(engine: Engine, migrations: str) -> None:
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(
                text("SELECT pg_advisory_xact_lock(:k)"), {"k": _LOCK_KEY}
            )
        command.upgrade(alembic_config(migrations, connection), "head")
    logger.info("migrations.applied service=%s", Path(migrations).parent.name)


def run_env(target_metadata) -> None:
    """Body of each service's migrations/env.py."""
    from alembic import context

    connection = context.config.attributes.get("connection")
    if connection is None:
        url = context.config.get_main_option("sqlalchemy.url")
        connection = create_engine(url).connect()
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


def main(argv: list[str]) -> None:
    """`python -m infra.migrate services/membership/migrations DATABASE_URL`"""
    migrations, url = argv
    upgrade(create_engine(url), migrations)


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    main(sys.argv[1:])
