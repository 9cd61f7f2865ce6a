import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select

from services.notifications.models import Delivery
from services.notifications.service import NotificationsService
from tests.support.amqp import EventTap, publish_event, republish
from tests.support.waiting import eventually


def joined(language: str = "cy", name: str = "Rhûn ap Iorwerth") -> dict:
    return {
        "member_id": str(uuid.uuid4()),
        "kind": "individual",
        "name": name,
        "email": f"{uuid.uuid4().hex[:8]}@example.cymru",
        "language": language,
        "area": "W06000008",
        "listed": True,
        "joined_at": datetime.now(UTC),
        "version": 1,
    }


def refused_attempts(url: str) -> int:
    engine = create_engine(url)
    with engine.connect() as connection:
        pending = select(func.coalesce(func.sum(Delivery.attempts), 0)).where(
            Delivery.status == "pending"
        )
        attempts = connection.scalar(pending)
    engine.dispose()
    return attempts


@pytest.fixture
def over_smtp(container_factory, config, smtp_sink):
    container_factory(
        NotificationsService, {**config, "SMTP_URL": smtp_sink.url}
    ).start()
    return smtp_sink


def test_a_new_member_gets_one_welcome_in_their_language(over_smtp, config):
    sent = EventTap(config["AMQP_URI"], "notifications", "EmailSent")
    envelope = publish_event(config["AMQP_URI"], "MemberJoined", "m", joined("cy"))
    republish(config["AMQP_URI"], envelope)
    publish_event(config["AMQP_URI"], "MemberJoined", "m", joined("en", "Later Member"))

    messages = eventually(
        lambda: len(over_smtp.messages()) >= 2 and over_smtp.messages()
    )

    welsh = [m for m in messages if m["Content-Language"] == "cy"]
    assert len(welsh) == 1
    assert welsh[0]["To"].addresses[0].addr_spec == envelope["data"]["email"]
    assert welsh[0]["Subject"] == "Croeso i'r rhwydwaith cyd-gynhyrchu"
    assert "Rhûn ap Iorwerth" in welsh[0].get_body(("plain",)).get_content()
    assert len(sent.collect(2)) == 2
    sent.close()


def test_what_a_member_typed_is_escaped_in_html_and_kept_in_text(over_smtp, config):
    hostile = "<script>alert('x')</script> & Tŷ"
    publish_event(config["AMQP_URI"], "MemberJoined", "m", joined("en", hostile))

    (message,) = eventually(over_smtp.messages)

    html = message.get_body(("html",)).get_content()
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert hostile in message.get_body(("plain",)).get_content()


def test_a_refused_send_is_retried_until_the_server_takes_it(
    container_factory, config, smtp_sink
):
    smtp_sink.stop()
    container_factory(
        NotificationsService, {**config, "SMTP_URL": smtp_sink.url}
    ).start()
    publish_event(config["AMQP_URI"], "MemberJoined", "m", joined())

    eventually(lambda: refused_attempts(config["DATABASE_URL"]) >= 1)
    smtp_sink.start()

    assert len(eventually(smtp_sink.messages, timeout=40)) == 1


def test_without_smtp_the_welcome_is_written_as_an_eml_file(container_factory, config):
    container_factory(NotificationsService, config).start()
    publish_event(config["AMQP_URI"], "MemberJoined", "m", joined("en", "Priya Shah"))

    (written,) = eventually(lambda: list(Path(config["MAIL_DIR"]).glob("*.eml")))

    assert b"Welcome to the co-production network" in written.read_bytes()
