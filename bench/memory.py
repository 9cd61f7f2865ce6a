"""Workload 5: resident memory of each process, after start-up with nothing to
do and at its largest under the other workloads' load; against the floor's
bare nameko processes (the echoing service for the services, the bare `@http`
endpoint for the gateway)."""

from bench.processes import MemoryWatch
from bench.results import Results, Row

TARGET = {"at_most": 150.0}
PHASES = {"rest": "at rest", "load": "under load"}


def take_rest(memory: MemoryWatch, labels: list[str]) -> None:
    """Note what `labels` hold now, started and with nothing to do."""
    memory.phase = "rest"
    memory.sample(labels)
    memory.phase = None


def report_memory(results: Results, memory: MemoryWatch, services: list[str]) -> None:
    for phase, words in PHASES.items():
        for name in services:
            floor_label = "bench_floor" if name == "gateway" else "bench_echo"
            value = memory.peaks.get((name, phase))
            floor = memory.peaks.get((floor_label, phase))
            results.add(
                Row(
                    f"{name}, {words}",
                    "resident memory",
                    None if value is None else round(value, 1),
                    "MiB",
                    None if floor is None else round(floor, 1),
                    TARGET,
                )
            )
