"""Workload 1: joining through the gateway, `POST /api/v1/members`, every
request with an address nobody has used, at each concurrency; against the
floor's `POST /floor` with the same body, the same wrk settings."""

from pathlib import Path

from bench.compare import Medians, ProfileFor, Target, compare
from bench.forms import join_body
from bench.people import People
from bench.processes import MemoryWatch
from bench.results import Results, Row
from bench.settings import Settings
from bench.stacks import Floor, Platform

REQUESTS_TARGET = {"ratio_at_least": 0.5}


def run_joins(
    results: Results,
    platform: Platform,
    floor: Floor,
    settings: Settings,
    memory: MemoryWatch,
    label: str,
    profile: ProfileFor | None = None,
) -> None:
    body = _body_file(platform.folder, settings.seed)
    ours = Target(f"{platform.url}/api/v1/members", "post.lua", (str(body), "{run}"))
    theirs = Target(f"{floor.url}/floor", "post.lua", (str(body), "{run}"))
    for connections in settings.join_concurrency:
        case = f"{connections} at a time, {label}"
        platform_figures, floor_figures = compare(
            ours, theirs, connections, settings, memory, profile and profile(case)
        )
        results.add(*rows(case, platform_figures, floor_figures))
        _note_trouble(results, case, platform_figures, floor_figures)
        platform.require_alive()


def rows(case: str, ours: Medians, floor: Medians) -> list[Row]:
    return [
        Row(case, "requests/s", round(ours.per_second, 1), "req/s",
            round(floor.per_second, 1), REQUESTS_TARGET),
        Row(case, "p50", round(ours.p50_ms, 1), "ms", round(floor.p50_ms, 1)),
        Row(case, "p99", round(ours.p99_ms, 1), "ms", round(floor.p99_ms, 1)),
    ]  # fmt: skip


def _note_trouble(results: Results, case: str, ours: Medians, floor: Medians) -> None:
    for who, figures in (("platform", ours), ("floor", floor)):
        trouble = figures.trouble()
        if trouble:
            results.note(f"Join, {case}, {who}: {trouble}.")


def _body_file(folder: Path, seed: int) -> Path:
    path = folder / "join-body.json"
    path.write_text(join_body(People(seed).person()), encoding="utf-8")
    return path
