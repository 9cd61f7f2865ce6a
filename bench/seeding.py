"""Bringing the directory up to a number of listings before search is measured.

The directory's own seeded generator of Welsh listings (`fill` in
scripts/bench_directory.py, which `make bench-directory` uses too) writes them
straight into the directory's database; the directory process is then
restarted, so that what it keeps in memory about listings is built from them.
Where that generator is missing, listings come the long way: joins and
confirmations written into membership's outbox, published by its relay and
applied by the running directory, which is slow but uses nothing private."""

import importlib
import logging
import time

from sqlalchemy.orm import sessionmaker

from bench.flow import ListingCounter, produce
from bench.people import People
from bench.processes import wait_until
from bench.stacks import Platform
from infra.db import make_engine

logger = logging.getLogger(__name__)

GENERATOR = "scripts.bench_directory"
"""Its `fill(session_factory, count, seed)` adds `count` listings to a migrated
directory database; its `tidy(engine)`, if there, updates the statistics."""
EVENTS_PER_SECOND_GUESS = 100


def generator():
    try:
        module = importlib.import_module(GENERATOR)
    except ImportError:
        return None
    return module if hasattr(module, "fill") else None


def seed_listings(platform: Platform, total: int, seed: int) -> str:
    """Bring the directory to `total` listings; says which way it took."""
    url = platform.database_urls["directory"]
    counter = ListingCounter(url)
    try:
        missing = total - counter.count()
        if missing <= 0:
            return "already there"
        module = generator()
        if module is not None:
            _with_generator(platform, module, url, missing, seed + total)
            return "the directory's generator"
        _through_events(platform, counter, missing, seed + total)
        return "events through membership's outbox"
    finally:
        counter.close()


def _with_generator(platform: Platform, module, url: str, count: int, seed: int):
    engine = make_engine(url)
    try:
        module.fill(sessionmaker(engine, expire_on_commit=False), count, seed)
        if hasattr(module, "tidy"):
            module.tidy(engine)
    finally:
        engine.dispose()
    platform.restart("directory")


def _through_events(platform: Platform, counter: ListingCounter, count: int, seed):
    target = counter.baseline + count
    began = time.monotonic()
    produce(platform.database_urls["membership"], People(seed), count, rate=0)
    wait_until(
        lambda: platform.require_alive() or counter.count() >= target,
        60 + 2 * count / EVENTS_PER_SECOND_GUESS,
        f"{count} listings appearing in the directory",
    )
    logger.info(
        "seeding.done listings=%s seconds=%.0f", count, time.monotonic() - began
    )
