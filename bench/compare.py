"""One HTTP case measured against the floor: a warm-up of each, then the
measured runs taken in turn (floor, platform, floor, platform ...) so that a
machine that gets busier or quieter moves both alike; medians of the runs."""

import uuid
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass

from bench import wrk
from bench.processes import MemoryWatch
from bench.settings import Settings
from bench.stats import median

Profile = Callable[[float], AbstractContextManager]
"""Given the seconds of a run, a context that profiles while its body runs."""
ProfileFor = Callable[[str], Profile]
"""Given the name of a case, its `Profile`."""


@dataclass(frozen=True)
class Target:
    """Where to send load, with which Lua script and its arguments; `{run}` in
    an argument becomes a word no other run uses (for fresh e-mail addresses)."""

    url: str
    script: str
    arguments: tuple[str, ...] = ()

    def run(self, load: wrk.Load) -> wrk.Outcome:
        word = uuid.uuid4().hex[:10]
        arguments = [a.replace("{run}", word) for a in self.arguments]
        return wrk.run(self.url, load, self.script, *arguments)


@dataclass
class Medians:
    per_second: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    requests: int
    bad: int
    last_bad_status: int
    socket_errors: int

    @classmethod
    def of(cls, outcomes: list[wrk.Outcome]) -> "Medians":
        return cls(
            per_second=median([o.per_second for o in outcomes]),
            p50_ms=median([o.p50_ms for o in outcomes]),
            p95_ms=median([o.p95_ms for o in outcomes]),
            p99_ms=median([o.p99_ms for o in outcomes]),
            requests=sum(o.requests for o in outcomes),
            bad=sum(o.bad for o in outcomes),
            last_bad_status=max((o.last_bad_status for o in outcomes), default=0),
            socket_errors=sum(o.socket_errors for o in outcomes),
        )

    def trouble(self) -> str | None:
        """What went wrong, in words, when something did."""
        if not self.bad and not self.socket_errors:
            return None
        return (
            f"{self.bad} of {self.requests} answered badly (last status "
            f"{self.last_bad_status}), {self.socket_errors} socket errors or timeouts"
        )


def compare(
    platform: Target,
    floor: Target,
    connections: int,
    settings: Settings,
    memory: MemoryWatch | None = None,
    profile: Profile | None = None,
) -> tuple[Medians, Medians]:
    """Medians of the platform's runs and of the floor's; with `profile`, one
    more platform run, not counted, while the profilers sample."""
    warmup = wrk.Load(connections, settings.warmup)
    measured = wrk.Load(connections, settings.seconds)
    if memory:
        memory.phase = "load"
    floor.run(warmup)
    platform.run(warmup)
    ours: list[wrk.Outcome] = []
    theirs: list[wrk.Outcome] = []
    for _ in range(settings.runs):
        theirs.append(floor.run(measured))
        ours.append(platform.run(measured))
    if profile:
        with profile(settings.seconds):
            platform.run(measured)
    if memory:
        memory.phase = None
    return Medians.of(ours), Medians.of(theirs)
