"""Driving wrk, the load generator, in its own process, and reading the one
line our Lua hooks print when it is done (bench/lua/report.lua)."""

import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).parents[1]
LUA = ROOT / "bench" / "lua"
MARK = "BENCH-RESULT "
INSTALL_HINT = (
    "The benchmarks need wrk, the HTTP load generator.\n"
    "On Debian or Ubuntu: sudo apt-get install wrk"
)


@dataclass(frozen=True)
class Load:
    """How hard to push: connections, wrk threads, seconds, and a timeout after
    which wrk counts a request as failed."""

    connections: int
    seconds: float
    threads: int = 2
    timeout: float = 10.0

    def arguments(self) -> list[str]:
        return [
            f"--threads={min(self.threads, self.connections)}",
            f"--connections={self.connections}",
            f"--duration={max(1, round(self.seconds))}s",
            f"--timeout={max(1, round(self.timeout))}s",
        ]


@dataclass(frozen=True)
class Outcome:
    requests: int
    seconds: float
    ok: int
    bad: int
    last_bad_status: int
    socket_errors: int
    timeouts: int
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    mean_ms: float

    @property
    def per_second(self) -> float:
        """Answered well per second: failures do not count as throughput."""
        return self.ok / self.seconds if self.seconds else 0.0


class WrkFailed(RuntimeError):
    pass


def parse(output: str) -> Outcome:
    """The figures from wrk's output; WrkFailed if our line is not there."""
    for line in reversed(output.splitlines()):
        if line.startswith(MARK):
            return Outcome(**json.loads(line[len(MARK) :]))
    raise WrkFailed(f"wrk printed no result line:\n{output[-2000:]}")


def command(url: str, load: Load, script: str, *script_args: str) -> list[str]:
    return [
        wrk_path(),
        *load.arguments(),
        f"--script={LUA / script}",
        url,
        "--",
        *script_args,
    ]


def run(url: str, load: Load, script: str, *script_args: str) -> Outcome:
    """Run wrk once against `url` with one of bench/lua's scripts."""
    finished = subprocess.run(
        command(url, load, script, *script_args),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=load.seconds + load.timeout + 30,
    )
    if finished.returncode != 0:
        raise WrkFailed(f"wrk exited {finished.returncode}: {finished.stderr}")
    return parse(finished.stdout)


def wrk_path() -> str:
    found = shutil.which("wrk")
    if not found:
        raise WrkFailed(INSTALL_HINT)
    return found


def version() -> str:
    finished = subprocess.run([wrk_path(), "-v"], capture_output=True, text=True)
    first = (finished.stdout or finished.stderr).splitlines()[:1]
    return first[0].split(" Copyright")[0].strip() if first else "unknown"
