"""The whole platform as separate processes, started with the Procfile's own
commands, each on databases, a vhost and a mailbox of this test run."""

import os
import shlex
import signal
import subprocess
import sys
import time
from pathlib import Path

import requests

ROOT = Path(__file__).parents[2]
PROCFILE = ROOT / "deploy" / "Procfile"


def procfile() -> dict[str, str]:
    lines = PROCFILE.read_text().splitlines()
    return dict(line.split(": ", 1) for line in lines if line.strip())


class Stack:
    def __init__(self, folder: Path, environment: dict[str, str], port: int):
        self.folder = folder
        self.environment = {**os.environ, **environment}
        bin_folder = str(Path(sys.executable).parent)
        self.environment["PATH"] = f"{bin_folder}{os.pathsep}{os.environ['PATH']}"
        self.environment["PYTHONPATH"] = str(ROOT)
        self.environment["GATEWAY_ADDRESS"] = f"127.0.0.1:{port}"
        self.url = f"http://127.0.0.1:{port}"
        self.processes: dict[str, subprocess.Popen] = {}

    def start(self, *names: str) -> "Stack":
        for name, command in procfile().items():
            if not names or name in names:
                self._start(name, command)
        return self

    def start_copies(self, name: str, count: int) -> list[str]:
        """Start `count` copies of one Procfile process, logging to <name>.<n>.log."""
        copies = [f"{name}.{n}" for n in range(1, count + 1)]
        for copy in copies:
            self._start(copy, procfile()[name])
        return copies

    def log(self, name: str) -> str:
        return (self.folder / f"{name}.log").read_text(errors="replace")

    def _start(self, name: str, command: str) -> None:
        log = (self.folder / f"{name}.log").open("ab")
        self.processes[name] = subprocess.Popen(
            shlex.split(command), cwd=ROOT, env=self.environment, stdout=log, stderr=log
        )

    def wait_until_healthy(self, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if requests.get(f"{self.url}/api/v1/health", timeout=5).ok:
                    return
            except requests.ConnectionError:
                pass
            time.sleep(0.5)
        raise RuntimeError(f"the platform did not become healthy:\n{self.logs()}")

    def stop(self, *names: str, sig: int = signal.SIGTERM) -> None:
        # Signal them all first, so their graceful shutdowns overlap.
        stopping = {
            name: process
            for name, process in self.processes.items()
            if not names or name in names
        }
        for process in stopping.values():
            if process.poll() is None:
                process.send_signal(sig)
        for name, process in stopping.items():
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            # A test's fault (stopping one process while the fixture's
            # teardown stops them all) may have taken it off already.
            self.processes.pop(name, None)

    def logs(self) -> str:
        return "\n".join(
            f"--- {path.name}\n{path.read_text(errors='replace')[-3000:]}"
            for path in sorted(self.folder.glob("*.log"))
        )
