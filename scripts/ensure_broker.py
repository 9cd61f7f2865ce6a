"""Make sure RabbitMQ answers at AMQP_URI before anything starts: bring back a
local node that does not answer (`recovery`), and otherwise say what to install.
With --management, also make sure the management API answers (the tests make
their own vhosts through it)."""

import argparse
import base64
import os
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

from kombu import Connection

DEFAULT_URI = "amqp://guest:guest@127.0.0.1:5672/"
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}


def amqp_answers(uri: str) -> bool:
    try:
        with Connection(uri, connect_timeout=3) as connection:
            connection.ensure_connection(max_retries=1)
        return True
    except Exception:
        return False


def management_answers(url: str, user: str, password: str) -> bool:
    token = base64.b64encode(f"{user}:{password}".encode()).decode()
    request = urllib.request.Request(url, headers={"Authorization": f"Basic {token}"})
    try:
        with urllib.request.urlopen(request, timeout=3) as response:
            return response.status == 200
    except Exception:
        return False


def wait_for(check, seconds: int) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(1)
    return False


def fail(message: str) -> None:
    print(f"\n{message}\n", file=sys.stderr)
    sys.exit(1)


def ensure_amqp(uri: str) -> None:
    if amqp_answers(uri):
        return
    host = urlsplit(uri).hostname or ""
    if host not in LOCAL_HOSTS:
        fail(f"RabbitMQ does not answer at {host}. Start it there, or set AMQP_URI.")
    if not shutil.which("rabbitmq-server"):
        fail(
            "RabbitMQ is not installed and nothing answers at AMQP_URI.\n"
            "On Debian or Ubuntu: sudo apt-get install rabbitmq-server\n"
            "or point AMQP_URI at a broker you have."
        )
    for what, commands, seconds in recovery():
        print(f"RabbitMQ does not answer at {host}; {what} ...", flush=True)
        for command in commands:
            run_quietly(command, 120)
        if wait_for(lambda: amqp_answers(uri), seconds):
            print("RabbitMQ answers.")
            return
    fail(
        "RabbitMQ still does not answer, even after its node was restarted; see "
        f"its log in /var/log/rabbitmq.\n{log_tail()}"
    )


def recovery() -> list[tuple[str, list[list[str]], int]]:
    """What to try, gentlest first, on a local node: start a node that is not
    running; start the application of one that is up with it stopped; restart
    the application of one that is up but refuses clients (a vhost that would
    not stop, maintenance mode); last, stop the node and start it again."""
    start_node = ["rabbitmq-server", "-detached"]
    steps = []
    if not run_quietly(["rabbitmqctl", "-q", "ping"], 30):
        steps.append(("starting it", [start_node], 90))
    steps += [
        (
            "asking its node to start the application",
            [["rabbitmqctl", "start_app"]],
            15,
        ),
        (
            "restarting its application",
            [["rabbitmqctl", "stop_app"], ["rabbitmqctl", "start_app"]],
            60,
        ),
        ("restarting its node", [["rabbitmqctl", "shutdown"], start_node], 120),
    ]
    return steps


def run_quietly(command: list[str], seconds: int) -> bool:
    try:
        done = subprocess.run(command, capture_output=True, timeout=seconds)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0


def log_tail(lines: int = 20) -> str:
    logs = sorted(
        Path("/var/log/rabbitmq").glob("*.log"), key=lambda p: p.stat().st_mtime
    )
    if not logs:
        return ""
    try:
        text = logs[-1].read_text(errors="replace").splitlines()[-lines:]
    except OSError:
        return ""
    return "The end of " + str(logs[-1]) + ":\n" + "\n".join(text)


def ensure_management(uri: str) -> None:
    parts = urlsplit(uri)
    user, password = parts.username or "guest", parts.password or "guest"
    url = f"http://{parts.hostname}:15672/api/overview"
    if management_answers(url, user, password):
        return
    if not shutil.which("rabbitmq-plugins"):
        fail(
            "The tests need RabbitMQ's management plugin:\n"
            "rabbitmq-plugins enable rabbitmq_management"
        )
    print("Enabling RabbitMQ's management plugin ...")
    subprocess.run(["rabbitmq-plugins", "enable", "rabbitmq_management"], check=False)
    if not wait_for(lambda: management_answers(url, user, password), 60):
        fail("RabbitMQ's management API did not answer on port 15672.")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--management", action="store_true")
    args = parser.parse_args()
    uri = os.environ.get("AMQP_URI", DEFAULT_URI)
    ensure_amqp(uri)
    if args.management:
        ensure_management(uri)


if __name__ == "__main__":
    main()
