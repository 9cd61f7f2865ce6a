"""Container checks for processes that have no HTTP port of their own.

    python deploy/probe.py amqp [--pid PID ...]
        passes while a process of this container holds an established TCP
        connection to the broker named by AMQP_URI. RabbitMQ drops a connection
        whose heartbeats stop, so a process that hangs loses it within two
        heartbeat intervals and the check starts failing.
    python deploy/probe.py http URL
        passes when URL answers 2xx within five seconds.
    python deploy/probe.py schema MIGRATIONS URL_VARIABLE [--wait SECONDS]
        passes when the database named by the environment variable is at the
        newest migration; with --wait, keeps trying that long (an init container
        that holds a service back until the migration Job has run).

Only the standard library is imported for `amqp` and `http`, so a probe costs a
few milliseconds of CPU, not a nameko start-up."""

import argparse
import os
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

ESTABLISHED = "01"
DEFAULT_PORTS = {"amqp": 5672, "amqps": 5671}


def broker_port(uri: str) -> int:
    parts = urlsplit(uri)
    return parts.port or DEFAULT_PORTS.get(parts.scheme, 5672)


def socket_inodes(pids: list[int]) -> set[str]:
    inodes = set()
    for pid in pids:
        try:
            links = [os.readlink(fd) for fd in Path(f"/proc/{pid}/fd").iterdir()]
        except OSError:
            continue  # gone, or not ours to read
        inodes.update(link[8:-1] for link in links if link.startswith("socket:["))
    return inodes


def established_to(port: int) -> set[str]:
    """Inodes of established TCP sockets (IPv4 and IPv6) whose far end is `port`."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            rows = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for row in rows:
            fields = row.split()
            remote_port = int(fields[2].rsplit(":", 1)[1], 16)
            if fields[3] == ESTABLISHED and remote_port == port:
                found.add(fields[9])
    return found


def other_pids() -> list[int]:
    """Every process this check can see but itself: in a container, the service."""
    me = os.getpid()
    return [
        int(p.name)
        for p in Path("/proc").iterdir()
        if p.name.isdigit() and int(p.name) != me
    ]


def check_amqp(pids: list[int] | None) -> str | None:
    port = broker_port(os.environ.get("AMQP_URI", "amqp://127.0.0.1:5672/"))
    if established_to(port) & socket_inodes(pids or other_pids()):
        return None
    return f"no established connection to the broker port {port}"


def check_http(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return None if 200 <= response.status < 300 else f"status {response.status}"
    except Exception as error:
        return f"{url} did not answer: {type(error).__name__}"


def check_schema(migrations: str, variable: str) -> str | None:
    from alembic.config import Config
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory
    from sqlalchemy import create_engine

    config = Config()
    config.set_main_option("script_location", migrations)
    wanted = set(ScriptDirectory.from_config(config).get_heads())
    engine = create_engine(os.environ[variable])
    try:
        with engine.connect() as connection:
            current = set(MigrationContext.configure(connection).get_current_heads())
    except Exception as error:
        return f"database not reachable: {type(error).__name__}"
    finally:
        engine.dispose()
    return (
        None
        if current == wanted
        else f"schema at {sorted(current)}, not {sorted(wanted)}"
    )


def arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="probe.py")
    checks = parser.add_subparsers(dest="check", required=True)
    amqp = checks.add_parser("amqp")
    amqp.add_argument("--pid", type=int, action="append")
    http = checks.add_parser("http")
    http.add_argument("url")
    schema = checks.add_parser("schema")
    schema.add_argument("migrations")
    schema.add_argument("variable")
    schema.add_argument("--wait", type=float, default=0)
    return parser.parse_args(argv)


def run(options: argparse.Namespace) -> str | None:
    if options.check == "amqp":
        return check_amqp(options.pid)
    if options.check == "http":
        return check_http(options.url)
    deadline = time.monotonic() + options.wait
    while (problem := check_schema(options.migrations, options.variable)) and (
        time.monotonic() < deadline
    ):
        time.sleep(2)
    return problem


def main(argv: list[str]) -> int:
    problem = run(arguments(argv))
    if problem:
        print(f"probe.failed check={argv[0]} reason={problem}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
