"""Commands for whoever runs the platform, reading the service's own config.yml:

    python -m services.membership.admin make-coordinator EMAIL
    python -m services.membership.admin make-member EMAIL
    python -m services.membership.admin make-api-key PARTNER --label L --scope S...
    python -m services.membership.admin revoke-api-key KEY_ID

The first coordinator is made this way (`make coordinator EMAIL=…`); the
address must belong to a member who has not left. A new API key is printed
once; only its hash is kept."""

import argparse
import logging
import sys

import yaml
from nameko.cli.main import setup_yaml_parser
from sqlalchemy.orm import Session, sessionmaker

from contracts.errors import InvalidInput, NotFound
from contracts.scopes import SCOPES
from infra.db import make_engine
from infra.migrate import upgrade
from infra.validation import parse
from services.membership import apikeys
from services.membership.members import set_access_role
from services.membership.schemas import ApiKeySchema

logger = logging.getLogger(__name__)

CONFIG = "services/membership/config.yml"
MIGRATIONS = "services/membership/migrations"
ROLES = {"make-coordinator": "coordinator", "make-member": "member"}


def load_config(path: str) -> dict:
    setup_yaml_parser()
    with open(path, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def arguments() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--config", default=CONFIG)
    parser = argparse.ArgumentParser(prog="python -m services.membership.admin")
    commands = parser.add_subparsers(dest="command", required=True)
    for name in ROLES:
        commands.add_parser(name, parents=[common]).add_argument("email")
    making = commands.add_parser("make-api-key", parents=[common])
    making.add_argument("partner")
    making.add_argument("--label", required=True)
    making.add_argument("--scope", action="append", required=True, choices=SCOPES)
    revoking = commands.add_parser("revoke-api-key", parents=[common])
    revoking.add_argument("key_id")
    return parser


def run(session: Session, args: argparse.Namespace) -> str:
    if args.command in ROLES:
        member = set_access_role(session, args.email, ROLES[args.command])
        return f"{member.id} is now a {member.access_role}."
    if args.command == "make-api-key":
        form = {"partner": args.partner, "label": args.label, "scopes": args.scope}
        made = apikeys.create(session, parse(ApiKeySchema(), form), None)
        key_id, secret = made["key"].id, made["secret"]
        return f"{key_id}\n{secret}\nKeep the key now: it is not shown again."
    key = apikeys.revoke(session, args.key_id)
    return f"{key.id} of {key.partner} is revoked."


def main(argv: list[str]) -> int:
    args = arguments().parse_args(argv)
    engine = make_engine(load_config(args.config)["DATABASE_URL"])
    upgrade(engine, MIGRATIONS)
    try:
        said = run(sessionmaker(engine)(), args)
    except NotFound as error:
        sys.stderr.write(f"{error}\n")
        return 1
    except InvalidInput as error:
        sys.stderr.write(f"{error.errors}\n")
        return 2
    finally:
        engine.dispose()
    sys.stdout.write(said + "\n")
    return 0


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    sys.exit(main(sys.argv[1:]))
