"""Write a new Alembic migration for one service by comparing its models with a
scratch database at the current head: `make migration SERVICE=membership MSG=...`"""

import sys
import tempfile

from alembic import command

from infra.migrate import alembic_config


def main(service: str, message: str) -> None:
    location = f"services/{service}/migrations"
    with tempfile.NamedTemporaryFile(suffix=".db") as scratch:
        config = alembic_config(location)
        config.set_main_option("sqlalchemy.url", f"sqlite:///{scratch.name}")
        command.upgrade(config, "head")
        command.revision(config, message, autogenerate=True)


if __name__ == "__main__":
    main(*sys.argv[1:3])
