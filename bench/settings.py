"""How big and how long: the full run `make bench` makes, and a quick one that
checks the harness end to end in a few minutes (`BENCH_ARGS=--quick`)."""

from dataclasses import asdict, dataclass, replace


@dataclass(frozen=True)
class Settings:
    seconds: float = 4.0
    """Length of one measured wrk run."""
    warmup: float = 2.0
    """Length of the unmeasured run before the measured ones, per case."""
    runs: int = 3
    """Measured runs per case; the median is quoted."""
    join_concurrency: tuple[int, ...] = (1, 16, 64)
    search_concurrency: int = 16
    in_process_searches: int = 300
    """Searches timed once each by the directory's own code, at the largest size."""
    listings: tuple[int, ...] = (10_000, 100_000)
    events: int = 20_000
    """Most events (half MemberJoined, half MemberVerified) in a pipeline run."""
    event_seconds: float = 10.0
    """Longest a pipeline run writes events for (the queue then drains)."""
    event_rate: int = 1_000
    """Target events per second; the paced run offers it when the pipeline
    sustained it flat out, and half what it sustained when not."""
    seed: int = 2026

    def as_dict(self) -> dict:
        return asdict(self)


FULL = Settings()
QUICK = replace(
    FULL,
    seconds=2.0,
    warmup=1.0,
    runs=1,
    join_concurrency=(1, 16),
    listings=(300, 1_000),
    in_process_searches=100,
    events=2_000,
    event_seconds=4.0,
)
