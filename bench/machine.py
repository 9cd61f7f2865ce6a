"""What the figures were measured on: the machine, how busy it was, and the
version of everything that takes part."""

import os
import platform
import sqlite3
import subprocess
from importlib import metadata
from pathlib import Path

from bench import broker, databases, wrk

ROOT = Path(__file__).parents[1]
PACKAGES = (
    "nameko",
    "eventlet",
    "kombu",
    "amqp",
    "werkzeug",
    "marshmallow",
    "SQLAlchemy",
    "psycopg2-binary",
)


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def memory_gib() -> float:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            return int(line.split()[1]) / 1024 / 1024
    return 0.0


def load_average() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def commit() -> str:
    def git(*args: str) -> str:
        return subprocess.run(
            ["git", *args], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()

    head = git("rev-parse", "--short", "HEAD") or "unknown"
    return f"{head} (with local changes)" if git("status", "--porcelain") else head


def _safely(read) -> str:
    try:
        return read()
    except Exception as error:
        return f"unknown ({type(error).__name__})"


def describe() -> dict[str, str]:
    facts = {
        "CPU": f"{cpu_model()}, {os.cpu_count()} cores",
        "memory": f"{memory_gib():.1f} GiB",
        "system": f"{platform.system()} {platform.release()}",
        "Python": platform.python_version(),
        "RabbitMQ": _safely(lambda: broker.Management().version()),
        "PostgreSQL": _safely(databases.postgres_version),
        "SQLite": sqlite3.sqlite_version,
        "wrk": _safely(wrk.version),
        "commit": commit(),
    }
    for package in PACKAGES:
        facts[package] = _safely(lambda p=package: metadata.version(p))
    return facts
