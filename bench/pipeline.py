"""Workload 3: the event pipeline, from membership's outbox to a listing that
directory search finds. Joins and confirmations are written into the outbox
flat out (how many events a second the pipeline sustains) and then paced at
the target rate (how late the listings come); at the end every member is
counted, nothing may be parked, and search must find a sample of them by name.
Against plain kombu publishing with confirms and consuming with acks."""

import json
import math
import subprocess
import sys
import time
import urllib.request
from contextlib import nullcontext
from pathlib import Path
from urllib.parse import urlencode

from kombu import Connection

from bench import broker
from bench.compare import ProfileFor
from bench.flow import ListingCounter, Outcome, Tap, measure, produce
from bench.people import People
from bench.results import Results, Row
from bench.settings import Settings
from bench.stacks import ROOT, Platform

EVENTS_TARGET = {"at_least": 1000.0}
NOTHING_LOST = {"equals": 0.0}
SAMPLE = 10
RELAY_BATCH = 200
"""As `infra.outbox.OutboxRelay`'s default batch."""


def run_pipeline(
    results: Results,
    platform: Platform,
    settings: Settings,
    label: str,
    profile: ProfileFor | None = None,
) -> None:
    lost, sustained = 0, 0.0
    for number in range(2):
        rate = paced_rate(settings.event_rate, sustained) if number else 0.0
        mode = f"paced at {rate:,.0f}/s" if rate else "flat out"
        watching = profile and not rate and profile(f"pipeline {mode}, {label}")
        with watching(settings.event_seconds) if watching else nullcontext():
            outcome, names = _platform_once(platform, settings, rate, number)
        events = 2 * outcome.members
        floor = kombu_floor(platform.folder, events, rate, settings.event_seconds)
        batched = kombu_floor(
            platform.folder, events, rate, settings.event_seconds, RELAY_BATCH
        )
        case = f"{mode}, {label}"
        results.add(*rows(case, outcome, floor, batched, bool(rate)))
        lost += outcome.lost + _not_found(platform, names)
        sustained = sustained or outcome.per_second
        _note(results, case, outcome, floor)
    parked = parked_messages(platform.amqp_uri)
    results.add(
        Row(f"lost or parked, {label}", "events", lost + parked, "", None, NOTHING_LOST)
    )


def paced_rate(target: float, sustained: float) -> float:
    """The target rate when the pipeline sustained it flat out; otherwise half of
    what it sustained, so that the lag measured is lag, not a growing queue."""
    if sustained >= target or not sustained:
        return float(target)
    return max(10.0, round(sustained / 2, -1))


def rows(
    case: str, ours: Outcome, floor: dict, batched: dict, paced: bool
) -> list[Row]:
    """Flat out: the rate end to end against kombu confirming each message, and
    the relay's alone against kombu confirming once per batch, as the relay
    does. Paced: whether it kept up, and how late the listings came."""
    if paced:
        return [
            Row(case, "events/s", round(ours.per_second, 1), "ev/s",
                round(floor["per_second"], 1)),
            Row(case, "p99 lag", round(ours.p99_lag_ms, 1), "ms",
                round(floor["p99_lag_ms"], 1)),
        ]  # fmt: skip
    return [
        Row(case, "events/s", round(ours.per_second, 1), "ev/s",
            round(floor["per_second"], 1), EVENTS_TARGET),
        Row(f"{case}, outbox to broker only (floor confirms per {RELAY_BATCH})",
            "events/s", round(ours.relay_per_second, 1), "ev/s",
            round(batched["per_second"], 1)),
    ]  # fmt: skip


def _note(results: Results, case: str, outcome: Outcome, floor: dict) -> None:
    source = (
        "each listing's ListingPublished"
        if outcome.announced
        else "the count of the directory's listings (it announced none)"
    )
    results.note(
        f"Pipeline, {case}: {outcome.arrived:,} of {outcome.members:,} members "
        f"({2 * outcome.members:,} events) listed in {outcome.seconds:.1f} s, timed "
        f"by {source}; p50 lag {outcome.p50_lag_ms:.0f} ms; outbox to broker p99 "
        f"{outcome.relay_p99_lag_ms:.0f} ms. Floor: {floor['received']:,} of "
        f"{floor['sent']:,} messages."
    )


def _platform_once(platform: Platform, settings: Settings, rate: float, number: int):
    tap = Tap(platform.amqp_uri)
    tap.start()
    tap.ready.wait(30)
    counter = ListingCounter(platform.database_urls["directory"])
    members = settings.events // 2
    if rate:
        members = min(members, round(rate * settings.event_seconds / 2))
    try:
        produced = produce(
            platform.database_urls["membership"],
            People(settings.seed + number),
            members,
            rate,
            arrived=lambda: len(tap.listed) or counter.count() - counter.baseline,
            seconds=math.inf if rate else settings.event_seconds,
        )
        outcome = measure(tap, produced, counter)
    finally:
        tap.finished.set()
        counter.close()
    platform.require_alive()
    return outcome, list(produced.names.values())


def _not_found(platform: Platform, names: list[str]) -> int:
    """How many of a sample of the members search does not find by name."""
    step = max(1, len(names) // SAMPLE)
    missing = 0
    for name in names[::step][:SAMPLE]:
        url = f"{platform.url}/api/v1/directory/listings?{urlencode({'q': name})}"
        with urllib.request.urlopen(url, timeout=30) as response:
            items = json.loads(response.read())["items"]
        missing += not any(item["name"] == name for item in items)
    return missing


def kombu_floor(
    folder: Path, count: int, rate: float, seconds: float, batch: int = 1
) -> dict:
    """Plain kombu, each side in its own process, on a vhost of its own: up to
    `count` messages in at most `seconds`; with `batch`, confirms are waited for
    once per that many messages."""
    result = folder / f"kombu-floor-{time.monotonic_ns()}.json"
    module = [sys.executable, "-m", "bench.kombu_floor"]
    with broker.vhost("kombu") as amqp_uri:
        consumer = subprocess.Popen(
            [*module, "consume", amqp_uri, str(count), str(result)], cwd=ROOT
        )
        ready = Path(f"{result}.ready")
        while not ready.exists() and consumer.poll() is None:
            time.sleep(0.1)
        subprocess.run(
            [*module, "publish", amqp_uri, str(count), str(rate), str(batch),
             str(seconds), str(result)],
            cwd=ROOT,
        )  # fmt: skip
        consumer.wait(120)
    return json.loads(result.read_text())


def parked_messages(amqp_uri: str) -> int:
    """Messages waiting in the platform's parking queues."""
    vhost = broker.vhost_of(amqp_uri)
    names = [
        q["name"]
        for q in broker.Management().queues(vhost)
        if q["name"].startswith("parked.")
    ]
    with Connection(amqp_uri) as connection:
        channel = connection.default_channel
        return sum(
            channel.queue_declare(name, passive=True).message_count for name in names
        )
