"""Workload 3: the event pipeline, from membership's outbox to a listing that
directory search finds. Members join and confirm (MemberJoined,
ContactDetailsChanged, MemberVerified written into membership's outbox as the
service writes them); the relay publishes them; every consumer takes what it
listens to; the directory lists the member and announces it.

Three runs: flat out (how many events a second reach the directory, with about
two seconds of work kept queued), paced (how late the listings come at a rate
the pipeline keeps up with), and the relay alone (outbox to broker, flat out).
Every member of the first two is counted at the end, nothing may be parked, and
search must find a sample of them by name. Floors: plain kombu publishing with
confirms and consuming with acks, confirming each message, and confirming once
per batch as the relay does."""

import json
import math
import subprocess
import sys
import time
import urllib.request
from contextlib import nullcontext
from pathlib import Path
from urllib.parse import quote, urlencode

from kombu import Connection

from bench import broker
from bench.compare import ProfileFor
from bench.flow import ListingCounter, Outcome, Tap, measure, produce, settle
from bench.people import People
from bench.results import Results, Row
from bench.settings import Settings
from bench.snapshots import EVENTS_PER_MEMBER
from bench.stacks import ROOT, Platform

EVENTS_TARGET = {"at_least": 1000.0}
NOTHING_LOST = {"equals": 0.0}
SAMPLE = 10
RELAY_BATCH = 200
"""As `infra.outbox.OutboxRelay`'s default batch."""
RELAY_SECONDS = 5.0
DIRECTORY_EVENTS = 2
"""Of each member's events, those the directory takes: joined, verified."""


def run_pipeline(
    results: Results,
    platform: Platform,
    settings: Settings,
    label: str,
    profile: ProfileFor | None = None,
) -> None:
    seconds, lost = settings.event_seconds, 0
    watching = profile and profile(f"pipeline flat out, {label}")
    with watching(seconds) if watching else nullcontext():
        flat, names = _through_directory(platform, settings, 0.0)
    lost += flat.lost + _not_found(platform, names)
    floor = kombu_floor(platform.folder, DIRECTORY_EVENTS * flat.members, 0, seconds)
    results.add(_flat_out_row(f"flat out, {label}", flat, floor))
    _note(results, f"flat out, {label}", flat, floor)

    rate = paced_rate(settings.event_rate, flat.per_second)
    paced, names = _through_directory(platform, settings, rate)
    lost += paced.lost + _not_found(platform, names)
    floor = kombu_floor(platform.folder, DIRECTORY_EVENTS * paced.members, rate, 60)
    results.add(*_paced_rows(f"paced at {rate:,.0f}/s, {label}", paced, floor))
    _note(results, f"paced at {rate:,.0f}/s, {label}", paced, floor)

    relayed = _relay_alone(platform, settings)
    floor = kombu_floor(platform.folder, 10**6, 0, RELAY_SECONDS, RELAY_BATCH)
    results.add(
        Row(f"relay alone, outbox to broker, {label}", "events/s",
            round(relayed, 1), "ev/s", round(floor["per_second"], 1))
    )  # fmt: skip
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


def _flat_out_row(case: str, ours: Outcome, floor: dict) -> Row:
    return Row(case, "events/s", round(ours.per_second, 1), "ev/s",
               round(floor["per_second"], 1), EVENTS_TARGET)  # fmt: skip


def _paced_rows(case: str, ours: Outcome, floor: dict) -> list[Row]:
    return [
        Row(case, "events/s", round(ours.per_second, 1), "ev/s",
            round(floor["per_second"], 1)),
        Row(case, "p99 lag", round(ours.p99_lag_ms, 1), "ms",
            round(floor["p99_lag_ms"], 1)),
    ]  # fmt: skip


def _note(results: Results, case: str, outcome: Outcome, floor: dict) -> None:
    source = (
        "each listing's ListingPublished"
        if outcome.announced
        else "the count of the directory's listings (it announced none)"
    )
    results.note(
        f"Pipeline, {case}: {outcome.arrived:,} of {outcome.members:,} members "
        f"listed in {outcome.seconds:.1f} s ({DIRECTORY_EVENTS * outcome.members:,} "
        f"directory events, {EVENTS_PER_MEMBER * outcome.members:,} through the "
        f"outbox), timed by {source}; p50 lag {outcome.p50_lag_ms:,.0f} ms, p99 "
        f"{outcome.p99_lag_ms:,.0f} ms; outbox to broker p99 "
        f"{outcome.relay_p99_lag_ms:,.0f} ms. Floor: {floor['received']:,} of "
        f"{floor['sent']:,} messages, p99 lag {floor['p99_lag_ms']:,.0f} ms."
    )


def _through_directory(platform: Platform, settings: Settings, rate: float):
    """One run to the directory: flat out for `event_seconds` when `rate` is 0,
    else `event_seconds` worth of events at `rate`."""
    members = settings.events // DIRECTORY_EVENTS
    if rate:
        members = min(members, round(rate * settings.event_seconds / 2))
    counter = ListingCounter(platform.database_urls["directory"])
    with Tap(platform.amqp_uri) as tap:
        produced = produce(
            platform.database_urls["membership"],
            People(settings.seed + int(rate)),
            members,
            rate,
            arrived=lambda: len(tap.listed) or counter.count() - counter.baseline,
            seconds=math.inf if rate else settings.event_seconds,
        )
        outcome = measure(tap, produced, counter)
    counter.close()
    platform.require_alive()
    return outcome, list(produced.names.values())


def _relay_alone(platform: Platform, settings: Settings) -> float:
    """Events a second from outbox to broker, flat out, with about two seconds
    queued ahead of the relay; what the consumers did not take yet is purged
    afterwards, so that it does not weigh on what comes next."""
    with Tap(platform.amqp_uri) as tap:
        produced = produce(
            platform.database_urls["membership"],
            People(settings.seed + 1),
            settings.events,
            arrived=lambda: len(tap.verified),
            seconds=RELAY_SECONDS,
        )
        settle(lambda: len(tap.verified) >= len(produced.committed))
        relayed = [tap.verified[m] for m in produced.committed if m in tap.verified]
    _purge_consumers(platform.amqp_uri)
    if not relayed:
        return 0.0
    return EVENTS_PER_MEMBER * len(relayed) / (max(relayed) - produced.first)


def _purge_consumers(amqp_uri: str) -> None:
    vhost = quote(broker.vhost_of(amqp_uri), safe="")
    management = broker.Management()
    for queue in management.queues(broker.vhost_of(amqp_uri)):
        if queue["name"].startswith("evt-membership-"):
            name = quote(queue["name"], safe="")
            management.call("DELETE", f"/queues/{vhost}/{name}/contents")


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
