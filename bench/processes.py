"""Processes a stack is made of, each started as `make run` starts it, each with
its own log, and how much memory each holds."""

import os
import shlex
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).parents[1]


def resident_mb(pid: int) -> float | None:
    """The resident set of a process, in MiB (None once it has gone)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return None


class Process:
    def __init__(self, name: str, command: str, environment: dict, folder: Path):
        self.name = name
        self.log_path = folder / f"{name}.log"
        bin_folder = str(Path(sys.executable).parent)
        env = {**os.environ, **environment, "PYTHONPATH": str(ROOT)}
        env["PATH"] = f"{bin_folder}{os.pathsep}{os.environ.get('PATH', '')}"
        with self.log_path.open("ab") as log:
            self.popen = subprocess.Popen(
                shlex.split(command), cwd=ROOT, env=env, stdout=log, stderr=log
            )

    @property
    def pid(self) -> int:
        return self.popen.pid

    def alive(self) -> bool:
        return self.popen.poll() is None

    def stop(self) -> None:
        if self.alive():
            self.popen.send_signal(signal.SIGTERM)
        try:
            self.popen.wait(30)
        except subprocess.TimeoutExpired:
            self.popen.kill()
            self.popen.wait()

    def log_tail(self, characters: int = 3000) -> str:
        return self.log_path.read_text(errors="replace")[-characters:]


def wait_until(probe: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if probe():
            return
        time.sleep(0.25)
    raise RuntimeError(f"{what} did not happen within {timeout:.0f} s")


class MemoryWatch:
    """Samples the resident memory of processes in the background and keeps the
    largest figure of each, per phase (`rest`, `load`)."""

    def __init__(self, interval: float = 0.5):
        self.interval = interval
        self.processes: dict[str, Callable[[], Process | None]] = {}
        self.peaks: dict[tuple[str, str], float] = {}
        self.phase: str | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def watch(self, label: str, process: Callable[[], Process | None]) -> None:
        """Sample, under `label`, whichever process `process()` gives at the
        time (a restarted process is followed)."""
        self.processes[label] = process

    def start(self) -> "MemoryWatch":
        self._thread.start()
        return self

    def close(self) -> None:
        self._stop.set()
        self._thread.join(5)

    def sample(self, labels: list[str] | None = None) -> None:
        if self.phase is None:
            return
        for label, current in list(self.processes.items()):
            process = current()
            if process is None or (labels is not None and label not in labels):
                continue
            figure = resident_mb(process.pid)
            if figure is not None:
                key = (label, self.phase)
                self.peaks[key] = max(self.peaks.get(key, 0.0), figure)

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.sample()
