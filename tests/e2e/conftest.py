"""End-to-end tier: the whole stack as processes, driven over HTTP, once on
SQLite and once on PostgreSQL (when it answers)."""

import uuid
from contextlib import ExitStack

import pytest

from tests.support import broker
from tests.support.browser import Browser
from tests.support.databases import BACKENDS, database, postgres_answers
from tests.support.smtp import SmtpSink, free_port
from tests.support.stack import Stack

SERVICES = ("membership", "stories", "directory", "notifications")


@pytest.fixture(scope="module", params=BACKENDS)
def stack(request, tmp_path_factory, rabbit_manager):
    if request.param == "postgresql" and not postgres_answers():
        pytest.skip("PostgreSQL does not answer")
    folder = tmp_path_factory.mktemp(f"stack-{request.param}")
    vhost = f"coprod_e2e_{uuid.uuid4().hex[:10]}"
    rabbit_manager.create_vhost(vhost)
    rabbit_manager.set_vhost_permissions(vhost, "guest", ".*", ".*", ".*")
    with ExitStack() as resources:
        # Removed last, and also when the stack never came up or the run was
        # cut short while it was starting.
        resources.callback(rabbit_manager.delete_vhost, vhost)
        environment = {
            "AMQP_URI": f"amqp://guest:guest@127.0.0.1:5672/{vhost}",
            # Feedback rounds fall due within a second of a member's date
            # being moved back (tests/e2e/test_site_member.py).
            "ROUNDS_INTERVAL_SECONDS": "1",
        }
        databases = {}
        for service in SERVICES:
            url = resources.enter_context(database(request.param, folder, service))
            environment[f"{service.upper()}_DATABASE_URL"] = url
            databases[service] = url
        sink = SmtpSink(folder / "maildir").start()
        resources.callback(sink.stop)
        environment["SMTP_URL"] = sink.url
        # Every sign-up comes from this one address, which is no flood.
        environment["RATE_LIMITS"] = "off"
        running = Stack(folder, environment, free_port())
        running.sink = sink
        running.amqp_uri = environment["AMQP_URI"]
        running.databases = databases
        resources.callback(running.stop)
        running.start().wait_until_healthy()
        yield running


@pytest.fixture(scope="module")
def private_broker(tmp_path_factory):
    """A RabbitMQ node of this module's own, free to be stopped and restarted;
    always stopped at the end, whatever the test did to it."""
    if not broker.available():
        pytest.skip("rabbitmq-server is not installed")
    node = broker.PrivateBroker(tmp_path_factory.mktemp("rabbit"))
    try:
        yield node.start()
    finally:
        node.stop()


@pytest.fixture(scope="module")
def chromium(stack):
    """One headless Chromium per module and stack."""
    browser = Browser(stack.url)
    yield browser
    browser.quit()


@pytest.fixture(scope="module")
def chromium_without_scripts(stack):
    """A Chromium that runs no page's JavaScript, as some people browse."""
    browser = Browser(stack.url, scripts=False)
    yield browser
    browser.quit()


@pytest.fixture
def browser(chromium):
    """The module's Chromium as a new visitor: no cookies, nothing open."""
    chromium.driver.delete_all_cookies()
    yield chromium
    assert not chromium.dialog_opened(), "a page opened a dialog"
