"""Workload 2: directory search through the gateway,
`GET /api/v1/directory/listings?q=...`, with the words people look for (places
in Welsh and English, names, kinds of group), at each size of directory;
against the floor's `GET /floor?q=...` with the same queries."""

import json
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

from bench.compare import Medians, ProfileFor, Target, compare
from bench.processes import MemoryWatch
from bench.results import Results, Row
from bench.seeding import generator, seed_listings
from bench.settings import Settings
from bench.stacks import Floor, Platform

QUERIES = (
    "Caerdydd",
    "Cardiff",
    "Abertawe",
    "Gwynedd",
    "Wrecsam",
    "Ceredigion",
    "Rhondda",
    "Ynys Môn",
    "Jones",
    "Siân",
    "Rhys",
    "Gwenllïan",
    "Llŷr",
    "Owain Williams",
    "Banc Bwyd",
    "Cymdeithas",
    "Grŵp Garddio",
    "Youth Forum",
    "Dafydd Caerdydd",
    "menter",
)
REQUESTS_TARGET = {"ratio_at_least": 0.7}
P95_TARGET = {"at_most": 50.0}


def paths_file(folder: Path, prefix: str) -> Path:
    path = folder / f"search-paths{prefix.replace('/', '-')}.txt"
    lines = [f"{prefix}?{urlencode({'q': q})}" for q in QUERIES]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def check_answers(platform: Platform) -> list[int]:
    """Each query answers 200 before load is sent; the totals found."""
    totals = []
    for q in QUERIES:
        url = f"{platform.url}/api/v1/directory/listings?{urlencode({'q': q})}"
        with urllib.request.urlopen(url, timeout=30) as response:
            totals.append(json.loads(response.read())["total"])
    return totals


def run_search(
    results: Results,
    platform: Platform,
    floor: Floor,
    settings: Settings,
    memory: MemoryWatch,
    label: str,
    profile: ProfileFor | None = None,
) -> None:
    ours = Target(
        platform.url,
        "get.lua",
        (str(paths_file(platform.folder, "/api/v1/directory/listings")),),
    )
    theirs = Target(floor.url, "get.lua", (str(paths_file(platform.folder, "/floor")),))
    for size in settings.listings:
        how = seed_listings(platform, size, settings.seed)
        totals = check_answers(platform)
        case = f"{size:,} listings, {label}"
        platform_figures, floor_figures = compare(
            ours,
            theirs,
            settings.search_concurrency,
            settings,
            memory,
            profile and profile(f"search {case}"),
        )
        results.add(*rows(case, platform_figures, floor_figures))
        if size == max(settings.listings):
            results.add(*in_process_rows(platform, case, settings))
        results.note(
            f"Search, {case}: seeded by {how}; the queries found between "
            f"{min(totals):,} and {max(totals):,} listings each "
            f"({settings.search_concurrency} at a time)."
        )
        for who, figures in (("platform", platform_figures), ("floor", floor_figures)):
            if figures.trouble():
                results.note(f"Search, {case}, {who}: {figures.trouble()}.")
        platform.require_alive()


def in_process_rows(platform: Platform, case: str, settings: Settings) -> list[Row]:
    """The same directory database searched by the directory's own code in this
    process (no broker, no gateway, no other request waiting): what one search
    costs, which `make bench-directory` measures on a database it fills itself."""
    module = generator()
    if module is None:
        return []
    p50, p95, cpu = module.in_process(
        platform.database_urls["directory"],
        settings.in_process_searches,
        seed=settings.seed,
    )
    alone = f"{case}, one search at a time in-process"
    return [
        Row(alone, "p50", round(p50, 1), "ms"),
        Row(alone, "p95", round(p95, 1), "ms"),
        Row(alone, "CPU p95", round(cpu, 1), "ms"),
    ]


def rows(case: str, ours: Medians, floor: Medians) -> list[Row]:
    return [
        Row(case, "requests/s", round(ours.per_second, 1), "req/s",
            round(floor.per_second, 1), REQUESTS_TARGET),
        Row(case, "p95", round(ours.p95_ms, 1), "ms", round(floor.p95_ms, 1),
            P95_TARGET),
    ]  # fmt: skip
