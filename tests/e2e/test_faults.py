"""Proof by fault: a steady load of joins, confirmations, stories and feedback
goes through the gateway while RabbitMQ is restarted twice, the membership
process is killed with SIGKILL and started again, the SMTP server refuses
mail for a while, and the directory is stopped with SIGTERM (it must exit by
itself) and started again. Once the load is over and the platform has settled, nothing
the gateway accepted is missing and nothing is doubled: members, listings,
stories, feedback, welcome e-mails (one each) and the MemberJoined events an
outside subscriber saw. No message is parked, no answer was a 500, and no log
line holds a person's e-mail address, name or story.

The platform runs as processes on a RabbitMQ node of the test's own
(tests/support/broker.py), never the machine's. Size: FAULT_PEOPLE newcomers
(36 by default; `make faults` runs 150), a third as many long-standing members
giving feedback, over FAULT_SECONDS of load. FAULT_BACKEND picks the database
(PostgreSQL when it answers, else SQLite)."""

import os
import signal
import subprocess
import time
from collections import Counter
from contextlib import ExitStack

import eventlet
import pytest
import requests

from tests.support import tally
from tests.support.amqp import DurableTap
from tests.support.databases import database, postgres_answers
from tests.support.faults import Load, elders, newcomers, seed_elders
from tests.support.sessions import TEST_SECRET
from tests.support.smtp import RefusingSmtpSink, free_port
from tests.support.stack import ROOT, Stack
from tests.support.waiting import eventually

SERVICES = ("membership", "stories", "directory", "notifications")
PEOPLE = int(os.environ.get("FAULT_PEOPLE", "36"))
SECONDS = float(os.environ.get("FAULT_SECONDS", str(30 + 1.5 * PEOPLE)))
SETTLE_SECONDS = 300


def backend() -> str:
    chosen = os.environ.get("FAULT_BACKEND")
    if chosen:
        return chosen
    return "postgresql" if postgres_answers() else "sqlite"


@pytest.fixture(scope="module")
def platform(private_broker, tmp_path_factory):
    folder = tmp_path_factory.mktemp("faults")
    with ExitStack() as resources:
        environment = {
            "AMQP_URI": private_broker.amqp_uri,
            "RATE_LIMITS": "off",
            "SECRET_KEY": TEST_SECRET,
            "ROUNDS_INTERVAL_SECONDS": "1",
            "DELIVERY_BACKOFF_SECONDS": "3",
        }
        urls = {}
        for service in SERVICES:
            urls[service] = resources.enter_context(
                database(backend(), folder, service)
            )
            environment[f"{service.upper()}_DATABASE_URL"] = urls[service]
        sink = RefusingSmtpSink(folder / "maildir").start()
        resources.callback(sink.stop)
        environment["SMTP_URL"] = sink.url
        running = Stack(folder, environment, free_port())
        running.sink, running.urls, running.broker = sink, urls, private_broker
        resources.callback(running.stop)
        running.start().wait_until_healthy()
        yield running


class Faults:
    """The faults, each at its share of the load's time; what each did is noted."""

    def __init__(self, platform, seconds: float):
        self.platform, self.seconds = platform, seconds
        self.windows: list[tuple[str, float, float]] = []
        self.graceful_exit: int | None = None

    def run(self) -> None:
        started = time.monotonic()
        plan = [
            (0.15, self.restart_broker_app),
            (0.35, self.kill_membership),
            (0.50, self.refuse_mail),
            (0.65, self.stop_directory_gracefully),
            (0.75, self.restart_broker_node),
        ]
        for share, fault in plan:
            eventlet.sleep(max(0.0, started + share * self.seconds - time.monotonic()))
            began = time.monotonic()
            fault()
            self.windows.append((fault.__name__, began, time.monotonic()))

    def effects(self, client) -> dict[str, str]:
        """What each fault did to the clients: how long it lasted, and the
        answers other than success during it and the ten seconds after."""
        return {
            name: f"{ended - began:.0f}s; "
            + (
                ", ".join(
                    f"{n}x {o}"
                    for o, n in client.troubles_between(began, ended + 10).items()
                )
                or "no failed answers"
            )
            for name, began, ended in self.windows
        }

    def restart_broker_app(self) -> None:
        self.platform.broker.stop_app()
        eventlet.sleep(5)
        self.platform.broker.start_app()

    def kill_membership(self) -> None:
        self.platform.stop("membership", sig=signal.SIGKILL)
        eventlet.sleep(2)
        self.platform.start("membership")

    def stop_directory_gracefully(self) -> None:
        """SIGTERM, as an orchestrator stops a process: it should finish what
        it holds and exit by itself, well within a grace period of 30 s."""
        process = self.platform.processes.pop("directory")
        process.send_signal(signal.SIGTERM)
        try:
            self.graceful_exit = process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        self.platform.start("directory")

    def refuse_mail(self) -> None:
        self.platform.sink.refuse()
        # Within what six tries 3 s, 6 s, 12 s ... apart outlast (DELIVERY_*).
        eventlet.sleep(min(30.0, max(10.0, 0.15 * self.seconds)))
        self.platform.sink.accept()

    def restart_broker_node(self) -> None:
        self.platform.broker.restart()


