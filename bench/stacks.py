"""The two things a run measures, side by side: the platform (every process of
deploy/Procfile, on databases and a vhost of its own) and the floor (a bare
nameko HTTP endpoint and an echoing service, bench/floor.py, on a vhost of its
own). Both are separate processes on the same broker."""

import json
import secrets
import socket
import urllib.error
import urllib.request
from contextlib import ExitStack
from pathlib import Path

from bench import broker, databases
from bench.processes import Process, wait_until

ROOT = Path(__file__).parents[1]
SERVICES = ("membership", "stories", "directory", "notifications")
START_TIMEOUT = 120


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def procfile() -> dict[str, str]:
    lines = (ROOT / "deploy" / "Procfile").read_text().splitlines()
    return dict(line.split(": ", 1) for line in lines if line.strip())


def answers(url: str, method: str = "GET", body: bytes | None = None) -> bool:
    request = urllib.request.Request(url, method=method, data=body)
    request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status < 300
    except (urllib.error.URLError, OSError):
        return False


class Stack:
    """Processes started together and stopped together, with what they need."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.folder.mkdir(parents=True, exist_ok=True)
        self.resources = ExitStack()
        self.processes: dict[str, Process] = {}
        self.environment: dict[str, str] = {}

    def start_process(self, name: str, command: str, **extra: str) -> Process:
        process = Process(name, command, {**self.environment, **extra}, self.folder)
        self.processes[name] = process
        return process

    def require_alive(self) -> None:
        for process in self.processes.values():
            if not process.alive():
                raise RuntimeError(f"{process.name} stopped:\n{process.log_tail()}")

    def __enter__(self):
        return self

    def __exit__(self, *exc_info) -> None:
        for process in self.processes.values():
            process.stop()
        self.resources.close()


class Platform(Stack):
    def __init__(self, folder: Path, backend: str):
        super().__init__(folder)
        self.backend = backend
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"

    def start(self) -> "Platform":
        amqp_uri = self.resources.enter_context(
            broker.vhost(f"platform_{self.backend}")
        )
        self.amqp_uri = amqp_uri
        self.environment.update(
            AMQP_URI=amqp_uri,
            GATEWAY_ADDRESS=f"127.0.0.1:{self.port}",
            PUBLIC_URL=self.url,
            RATE_LIMITS="off",
            SECRET_KEY=secrets.token_urlsafe(32),
            MAIL_DIR=str(self.folder / "mail"),
            # Rows the pipeline workload writes straight into membership's
            # outbox wake no worker, so the relay would look only once a second;
            # a join through the API wakes it as its worker ends.
            OUTBOX_POLL_SECONDS="0.1",
        )
        self.database_urls = {}
        for service in SERVICES:
            url = self.resources.enter_context(
                databases.database(self.backend, self.folder, service)
            )
            self.database_urls[service] = url
            self.environment[f"{service.upper()}_DATABASE_URL"] = url
        for name, command in procfile().items():
            self.start_process(name, command)
        self.wait_until_healthy()
        return self

    def restart(self, name: str) -> None:
        """Stop one process and start it again as before; wait until healthy."""
        self.processes.pop(name).stop()
        self.start_process(name, procfile()[name])
        self.wait_until_healthy()

    def wait_until_healthy(self) -> None:
        def healthy() -> bool:
            self.require_alive()
            return answers(f"{self.url}/api/v1/health")

        wait_until(healthy, START_TIMEOUT, "the platform answering /api/v1/health")


class Floor(Stack):
    """The framework's floor: `bench_floor` (nameko `@http`, one RPC per
    request) and `bench_echo` (answers with what it was sent)."""

    def __init__(self, folder: Path):
        super().__init__(folder)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"

    def start(self) -> "Floor":
        self.amqp_uri = self.resources.enter_context(broker.vhost("floor"))
        self.environment.update(
            AMQP_URI=self.amqp_uri, FLOOR_ADDRESS=f"127.0.0.1:{self.port}"
        )
        config = "--config bench/floor.yml"
        self.start_process(
            "echo",
            f"nameko run {config} bench.floor:EchoService",
            FLOOR_MAX_WORKERS="10",
        )
        self.start_process(
            "floor",
            f"nameko run {config} bench.floor:FloorGateway",
            FLOOR_MAX_WORKERS="50",
        )
        body = json.dumps({"ping": True}).encode()

        def ready() -> bool:
            self.require_alive()
            return answers(f"{self.url}/floor", "POST", body)

        wait_until(ready, START_TIMEOUT, "the floor answering")
        return self
