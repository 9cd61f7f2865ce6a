"""E-mail from events: each message once, in the member's language (or both,
Welsh first), over real SMTP, retried when refused, never sent twice."""

import logging
import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import create_engine, func, select, text

from services.notifications.models import Base, Contact, Delivery, Member
from services.notifications.service import NotificationsService
from tests.support.amqp import EventTap, publish_event, republish
from tests.support.members import contact, snapshot
from tests.support.waiting import eventually

NOW = datetime.now(UTC)


def member(language: str | None = "cy", name: str = "Rhûn ap Iorwerth", **kw):
    return snapshot(name, language=language, area="W06000008", **kw)


def tell(amqp: str, event_type: str, data: dict) -> dict:
    subject = str(data.get("member_id") or data.get("poster_id") or uuid.uuid4())
    return publish_event(amqp, event_type, subject, data)


def known(amqp: str, data: dict, email: str | None = None) -> dict:
    """Tell the service about a member: contact details and a verified snapshot."""
    tell(amqp, "ContactDetailsChanged", contact(data, email))
    tell(amqp, "MemberUpdated", {**data, "changed": ["status"]})
    return data


def link(data: dict, purpose: str = "confirm", email: str = "sian@example.cymru"):
    return {
        "member_id": data["member_id"],
        "purpose": purpose,
        "email": email,
        "name": data["name"],
        "language": data["language"],
        "token": f"tocyn-{uuid.uuid4().hex}",
        "expires_at": NOW + timedelta(hours=1),
    }


def count(url: str, where=None) -> int:
    engine = create_engine(url)
    with engine.connect() as connection:
        query = select(func.count()).select_from(Delivery)
        found = connection.scalar(query if where is None else query.where(where))
    engine.dispose()
    return found


def every_value_in(url: str) -> str:
    """Every table of the service's database, as one long string."""
    engine = create_engine(url)
    with engine.connect() as connection:
        dumps = [
            repr(connection.execute(text(f"SELECT * FROM {table}")).all())
            for table in Base.metadata.tables
        ]
    engine.dispose()
    return "\n".join(dumps)


def copies(url: str) -> list[str]:
    """The statuses of our member copies that have an address too."""
    engine = create_engine(url)
    with engine.connect() as connection:
        found = connection.scalars(
            select(Member.status).join(Contact, Contact.member_id == Member.member_id)
        ).all()
    engine.dispose()
    return sorted(found)


def plain(message) -> str:
    return message.get_body(("plain",)).get_content()


def html(message) -> str:
    return message.get_body(("html",)).get_content()


def addressed_to(sink, address: str):
    return [m for m in sink.messages() if m["To"].addresses[0].addr_spec == address]


def test_the_confirm_link_goes_once_in_welsh_and_its_token_is_not_kept(
    over_smtp, notifications_config, caplog
):
    caplog.set_level(logging.DEBUG)
    amqp, data = notifications_config["AMQP_URI"], member("cy", status="pending")
    asked = link(data)
    envelope = tell(amqp, "LinkRequested", asked)
    republish(amqp, envelope)

    (message,) = eventually(over_smtp.messages)

    assert message["Subject"] == "Cadarnhewch eich cyfeiriad e-bost"
    assert message["Content-Language"] == "cy"
    expected = f"https://cyd.example.cymru/confirm/{asked['token']}"
    assert expected in plain(message)
    assert f'href="{expected}"' in html(message)
    url = notifications_config["DATABASE_URL"]
    eventually(lambda: count(url, Delivery.status == "sent") == 1)
    assert asked["token"] not in every_value_in(url)
    assert asked["token"] not in caplog.text
    assert len(over_smtp.messages()) == 1


def test_a_sign_in_link_for_a_member_with_no_preference_is_welsh_then_english(
    over_smtp, notifications_config
):
    data = member(None, name="Alun Wyn")
    asked = link(data, "sign_in", "alun@example.cymru")
    tell(notifications_config["AMQP_URI"], "LinkRequested", asked)

    (message,) = eventually(over_smtp.messages)

    body = plain(message)
    assert message["Subject"] == "Eich dolen i fewngofnodi / Your sign-in link"
    assert message["Content-Language"] == "cy, en"
    assert body.index("Helo Alun Wyn") < body.index("Hello Alun Wyn")
    assert body.count(f"/sign-in/{asked['token']}") == 2
    page = html(message)
    assert page.index('<div lang="cy"') < page.index('<div lang="en"')


