"""Commands for whoever runs the platform, reading the service's own config.yml:

    python -m services.membership.admin make-coordinator EMAIL
    python -m services.membership.admin make-member EMAIL

The first coordinator is made this way (`make coordinator EMAIL=…`); the
address must belong to a member who has not left."""

import argparse
import logging
import sys

import yaml
from nameko.cli.main import setup_yaml_parser
from sqlalchemy.orm import sessionmaker

from infra.db import make_engine
from infra.migrate import upgrade
from services.membership.exceptions import MemberNotFound
from services.membership.members import set_access_role

logger = logging.getLogger(__name__)

CONFIG = "services/membership/config.yml"
MIGRATIONS = "services/membership/migrations"
ROLES = {"make-coordinator": "coordinator", "make-member": "member"}


def load_config(path: str) -> dict:
    setup_yaml_parser()
    with open(path, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m services.membership.admin")
    parser.add_argument("command", choices=sorted(ROLES))
    parser.add_argument("email")
    parser.add_argument("--config", default=CONFIG)
    args = parser.parse_args(argv)

    engine = make_engine(load_config(args.config)["DATABASE_URL"])
    upgrade(engine, MIGRATIONS)
    try:
        member = set_access_role(
            sessionmaker(engine)(), args.email, ROLES[args.command]
        )
    except MemberNotFound:
        sys.stderr.write("No member has that address.\n")
        return 1
    finally:
        engine.dispose()
    sys.stdout.write(f"{member.id} is now a {member.access_role}.\n")
    return 0


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    sys.exit(main(sys.argv[1:]))
