"""Integration tier: real RabbitMQ (a vhost per test, made by nameko's fixtures)
and a real database (SQLite, and PostgreSQL when it answers)."""

from contextlib import ExitStack

import pytest

from tests.support.databases import BACKENDS, database, postgres_answers
from tests.support.directory import directory_session
from tests.support.membership import migrated_sessions
from tests.support.smtp import SmtpSink

_POSTGRES = postgres_answers()


@pytest.fixture(params=BACKENDS)
def new_database(request, tmp_path):
    """Makes empty databases on this test's backend: `new_database("directory")`."""
    if request.param == "postgresql" and not _POSTGRES:
        pytest.skip("PostgreSQL does not answer")
    with ExitStack() as stack:
        yield lambda name: stack.enter_context(database(request.param, tmp_path, name))


@pytest.fixture
def db_url(new_database):
    return new_database("svc")


@pytest.fixture
def config(rabbit_config, db_url, tmp_path):
    settings = dict(rabbit_config)
    settings.update(
        DATABASE_URL=db_url,
        OUTBOX_POLL_SECONDS=0.1,
        MAIL_DIR=str(tmp_path / "mail"),
        SMTP_URL="",
    )
    return settings


@pytest.fixture
def smtp_sink(tmp_path):
    sink = SmtpSink(tmp_path / "maildir").start()
    yield sink
    sink.stop()


@pytest.fixture
def membership_db(db_url):
    """Sessions on a migrated membership database of this test's backend."""
    sessions = migrated_sessions(db_url)
    yield sessions
    sessions.kw["bind"].dispose()


@pytest.fixture
def directory_db(db_url):
    """A session on a migrated directory database of this test's backend."""
    with directory_session(db_url) as session:
        yield session


@pytest.fixture
def certificates(tmp_path):
    """A certificate authority of this test's own and a server certificate."""
    from tests.support.tls import make_certificates

    return make_certificates(tmp_path / "tls")


@pytest.fixture
def notifications_config(config):
    """The notifications service's settings for a test: quick retries, a fixed
    key for its signed links, and mail into this test's folder."""
    return {
        **config,
        "SECRET_KEY": "notifications-test-key",
        "PUBLIC_URL": "https://cyd.example.cymru",
        "DELIVERY_BACKOFF_SECONDS": 0.2,
        "DELIVERY_MAX_ATTEMPTS": 3,
        "FEEDBACK_REMINDER_DAYS": 14,
    }


@pytest.fixture
def over_smtp(container_factory, notifications_config, smtp_sink):
    """The notifications service running, sending over SMTP into `smtp_sink`."""
    from services.notifications.service import NotificationsService

    settings = {**notifications_config, "SMTP_URL": smtp_sink.url}
    container_factory(NotificationsService, settings).start()
    return smtp_sink


@pytest.fixture
def web(container_factory, config):
    """The directory service and the gateway running; the gateway's address."""
    from gateway.service import GatewayService
    from services.directory.service import DirectoryService
    from tests.support.sessions import TEST_SECRET
    from tests.support.smtp import free_port

    settings = {
        **config,
        "WEB_SERVER_ADDRESS": f"127.0.0.1:{free_port()}",
        "RPC_TIMEOUT": 5,
        "SECRET_KEY": TEST_SECRET,
    }
    container_factory(DirectoryService, settings).start()
    container_factory(GatewayService, settings).start()
    return f"http://{settings['WEB_SERVER_ADDRESS']}"


@pytest.fixture
def event_people(web, config):
    """Through the running gateway: Nia organises; Owain and Gwen sign up."""
    from tests.support.amqp import publish_event
    from tests.support.events import call
    from tests.support.members import snapshot
    from tests.support.waiting import eventually

    found = {}
    for name in ("Nia", "Owain", "Gwen"):
        person = snapshot(name, area="W06000011")
        publish_event(config["AMQP_URI"], "MemberJoined", person["member_id"], person)
        found[name.lower()] = person["member_id"]
    eventually(lambda: call(web, "GET", "/listings").json()["total"] == 3)
    return found
