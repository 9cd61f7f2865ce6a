"""`python -m bench`: run the workloads, each against its floor, and write
var/bench/*.json (then `python -m bench.report` writes docs/benchmarks.md)."""

import argparse
import json
import logging
import re
import shutil
import time
import traceback
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from functools import partial

from bench import databases, machine, wrk
from bench.compare import Profile, ProfileFor
from bench.joins import run_joins
from bench.memory import report_memory, take_rest
from bench.pipeline import run_pipeline
from bench.processes import MemoryWatch
from bench.profiling import recording
from bench.results import RESULTS, Results
from bench.search import run_search
from bench.settings import FULL, QUICK, Settings
from bench.stacks import SERVICES, Floor, Platform

logger = logging.getLogger("bench")

WORKLOADS = ("join", "search", "pipeline", "memory")
TITLES = {
    "join": "Join through the gateway",
    "search": "Directory search (through the gateway, and in-process)",
    "pipeline": "Event pipeline, outbox to listing",
    "memory": "Resident memory per process",
}
PROCESSES = ["gateway", *SERVICES]


def names_from(choices: tuple[str, ...]) -> Callable[[str], list[str]]:
    """An argparse type: a comma-separated list of some of `choices`."""

    def parse(text: str) -> list[str]:
        names = [name.strip() for name in text.split(",") if name.strip()]
        unknown = [name for name in names if name not in choices]
        if unknown or not names:
            raise argparse.ArgumentTypeError(
                f"unknown: {', '.join(unknown) or 'nothing'} "
                f"(choose from {', '.join(choices)})"
            )
        return names

    return parse


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small and short")
    parser.add_argument(
        "--only",
        type=names_from(WORKLOADS),
        default=list(WORKLOADS),
        help=f"some of {','.join(WORKLOADS)}",
    )
    parser.add_argument(
        "--backends",
        type=names_from(databases.BACKENDS),
        default=list(databases.BACKENDS),
        help=f"some of {','.join(databases.BACKENDS)}",
    )
    parser.add_argument("--seconds", type=float, help="length of a measured run")
    parser.add_argument("--runs", type=int, help="measured runs per case")
    parser.add_argument("--listings", help="directory sizes, e.g. 10000,100000")
    parser.add_argument("--events", type=int, help="events per pipeline run")
    parser.add_argument(
        "--profile",
        default="",
        help="processes to sample with py-spy in one extra run per case, "
        "e.g. gateway,membership (var/bench/profiles/)",
    )
    return parser.parse_args()


def chosen_settings(args: argparse.Namespace) -> Settings:
    settings = QUICK if args.quick else FULL
    changes = {
        "seconds": args.seconds,
        "runs": args.runs,
        "events": args.events,
        "listings": args.listings and tuple(int(n) for n in args.listings.split(",")),
    }
    return replace(settings, **{k: v for k, v in changes.items() if v})


def guarded(results: Results, what: str, action: Callable[[], None]) -> None:
    """Run one workload; a failure is written down and the run goes on."""
    try:
        action()
    except Exception as error:
        logger.error("bench.failed workload=%s\n%s", what, traceback.format_exc())
        results.note(f"{what} failed: {type(error).__name__}: {error}")


class Run:
    def __init__(
        self, settings: Settings, only: set[str], backends: list[str], profile: list
    ):
        self.settings, self.only, self.backends = settings, only, backends
        self.profile = profile
        self.folder = RESULTS / "work"
        self.results = {name: Results(name, TITLES[name]) for name in only}
        self.memory = MemoryWatch().start()

    def go(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)
        with Floor(self.folder / "floor").start() as floor:
            self.memory.watch("bench_floor", lambda: floor.processes.get("floor"))
            self.memory.watch("bench_echo", lambda: floor.processes.get("echo"))
            take_rest(self.memory, ["bench_floor", "bench_echo"])
            for backend in self.backends:
                self.on(backend, floor)
        if "memory" in self.only:
            report_memory(self.results["memory"], self.memory, PROCESSES)
        self.memory.close()

    def on(self, backend: str, floor: Floor) -> None:
        label = databases.LABELS[backend]
        logger.info("bench.platform.starting backend=%s", backend)
        with Platform(self.folder / backend, backend).start() as platform:
            for name in PROCESSES:
                self.memory.watch(name, partial(platform.processes.get, name))
            time.sleep(2)
            take_rest(self.memory, PROCESSES)
            self.workloads(platform, floor, label)

    def workloads(self, platform: Platform, floor: Floor, label: str) -> None:
        settings, memory = self.settings, self.memory
        profile = self.profiler(platform)
        steps = {
            "join": lambda r: run_joins(
                r, platform, floor, settings, memory, label, profile
            ),
            "search": lambda r: run_search(
                r, platform, floor, settings, memory, label, profile
            ),
            "pipeline": lambda r: self.pipeline(r, platform, label, profile),
        }
        for name, step in steps.items():
            if name in self.only:
                logger.info("bench.workload name=%s backend=%s", name, label)
                results = self.results[name]
                guarded(results, f"{TITLES[name]} on {label}", partial(step, results))

    def profiler(self, platform: Platform) -> ProfileFor | None:
        if not self.profile:
            return None

        def for_case(case: str) -> Profile:
            chosen = {name: platform.processes[name] for name in self.profile}
            folder = RESULTS / "profiles" / re.sub(r"[^a-z0-9]+", "-", case.lower())
            return partial(recording, chosen, folder=folder)

        return for_case

    def pipeline(
        self, results: Results, platform: Platform, label: str, profile
    ) -> None:
        self.memory.phase = "load"
        try:
            run_pipeline(results, platform, self.settings, label, profile)
        finally:
            self.memory.phase = None

    def write(self, began: float, load_before: str) -> None:
        for results in self.results.values():
            results.settings = self.settings.as_dict()
            results.write()
        facts = {
            "finished_at": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "minutes": round((time.monotonic() - began) / 60, 1),
            "load_before": load_before,
            "load_after": machine.load_average(),
            "machine": machine.describe(),
            "settings": self.settings.as_dict(),
        }
        (RESULTS / "run.json").write_text(json.dumps(facts, indent=2))


def backends_to_use(asked: list[str]) -> list[str]:
    if "postgresql" in asked and not databases.postgres_answers():
        logger.warning("bench.skipped backend=postgresql reason=does_not_answer")
        return [b for b in asked if b != "postgresql"]
    return asked


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    args = arguments()
    try:
        wrk.wrk_path()
    except wrk.WrkFailed as error:
        raise SystemExit(str(error)) from error
    settings = chosen_settings(args)
    only = set(args.only)
    backends = backends_to_use(args.backends)
    began, load_before = time.monotonic(), machine.load_average()
    for stale in [*RESULTS.glob("*.json"), *RESULTS.glob("*.txt")]:
        stale.unlink()
    profile = [name for name in args.profile.split(",") if name]
    run = Run(settings, only, backends, profile)
    run.go()
    run.write(began, load_before)
    logger.info("bench.done minutes=%.1f", (time.monotonic() - began) / 60)


if __name__ == "__main__":
    main()
