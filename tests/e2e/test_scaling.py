"""Two copies each of the directory and the notifications service, real
`nameko run` processes on one broker vhost and one database per service, share
a burst of joins: both copies of each do work, and no listing and no e-mail
is doubled."""

import re
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack

import pytest
import requests
from sqlalchemy import create_engine, text

from infra.migrate import upgrade
from tests.support.amqp import EventTap
from tests.support.databases import BACKENDS, database, postgres_answers
from tests.support.manifests import consumed_queues
from tests.support.membership import follow_link
from tests.support.signups import (
    SIGNUPS,
    address,
    confirmation_tokens,
    is_confirmation,
    join_body,
    recipient,
    welcomes,
)
from tests.support.smtp import SmtpSink, free_port
from tests.support.stack import Stack
from tests.support.waiting import eventually

SERVICES = ("membership", "stories", "directory", "notifications")
SCALED = {"directory": 2, "notifications": 2}


@pytest.fixture(scope="module", params=BACKENDS)
def copies(request, tmp_path_factory, rabbit_manager):
    if request.param == "postgresql" and not postgres_answers():
        pytest.skip("PostgreSQL does not answer")
    folder = tmp_path_factory.mktemp(f"copies-{request.param}")
    vhost = f"coprod_scale_{uuid.uuid4().hex[:10]}"
    rabbit_manager.create_vhost(vhost)
    rabbit_manager.set_vhost_permissions(vhost, "guest", ".*", ".*", ".*")
    with ExitStack() as resources:
        resources.callback(rabbit_manager.delete_vhost, vhost)  # last, and always
        environment = {"AMQP_URI": f"amqp://guest:guest@127.0.0.1:5672/{vhost}"}
        for service in SERVICES:
            url = resources.enter_context(database(request.param, folder, service))
            environment[f"{service.upper()}_DATABASE_URL"] = url
            migrate(url, service)
        # As deployed: the migration step runs once, before the copies start.
        environment["AUTO_MIGRATE"] = "false"
        # The whole burst comes from one address, which is no flood.
        environment["RATE_LIMITS"] = "off"
        sink = SmtpSink(folder / "maildir").start()
        resources.callback(sink.stop)
        environment["SMTP_URL"] = sink.url
        running = Stack(folder, environment, free_port())
        running.directory_db = environment["DIRECTORY_DATABASE_URL"]
        running.sink = sink
        running.amqp_uri = environment["AMQP_URI"]
        resources.callback(running.stop)
        running.start("membership", "stories", "gateway")
        running.copies = {
            name: running.start_copies(name, count) for name, count in SCALED.items()
        }
        running.wait_until_healthy()
        running.queues = lambda: queue_depths(rabbit_manager, vhost)
        wait_for_consumers(rabbit_manager, vhost, running)
        yield running


def migrate(url: str, service: str) -> None:
    engine = create_engine(url)
    upgrade(engine, f"services/{service}/migrations")
    engine.dispose()


def queue_depths(rabbit_manager, vhost: str) -> dict[tuple[str, str], dict]:
    """The broker's view of each queue of each scaled service."""
    return {
        (name, queue): rabbit_manager.get_queue(vhost, queue)
        for name in SCALED
        for queue in consumed_queues(f"services.{name}.service")
    }


def settled(copies) -> bool:
    """Nothing waits or is in flight in the scaled services' queues."""
    return all(q.get("messages", 1) == 0 for q in copies.queues().values())


def wait_for_consumers(rabbit_manager, vhost: str, running: Stack) -> None:
    """Every copy of each scaled service is attached to each of its queues."""

    def attached() -> bool:
        depths = queue_depths(rabbit_manager, vhost)
        return all(q.get("consumers") == SCALED[n] for (n, _), q in depths.items())

    try:
        eventually(attached, timeout=60, interval=0.5)
    except AssertionError as error:
        raise AssertionError(running.logs()) from error


def join(url: str, signup: dict) -> requests.Response:
    return requests.post(f"{url}/api/v1/members", json=join_body(signup), timeout=30)


@pytest.fixture(scope="module")
def burst(copies):
    """Everyone joins at once, then each confirms through their link."""
    links = EventTap(copies.amqp_uri, "membership", "LinkRequested")
    with ThreadPoolExecutor(max_workers=8) as pool:
        responses = list(pool.map(lambda s: join(copies.url, s), SIGNUPS))
    wanted = {address(s["email"]) for s in SIGNUPS}
    tokens = confirmation_tokens(copies.sink, links, wanted)
    links.close()
    with ThreadPoolExecutor(max_workers=8) as pool:
        list(
            pool.map(
                lambda t: follow_link(copies.url, f"/confirm/{t}"), tokens.values()
            )
        )
    return responses


def handled(log: str, service: str) -> Counter:
    """Events this copy's workers handled, by entrypoint (`worker.handled` lines)."""
    pattern = rf"worker\.handled service={service} entrypoint=(on_\w+) outcome=ok"
    return Counter(re.findall(pattern, log))


def listings(url: str, name: str) -> list[str]:
    response = requests.get(
        f"{url}/api/v1/directory/listings", params={"q": name}, timeout=10
    )
    return [item["name"] for item in response.json()["items"]]


def recipients(copies) -> Counter:
    """Who got a welcome (confirmation e-mails, when they come, are apart)."""
    return Counter(recipient(m) for m in welcomes(copies.sink))


def confirmations(copies) -> Counter:
    return Counter(recipient(m) for m in copies.sink.messages() if is_confirmation(m))


def test_the_burst_is_accepted(burst):
    assert [r.status_code for r in burst] == [202] * len(SIGNUPS)


def test_every_listed_member_is_listed_once_and_both_directories_did_work(
    copies, burst
):
    listed = [s["name"] for s in SIGNUPS if s["consents"]["listed"]]
    try:
        eventually(lambda: all(listings(copies.url, n) for n in listed), timeout=60)
    except AssertionError as error:
        missing = [n for n in listed if not listings(copies.url, n)]
        raise AssertionError(directory_rows(copies, missing)) from error
    eventually(lambda: settled(copies), timeout=30)

    for signup in SIGNUPS:
        expected = [signup["name"]] if signup["consents"]["listed"] else []
        assert listings(copies.url, signup["name"]) == expected
    work = [handled(copies.log(c), "directory") for c in copies.copies["directory"]]
    assert all(w["on_member_joined"] > 0 for w in work), work
    assert sum(w["on_member_joined"] for w in work) == len(SIGNUPS)


def directory_rows(copies, names: list[str]) -> str:
    """What the directory's database holds of members search did not find, for
    a failure to show where the listing stopped."""
    engine = create_engine(copies.directory_db)
    with engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT m.name, m.status, m.listed, m.version, l.public, l.seq "
                "FROM members m LEFT JOIN listings l ON l.member_id = m.member_id"
            )
        ).all()
    engine.dispose()
    found = [tuple(row) for row in rows if row[0] in names]
    return f"not found by search: {names}; in the directory's database: {found}"


def test_every_member_gets_one_email_and_both_notifications_did_work(copies, burst):
    expected = Counter(s["email"].strip().casefold() for s in SIGNUPS)
    eventually(lambda: sum(recipients(copies).values()) >= len(SIGNUPS), timeout=60)
    eventually(lambda: settled(copies), timeout=30)

    assert recipients(copies) == expected
    assert all(count == 1 for count in confirmations(copies).values())
    work = [
        handled(copies.log(c), "notifications") for c in copies.copies["notifications"]
    ]
    assert all(sum(w.values()) > 0 for w in work), work
