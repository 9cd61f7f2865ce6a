"""The broker permissions of a partner system, from the event catalogue.

    python deploy/partner_access.py NAME [--vhost coprod] [--manifest]

prints the rabbitmqctl lines (or, with --manifest, the Messaging Topology
Operator objects of deploy/kubernetes/components/partner-access) that let the
partner's user `partner-NAME` declare and read its own queues
(`partner.NAME.<anything>`) and bind them to the platform's event exchanges
with the routing keys of public events only. Events marked internal in
contracts/events are refused by the topic permissions, and so are wildcard
bindings (`#`, `*`), since a binding key must equal a public
event name. The partner can publish nothing on the platform's exchanges."""

import argparse
import re
import shlex
import sys
from dataclasses import dataclass

import yaml

from contracts.events import CATALOGUE

CLUSTER = {"name": "coprod-rabbitmq"}


@dataclass(frozen=True)
class TopicGrant:
    exchange: str
    write: str
    read: str


@dataclass(frozen=True)
class PartnerAccess:
    user: str
    configure: str
    write: str
    read: str
    topics: tuple[TopicGrant, ...]


def public_events() -> dict[str, list[str]]:
    """Public event names by exchange, in catalogue order, each name once."""
    found: dict[str, list[str]] = {}
    for event in CATALOGUE:
        names = found.setdefault(event.exchange, [])
        if not event.internal and event.name not in names:
            names.append(event.name)
    return {exchange: names for exchange, names in found.items() if names}


def one_of(names: list[str]) -> str:
    return "^(" + "|".join(re.escape(name) for name in names) + ")$"


def partner_access(name: str) -> PartnerAccess:
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", name):
        raise ValueError("a partner name is lower-case letters, digits and dashes")
    own = rf"^partner\.{name}\..+$"
    events = public_events()
    readable = [rf"partner\.{name}\..+"] + [re.escape(x) for x in events]
    return PartnerAccess(
        user=f"partner-{name}",
        configure=own,
        write=own,
        read="^(" + "|".join(readable) + ")$",
        topics=tuple(
            TopicGrant(exchange, write="^$", read=one_of(names))
            for exchange, names in events.items()
        ),
    )


def rabbitmqctl_lines(access: PartnerAccess, vhost: str) -> list[str]:
    quote = shlex.quote
    lines = [
        f'rabbitmqctl add_user {access.user} "$PARTNER_PASSWORD"',
        f"rabbitmqctl set_permissions -p {vhost} {access.user} "
        f"{quote(access.configure)} {quote(access.write)} {quote(access.read)}",
    ]
    lines += [
        f"rabbitmqctl set_topic_permissions -p {vhost} {access.user} "
        f"{grant.exchange} {quote(grant.write)} {quote(grant.read)}"
        for grant in access.topics
    ]
    return lines


def manifest(access: PartnerAccess, vhost: str) -> str:
    """The partner's User, Permission and TopicPermissions, as YAML."""
    user = {"name": access.user}
    objects = [
        _topology("User", access.user, importCredentialsSecret=user),
        _topology(
            "Permission",
            access.user,
            vhost=vhost,
            userReference=user,
            permissions={
                "configure": access.configure,
                "write": access.write,
                "read": access.read,
            },
        ),
    ]
    objects += [
        _topology(
            "TopicPermission",
            f"{access.user}-{grant.exchange.replace('.', '-')}",
            vhost=vhost,
            userReference=user,
            permissions={
                "exchange": grant.exchange,
                "write": grant.write,
                "read": grant.read,
            },
        )
        for grant in access.topics
    ]
    header = (
        f"# Made by: python deploy/partner_access.py {access.user[8:]} --manifest\n"
        f"# The password is the Secret {access.user} (keys username, password).\n"
    )
    return header + yaml.safe_dump_all(objects, sort_keys=False, width=200)


def _topology(kind: str, name: str, **spec) -> dict:
    return {
        "apiVersion": "rabbitmq.com/v1beta1",
        "kind": kind,
        "metadata": {"name": name},
        "spec": {**spec, "rabbitmqClusterReference": CLUSTER},
    }


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="partner_access.py")
    parser.add_argument("name")
    parser.add_argument("--vhost", default="coprod")
    parser.add_argument("--manifest", action="store_true")
    options = parser.parse_args(argv)
    access = partner_access(options.name)
    if options.manifest:
        print(manifest(access, options.vhost), end="")
    else:
        print("\n".join(rabbitmqctl_lines(access, options.vhost)))


if __name__ == "__main__":
    main(sys.argv[1:])