def test_verifying_brings_one_welcome_and_joining_brings_none(
    over_smtp, notifications_config
):
    amqp, data = notifications_config["AMQP_URI"], member("en", name="Priya Shah")
    tell(amqp, "ContactDetailsChanged", contact(data, "priya@example.cymru"))
    tell(amqp, "MemberJoined", {**data, "status": "pending"})
    verified = tell(amqp, "MemberVerified", {**data, "version": 2})
    republish(amqp, verified)

    (message,) = eventually(over_smtp.messages)

    assert message["Subject"] == "Welcome to the co-production network"
    assert "will be able to find you" in plain(message)
    url = notifications_config["DATABASE_URL"]
    eventually(lambda: count(url, Delivery.template == "welcome") == 1)
    assert len(over_smtp.messages()) == 1


def test_someone_joining_with_a_members_address_tells_that_member_once_a_day(
    over_smtp, notifications_config
):
    amqp, data = notifications_config["AMQP_URI"], member("cy")
    attempt = {
        "member_id": data["member_id"],
        "email": "rhun@example.cymru",
        "name": data["name"],
        "language": "cy",
        "attempted_at": NOW,
    }
    tell(amqp, "AlreadyMember", attempt)
    tell(amqp, "AlreadyMember", {**attempt, "attempted_at": NOW + timedelta(minutes=5)})

    (message,) = eventually(over_smtp.messages)

    assert message["Subject"] == "Rydych chi eisoes yn aelod"
    assert "https://cyd.example.cymru/" in plain(message)
    url = notifications_config["DATABASE_URL"]
    eventually(lambda: count(url) == 1)


def test_a_badge_comes_with_its_link_in_the_members_language(
    over_smtp, notifications_config
):
    amqp = notifications_config["AMQP_URI"]
    data = known(amqp, member("en"), "hero@example.cymru")
    badge_id = str(uuid.uuid4())
    tell(
        amqp,
        "BadgeAwarded",
        {
            "badge_id": badge_id,
            "member_id": data["member_id"],
            "edition": "Arwyr 2026",
            "number": 7,
            "assertion_url": f"https://cyd.example.cymru/badges/{badge_id}",
            "image_url": f"https://cyd.example.cymru/badges/{badge_id}/image.svg",
            "awarded_at": NOW,
        },
    )

    (message,) = eventually(over_smtp.messages)

    assert message["Subject"] == "A Co-pro Hero Badge for you"
    assert f"/badges/{badge_id}" in plain(message)
    assert f"/badges/{badge_id}/image.svg" in html(message)


def test_a_response_is_passed_on_escaped_in_html_and_as_typed_in_text(
    over_smtp, notifications_config
):
    amqp = notifications_config["AMQP_URI"]
    poster = known(amqp, member("cy", name="Gwen"), "gwen@example.cymru")
    words = "Helo! <script>alert('x')</script> Mae gen i faniau & amser."
    tell(
        amqp,
        "ResponseSent",
        {
            "response_id": str(uuid.uuid4()),
            "post_id": str(uuid.uuid4()),
            "post_kind": "offer",
            "post_title": "Fan i'w benthyg <b>",
            "poster_id": poster["member_id"],
            "responder_id": str(uuid.uuid4()),
            "responder_name": "Bryn <i>Terfel</i>",
            "message": words,
            "sent_at": NOW,
        },
    )

    (message,) = eventually(over_smtp.messages)

    assert message["Subject"] == "Ymateb i'ch cynnig: Fan i'w benthyg <b>"
    assert words in plain(message)
    assert "Bryn <i>Terfel</i>" in plain(message)
    page = html(message)
    assert "<script>" not in page and "<i>Terfel" not in page
    assert "&lt;script&gt;" in page and "Bryn &lt;i&gt;Terfel&lt;/i&gt;" in page
    assert "gwen@example.cymru" not in plain(message).split("Helo", 1)[1]


def test_a_listing_review_is_asked_for_once_per_due_date(
    over_smtp, notifications_config
):
    amqp = notifications_config["AMQP_URI"]
    data = known(amqp, member("en"), "listed@example.cymru")
    review = {
        "listing_id": str(uuid.uuid4()),
        "member_id": data["member_id"],
        "last_reviewed_at": NOW - timedelta(days=366),
        "due_at": NOW,
    }
    tell(amqp, "ListingReviewDue", review)
    tell(amqp, "ListingReviewDue", review)  # a second event, same listing, same date

    (message,) = eventually(over_smtp.messages)

    assert message["Subject"] == "Is your directory listing still right?"
    url = notifications_config["DATABASE_URL"]
    eventually(lambda: count(url, Delivery.template == "listing_review") == 1)


