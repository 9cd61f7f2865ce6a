from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select

from services.notifications.models import Delivery
from services.notifications.service import NotificationsService
from tests.support.amqp import EventTap, republish
from tests.support.members import announce_join, snapshot
from tests.support.waiting import eventually


def joined(language: str = "cy", name: str = "Rhûn ap Iorwerth") -> dict:
    return snapshot(name, language=language, area="W06000008")


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
    envelope = announce_join(config["AMQP_URI"], joined("cy"), "rhun@example.cymru")
    republish(config["AMQP_URI"], envelope)
    announce_join(config["AMQP_URI"], joined("en", "Later Member"))

    messages = eventually(
        lambda: len(over_smtp.messages()) >= 2 and over_smtp.messages()
    )

    welsh = [m for m in messages if m["Content-Language"] == "cy"]
    assert len(welsh) == 1
    assert welsh[0]["To"].addresses[0].addr_spec == "rhun@example.cymru"
    assert welsh[0]["Subject"] == "Croeso i'r rhwydwaith cyd-gynhyrchu"
    assert "Rhûn ap Iorwerth" in welsh[0].get_body(("plain",)).get_content()
    assert len(sent.collect(2)) == 2
    sent.close()


def test_what_a_member_typed_is_escaped_in_html_and_kept_in_text(over_smtp, config):
    hostile = "<script>alert('x')</script> & Tŷ"
    announce_join(config["AMQP_URI"], joined("en", hostile))

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
    announce_join(config["AMQP_URI"], joined())

    eventually(lambda: refused_attempts(config["DATABASE_URL"]) >= 1)
    smtp_sink.start()

    assert len(eventually(smtp_sink.messages, timeout=40)) == 1


def test_without_smtp_the_welcome_is_written_as_an_eml_file(container_factory, config):
    container_factory(NotificationsService, config).start()
    announce_join(config["AMQP_URI"], joined("en", "Priya Shah"))

    (written,) = eventually(lambda: list(Path(config["MAIL_DIR"]).glob("*.eml")))

    assert b"Welcome to the co-production network" in written.read_bytes()