@pytest.fixture(scope="module")
def outcome(platform):
    broker = platform.broker
    joins = DurableTap(broker.amqp_uri, "membership", "MemberJoined", "partner.joins")
    links = DurableTap(broker.amqp_uri, "membership", "LinkRequested", "test.links")
    joins.start(), links.start()
    people, old = newcomers(PEOPLE), elders(max(1, PEOPLE // 3))
    seed_elders(broker.amqp_uri, old)
    eventually(lambda: rounds_open(platform) >= len(old), timeout=60)

    faults = Faults(platform, SECONDS)
    fault_thread = eventlet.spawn(faults.run)
    try:
        load = Load(platform.url, links, SECONDS)
        accepted = load.run(people, old)
        fault_thread.wait()
    finally:
        # A run cut short (Ctrl-C, SIGTERM) stops faulting, so that no fault
        # restarts a process while the platform fixture stops them all.
        fault_thread.kill()

    lines = settle(platform, accepted, joins)
    yield people, old, accepted, lines, load.client, faults, joins
    joins.close(), links.close()


def rounds_open(platform) -> int:
    query = "SELECT count(*) FROM feedback_rounds WHERE status = 'requested'"
    return tally.rows(platform.urls["stories"], query)[0][0]


def count_lines(platform, accepted, joins) -> list[tally.Line]:
    urls = platform.urls
    held = tally.members(urls["membership"])
    ids = {email: member_id for email, member_id, _ in held}
    active = {email for email, _, status in held if status == "active"}
    listed = {ids.get(e, e) for e in accepted.confirmed if accepted.listed.get(e)}
    return [
        tally.Line("members stored", accepted.joins, Counter(e for e, _, _ in held)),
        tally.Line("members active", accepted.confirmed, Counter(active)),
        tally.Line("listings", listed, tally.listings(urls["directory"])),
        tally.Line("stories", accepted.stories, tally.stories(urls["stories"])),
        tally.Line("feedback", accepted.feedback, tally.feedback(urls["stories"])),
        tally.Line(
            "welcome e-mails",
            accepted.confirmed,
            tally.welcome_recipients(platform.sink),
        ),
        tally.Line(
            "MemberJoined (outside)",
            {ids.get(e, e) for e in accepted.joins},
            tally.joined_events(joins),
        ),
    ]


def settle(platform, accepted, joins) -> list[tally.Line]:
    """Wait until every count is exact and the queues are empty, or time runs out;
    the counts as they then are."""
    deadline = time.monotonic() + SETTLE_SECONDS
    while time.monotonic() < deadline:
        lines = count_lines(platform, accepted, joins)
        if all(line.exact for line in lines) and queues_empty(platform):
            return lines
        time.sleep(2)
    return count_lines(platform, accepted, joins)


def keep(report: str) -> None:
    """The table, also under var/faults/ for docs/reliability.md."""
    folder = ROOT / "var" / "faults"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{backend()}-{PEOPLE}.txt").write_text(report + "\n")


def queues_empty(platform) -> bool:
    try:
        queues = platform.broker.queues()
    except requests.RequestException:
        return False
    return all(q.get("messages", 1) == 0 for q in queues)


def parked(platform) -> int:
    return sum(
        q.get("messages", 0)
        for q in platform.broker.queues()
        if q["name"].startswith("parked.")
    )


def test_nothing_accepted_is_lost_and_nothing_is_doubled(platform, outcome):
    people, old, accepted, lines, client, faults, joins = outcome
    answers = client.answers
    extra = {
        "people (newcomers, elders)": f"{len(people)}, {len(old)}",
        "joins accepted": len(accepted.joins),
        "confirmed": len(accepted.confirmed),
        "stories accepted": len(accepted.stories),
        "feedback accepted": len(accepted.feedback),
        "refused for good": accepted.refused,
        "MemberJoined deliveries": joins.deliveries,
        "messages parked": parked(platform),
        "answers (kind, status)": dict(sorted(answers.items(), key=str)),
        "backend": backend(),
        "directory's exit on SIGTERM": faults.graceful_exit,
        **faults.effects(client),
    }
    report = tally.table(lines, extra)
    print("\n" + report)
    keep(report)

    assert accepted.refused == []
    assert len(accepted.joins) == len(accepted.stories) == len(people)
    assert len(accepted.feedback) == len(old)
    assert [line.what for line in lines if not line.exact] == [], platform.logs()
    assert parked(platform) == 0
    assert faults.graceful_exit == 0
    assert not [key for key in answers if key[1] == 500]


def test_no_log_line_holds_an_address_a_name_or_a_story(platform, outcome):
    people, old, *_ = outcome
    secrets = [p.email for p in people] + [p.name for p in people]
    secrets += [e.name for e in old] + ["dechreuon ni gyfarfod"]
    logs = {
        path.name: path.read_text(errors="replace").casefold()
        for path in platform.folder.glob("*.log")
    }

    leaks = {
        name: [s for s in secrets if s.casefold() in text]
        for name, text in logs.items()
    }

    assert sum("worker.handled" in text for text in logs.values()) == len(SERVICES)
    assert {name: found for name, found in leaks.items() if found} == {}