def test_new_principles_go_to_active_and_lapsed_members_only(
    over_smtp, notifications_config
):
    amqp = notifications_config["AMQP_URI"]
    active = known(amqp, member("cy", name="Actif"), "actif@example.cymru")
    lapsed = known(amqp, member("en", status="lapsed"), "lapsed@example.cymru")
    known(amqp, member("en", status="pending"), "pending@example.cymru")
    url = notifications_config["DATABASE_URL"]
    eventually(lambda: copies(url) == ["active", "lapsed", "pending"])

    tell(amqp, "PrinciplesPublished", {"version": "1", "published_at": NOW})

    messages = eventually(
        lambda: len(over_smtp.messages()) >= 2 and over_smtp.messages()
    )
    recipients = {m["To"].addresses[0].addr_spec for m in messages}
    assert recipients == {"actif@example.cymru", "lapsed@example.cymru"}
    welsh = addressed_to(over_smtp, "actif@example.cymru")[0]
    assert "Gwerthfawrogi pawb ac adeiladu ar eu cryfderau" in plain(welsh)
    assert active and lapsed


def test_a_refused_send_is_retried_until_the_server_takes_it(
    container_factory, notifications_config, smtp_sink
):
    smtp_sink.stop()
    settings = {**notifications_config, "SMTP_URL": smtp_sink.url}
    settings["DELIVERY_MAX_ATTEMPTS"] = 50
    container_factory(NotificationsService, settings).start()
    tell(settings["AMQP_URI"], "LinkRequested", link(member("en")))
    url = settings["DATABASE_URL"]

    eventually(lambda: count(url, Delivery.attempts >= 2))
    smtp_sink.start()

    assert len(eventually(smtp_sink.messages, timeout=40)) == 1
    eventually(lambda: count(url, Delivery.status == "sent") == 1)


def test_a_send_refused_every_time_is_recorded_failed_and_announced(
    container_factory, notifications_config, smtp_sink
):
    smtp_sink.stop()
    settings = {**notifications_config, "SMTP_URL": smtp_sink.url}
    failed = EventTap(settings["AMQP_URI"], "notifications", "EmailFailed")
    container_factory(NotificationsService, settings).start()
    data = member("cy")
    tell(settings["AMQP_URI"], "LinkRequested", link(data))

    (event,) = failed.collect(1, timeout=30)
    failed.close()

    assert event["data"]["attempts"] == 3
    assert event["data"]["template"] == "confirm"
    url = settings["DATABASE_URL"]
    assert count(url, (Delivery.status == "failed") & Delivery.secret.is_(None)) == 1


def test_without_smtp_the_message_is_written_as_an_eml_file(
    container_factory, notifications_config
):
    from pathlib import Path

    container_factory(NotificationsService, notifications_config).start()
    tell(notifications_config["AMQP_URI"], "LinkRequested", link(member("en")))

    (written,) = eventually(
        lambda: list(Path(notifications_config["MAIL_DIR"]).glob("*.eml"))
    )

    assert b"Please confirm your e-mail address" in written.read_bytes()


@pytest.mark.parametrize("mode", ["starttls", "smtps"])
def test_mail_goes_over_tls_with_a_login_to_a_server_we_were_told_to_trust(
    container_factory, notifications_config, certificates, tmp_path, mode
):
    from tests.support.smtp import SecureSmtpSink

    sink = SecureSmtpSink(tmp_path / f"secure-{mode}", certificates, mode).start()
    try:
        settings = {
            **notifications_config,
            "SMTP_URL": sink.url,
            "SMTP_CA_FILE": certificates.ca_file,
        }
        container_factory(NotificationsService, settings).start()
        tell(settings["AMQP_URI"], "LinkRequested", link(member("cy")))

        (message,) = eventually(sink.messages)
    finally:
        sink.stop()

    assert message["Subject"] == "Cadarnhewch eich cyfeiriad e-bost"


