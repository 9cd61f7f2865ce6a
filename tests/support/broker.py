"""A RabbitMQ node of the test's own, which the test may stop and start at will
without touching the machine's broker: its own node name, ports, data and logs
under a temporary folder, its own Erlang cookie (HOME is that folder too), and
the management plugin on a port of its own.

`restart()` stops the node and starts it again on the same data folder, so
durable queues (classic and quorum) and the persistent messages in them
survive, as they would when ops restart a broker."""

import os
import shutil
import subprocess
import time
from pathlib import Path

import requests
from kombu import Connection

from tests.support.smtp import free_port

# Debian's /usr/sbin wrappers switch to the rabbitmq user; the scripts behind
# them run as whoever calls them, which a node under a temporary folder needs.
SCRIPTS = Path("/usr/lib/rabbitmq/bin")


def script(name: str) -> str:
    found = SCRIPTS / name
    if found.exists():
        return str(found)
    return shutil.which(name) or name


def available() -> bool:
    return Path(script("rabbitmq-server")).exists()


class PrivateBroker:
    def __init__(self, folder: Path):
        self.folder = folder
        self.node = f"faults-{os.getpid()}-{free_port()}@localhost"
        self.port, self.dist_port, self.management_port = (
            free_port(),
            free_port(),
            free_port(),
        )
        self.process: subprocess.Popen | None = None
        self.environment = self._environment()

    @property
    def amqp_uri(self) -> str:
        return f"amqp://guest:guest@127.0.0.1:{self.port}//"

    @property
    def management_url(self) -> str:
        return f"http://127.0.0.1:{self.management_port}"

    def _environment(self) -> dict[str, str]:
        self.folder.mkdir(parents=True, exist_ok=True)
        config = self.folder / "rabbitmq.conf"
        config.write_text(
            f"listeners.tcp.default = 127.0.0.1:{self.port}\n"
            f"management.tcp.port = {self.management_port}\n"
            "management.tcp.ip = 127.0.0.1\n"
            "loopback_users.guest = true\n"
        )
        plugins = self.folder / "enabled_plugins"
        plugins.write_text("[rabbitmq_management].\n")
        env_file = self.folder / "rabbitmq-env.conf"
        env_file.write_text("")
        return {
            **os.environ,
            "HOME": str(self.folder),
            "RABBITMQ_NODENAME": self.node,
            "RABBITMQ_NODE_IP_ADDRESS": "127.0.0.1",
            "RABBITMQ_NODE_PORT": str(self.port),
            "RABBITMQ_DIST_PORT": str(self.dist_port),
            "RABBITMQ_CONFIG_FILE": str(config),
            "RABBITMQ_CONF_ENV_FILE": str(env_file),
            "RABBITMQ_ENABLED_PLUGINS_FILE": str(plugins),
            "RABBITMQ_MNESIA_BASE": str(self.folder / "mnesia"),
            "RABBITMQ_LOG_BASE": str(self.folder / "log"),
            "RABBITMQ_PID_FILE": str(self.folder / "node.pid"),
            "RABBITMQ_ADVANCED_CONFIG_FILE": str(self.folder / "advanced.config"),
            "ERL_EPMD_ADDRESS": "127.0.0.1",
        }

    def start(self, timeout: float = 90) -> "PrivateBroker":
        log = (self.folder / "server.out").open("ab")
        self.process = subprocess.Popen(
            [script("rabbitmq-server")],
            env=self.environment,
            stdout=log,
            stderr=log,
            start_new_session=True,
        )
        self.wait_until_up(timeout)
        return self

    def ctl(self, *args: str, timeout: float = 120) -> str:
        done = subprocess.run(
            [script("rabbitmqctl"), "-n", self.node, *args],
            env=self.environment,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if done.returncode != 0:
            raise RuntimeError(f"rabbitmqctl {' '.join(args)}: {done.stderr}")
        return done.stdout

    def wait_until_up(self, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process and self.process.poll() is not None:
                raise RuntimeError(f"the broker node exited:\n{self.server_log()}")
            if self._answers():
                return
            time.sleep(0.5)
        raise RuntimeError(f"the broker node did not start:\n{self.server_log()}")

    def _answers(self) -> bool:
        try:
            with Connection(self.amqp_uri, connect_timeout=2) as connection:
                connection.ensure_connection(max_retries=1)
            overview = f"{self.management_url}/api/overview"
            return requests.get(overview, auth=("guest", "guest"), timeout=2).ok
        except (OSError, requests.RequestException):
            return False
        except Exception:  # kombu's own errors for a broker that is starting up
            return False

    def stop_app(self) -> None:
        """The node stays, its broker stops: connections drop, ports close."""
        self.ctl("stop_app")

    def start_app(self) -> None:
        self.ctl("start_app")
        self.wait_until_up()

    def restart(self) -> None:
        """Stop the whole node and start it again on the same data folder."""
        self.stop()
        self.start()

    def stop(self) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            try:
                self.ctl("stop", timeout=60)
                self.process.wait(60)
            except (RuntimeError, subprocess.TimeoutExpired):
                self._kill()
        self.process = None

    def _kill(self) -> None:
        # The node runs in its own session: end its whole process group.
        try:
            os.killpg(self.process.pid, 9)
        except ProcessLookupError:
            pass
        self.process.wait(30)

    def server_log(self) -> str:
        out = self.folder / "server.out"
        return out.read_text(errors="replace")[-4000:] if out.exists() else ""

    def queue(self, name: str, vhost: str = "/") -> dict:
        quoted = requests.utils.quote(vhost, safe="")
        response = requests.get(
            f"{self.management_url}/api/queues/{quoted}/{name}",
            auth=("guest", "guest"),
            timeout=10,
        )
        response.raise_for_status()
        return response.json()

    def queues(self, vhost: str = "/") -> list[dict]:
        quoted = requests.utils.quote(vhost, safe="")
        response = requests.get(
            f"{self.management_url}/api/queues/{quoted}",
            auth=("guest", "guest"),
            timeout=10,
        )
        response.raise_for_status()
        return response.json()
