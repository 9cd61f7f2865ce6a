"""Bringing the directory up to a number of listings before search is measured.

The directory's own seeded generator of Welsh listings, when the repository has
it (`GENERATOR` below), writes them straight into the directory's database.
Until then, and whenever it is missing, listings come the long way: joins and
confirmations written into membership's outbox, published by its relay and
applied by the running directory, which is slow but uses nothing private."""

import importlib
import logging
import time

from bench.flow import ListingCounter, produce
from bench.people import People
from bench.processes import wait_until
from bench.stacks import Platform

logger = logging.getLogger(__name__)

GENERATOR = ("scripts.bench_directory", "seed_listings")
"""Module and function: `seed_listings(database_url, count, seed)` adds `count`
listings to a migrated directory database."""
EVENTS_PER_SECOND_GUESS = 100


def generator():
    module_name, function = GENERATOR
    try:
        module = importlib.import_module(module_name)
    except ImportError:
        return None
    return getattr(module, function, None)


def seed_listings(platform: Platform, total: int, seed: int) -> str:
    """Bring the directory to `total` listings; says which way it took."""
    url = platform.database_urls["directory"]
    counter = ListingCounter(url)
    try:
        missing = total - counter.count()
        if missing <= 0:
            return "already there"
        fill = generator()
        if fill is not None:
            fill(url, missing, seed + total)
            return "the directory's generator"
        _through_events(platform, counter, missing, seed + total)
        return "events through membership's outbox"
    finally:
        counter.close()


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
