"""A crash while sending: before the message went it is sent after the restart;
once the server has taken it, it is never sent again by itself."""

import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from nameko.standalone.rpc import ServiceRpcProxy
from sqlalchemy.orm import sessionmaker

from infra.db import make_engine
from infra.migrate import upgrade
from services.notifications import deliveries, members
from services.notifications.models import Delivery
from services.notifications.service import MIGRATIONS, NotificationsService
from tests.support.members import contact, snapshot
from tests.support.waiting import eventually

ROOT = Path(__file__).parents[2]


@pytest.fixture
def session(notifications_config):
    engine = make_engine(notifications_config["DATABASE_URL"])
    upgrade(engine, MIGRATIONS)
    yield sessionmaker(engine, expire_on_commit=False)()
    engine.dispose()


def queued_badge_mail(session) -> str:
    data = snapshot("Nia Ben Aur", language="cy")
    with session.begin():
        members.keep_snapshot(session, data)
        members.keep_contact(session, contact(data, "nia@example.cymru"))
        delivery = deliveries.queue(
            session,
            f"badge:{uuid.uuid4()}",
            "badge_awarded",
            data["member_id"],
            {
                "edition": "Arwyr",
                "number": 3,
                "assertion_url": "https://cyd.example.cymru/badges/1",
                "image_url": "https://cyd.example.cymru/badges/1/image.svg",
            },
        )
    return delivery.id


def crash(config, smtp_url: str, delivery_id: str, when: str) -> int:
    command = [
        sys.executable,
        "-m",
        "tests.support.crash_after_send",
        config["DATABASE_URL"],
        smtp_url,
        config["SECRET_KEY"],
        delivery_id,
        when,
    ]
    return subprocess.run(command, cwd=ROOT, env={"PYTHONPATH": str(ROOT)}).returncode


def status(session, delivery_id: str) -> str:
    with session.begin():
        return session.get(Delivery, delivery_id, populate_existing=True).status


def restart(container_factory, config, smtp_url: str):
    settings = {**config, "SMTP_URL": smtp_url, "DELIVERY_STALE_SECONDS": 1}
    container = container_factory(NotificationsService, settings)
    container.start()
    return container


def test_a_crash_before_the_message_went_sends_it_once_after_the_restart(
    container_factory, notifications_config, smtp_sink, session
):
    delivery_id = queued_badge_mail(session)

    assert crash(notifications_config, smtp_sink.url, delivery_id, "before") == 3
    assert smtp_sink.messages() == []
    restart(container_factory, notifications_config, smtp_sink.url)

    eventually(lambda: status(session, delivery_id) == "sent", timeout=30)
    assert len(smtp_sink.messages()) == 1


def test_a_crash_after_the_server_took_it_never_sends_it_again(
    container_factory, notifications_config, smtp_sink, session
):
    delivery_id = queued_badge_mail(session)

    assert crash(notifications_config, smtp_sink.url, delivery_id, "after") == 4
    assert len(smtp_sink.messages()) == 1
    container = restart(container_factory, notifications_config, smtp_sink.url)

    eventually(lambda: status(session, delivery_id) == "uncertain", timeout=30)
    with ServiceRpcProxy("notifications", container.config) as proxy:
        failed = proxy.failed_deliveries({})
    assert [item["id"] for item in failed["items"]] == [delivery_id]
    assert len(smtp_sink.messages()) == 1