def test_a_server_we_were_not_told_to_trust_gets_nothing(
    container_factory, notifications_config, certificates, tmp_path
):
    from tests.support.smtp import SecureSmtpSink

    sink = SecureSmtpSink(tmp_path / "untrusted", certificates).start()
    try:
        settings = {**notifications_config, "SMTP_URL": sink.url}
        container_factory(NotificationsService, settings).start()
        tell(settings["AMQP_URI"], "LinkRequested", link(member("cy")))
        url = settings["DATABASE_URL"]

        eventually(lambda: count(url, Delivery.status == "failed") == 1, timeout=30)
    finally:
        sink.stop()

    assert sink.messages() == []


def test_leaving_with_erasure_removes_the_address_and_log_recipients(
    container_factory, notifications_config, smtp_sink
):
    settings = {**notifications_config, "SMTP_URL": smtp_sink.url}
    container = container_factory(NotificationsService, settings)
    container.start()
    amqp, url = settings["AMQP_URI"], settings["DATABASE_URL"]
    data = known(amqp, member("cy", name="Enw Unigryw"), "unigryw@example.cymru")
    tell(amqp, "MemberVerified", {**data, "version": 2})
    eventually(smtp_sink.messages)
    eventually(lambda: count(url, Delivery.status == "sent") == 1)

    tell(
        amqp,
        "MemberLeft",
        {
            "member_id": data["member_id"],
            "version": 3,
            "reason": "left",
            "erase": True,
            "stories": "delete",
            "left_at": NOW,
        },
    )
    eventually(lambda: "unigryw@example.cymru" not in every_value_in(url))
    tell(
        amqp,
        "ContactDetailsChanged",
        {**contact(data, "unigryw@example.cymru"), "version": 9},
    )
    tell(amqp, "BadgeAwarded", badge_for(data))

    assert "Enw Unigryw" not in every_value_in(url)
    assert count(url, Delivery.template == "welcome") == 1  # the log line stays
    exported = rpc_export(container, data["member_id"])
    assert exported["contact"] is None
    assert exported["deliveries"][0]["recipient"] is None
    assert len(smtp_sink.messages()) == 1


def badge_for(data: dict) -> dict:
    badge_id = str(uuid.uuid4())
    return {
        "badge_id": badge_id,
        "member_id": data["member_id"],
        "edition": "Arwyr",
        "number": 1,
        "assertion_url": f"https://cyd.example.cymru/badges/{badge_id}",
        "image_url": f"https://cyd.example.cymru/badges/{badge_id}/image.svg",
        "awarded_at": NOW,
    }


def rpc_export(container, member_id: str) -> dict:
    from nameko.standalone.rpc import ServiceRpcProxy

    with ServiceRpcProxy("notifications", container.config) as proxy:
        return proxy.export_member(member_id)


def test_export_gives_back_what_is_kept_about_a_member(
    container_factory, notifications_config, smtp_sink
):
    settings = {**notifications_config, "SMTP_URL": smtp_sink.url}
    container = container_factory(NotificationsService, settings)
    container.start()
    data = known(settings["AMQP_URI"], member("en"), "export@example.cymru")
    tell(settings["AMQP_URI"], "BadgeAwarded", badge_for(data))
    eventually(smtp_sink.messages)

    exported = eventually(
        lambda: (
            (found := rpc_export(container, data["member_id"]))["deliveries"] and found
        )
    )

    assert exported["contact"]["email"] == "export@example.cymru"
    assert exported["member"]["status"] == "active"
    assert exported["deliveries"][0]["template"] == "badge_awarded"
    assert date.fromisoformat(exported["deliveries"][0]["created_at"][:10])


def test_the_welcome_goes_even_when_a_later_change_overtook_the_verification(
    over_smtp, notifications_config
):
    amqp, data = notifications_config["AMQP_URI"], member("cy", name="Mair")
    tell(amqp, "ContactDetailsChanged", contact(data, "mair@example.cymru"))
    tell(amqp, "MemberUpdated", {**data, "version": 3, "changed": ["language"]})
    tell(amqp, "MemberVerified", {**data, "version": 2})

    (message,) = eventually(over_smtp.messages)

    assert message["Subject"] == "Croeso i'r rhwydwaith cyd-gynhyrchu"


def test_a_member_who_joins_already_active_is_welcomed_on_joining(
    over_smtp, notifications_config
):
    amqp, data = notifications_config["AMQP_URI"], member("en", name="Ready")
    tell(amqp, "ContactDetailsChanged", contact(data, "ready@example.cymru"))
    tell(amqp, "MemberJoined", data)

    (message,) = eventually(over_smtp.messages)

    assert message["Subject"] == "Welcome to the co-production network"
