"""The coordinators' pages over HTTP with the real membership and
notifications services: members, the drive, the newsletter from draft to
sending, parked messages and API keys; only coordinators see them, and what
people typed comes back escaped."""

import json

import pytest
import requests
from kombu import Connection, Exchange, Producer

from gateway.service import GatewayService
from services.membership.service import MembershipService
from services.notifications.service import NotificationsService
from tests.support.browsing import PAGE, browser, post_form
from tests.support.membership import form
from tests.support.partners import COORDINATOR, bearer
from tests.support.sessions import TEST_SECRET, signed_in
from tests.support.smtp import free_port
from tests.support.waiting import eventually

SCRIPT = '<script>alert("x")</script>'
ESCAPED = "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;"
MEMBER = signed_in("00000000-0000-4000-8000-00000000a003", "member")
PAGES = ["", "/members", "/newsletter", "/parked", "/api-keys"]


@pytest.fixture
def site(container_factory, notifications_config, new_database, smtp_sink):
    address = f"127.0.0.1:{free_port()}"
    settings = {
        **notifications_config,
        "SMTP_URL": smtp_sink.url,
        "WEB_SERVER_ADDRESS": address,
        "SECRET_KEY": TEST_SECRET,
        "RPC_TIMEOUT": 10,
    }
    container_factory(NotificationsService, settings).start()
    membership = {**settings, "DATABASE_URL": new_database("membership")}
    container_factory(MembershipService, membership).start()
    container_factory(GatewayService, settings).start()
    return f"http://{address}"


@pytest.fixture
def coordinator():
    return browser(COORDINATOR)


@pytest.mark.parametrize("path", PAGES)
def test_only_coordinators_see_the_coordinators_pages(site, coordinator, path):
    url = f"{site}/coordinators{path}"

    assert requests.get(url, headers=PAGE).status_code == 401
    assert browser(MEMBER).get(url).status_code == 403
    assert coordinator.get(url).status_code == 200


def test_members_see_the_drive_but_only_coordinators_start_one(site, coordinator):
    seen = browser(MEMBER).get(f"{site}/coordinators/drive")
    drive = {"name": "x", "target": "5", "starts_on": "2026-12-01"}
    started = post_form(
        browser(MEMBER),
        f"{site}/suggest",  # any page with a form gives the form token
        f"{site}/coordinators/drive",
        {**drive, "deadline": "2027-01-01"},
    )

    assert seen.status_code == 200 and 'action="/coordinators/drive"' not in seen.text
    assert started.status_code == 403


def test_the_members_page_lists_members_by_status_escaped(site, coordinator):
    requests.post(f"{site}/api/v1/members", json=form(name=f"Siân {SCRIPT}"))

    pending = coordinator.get(f"{site}/coordinators/members?status=pending").text
    active = coordinator.get(f"{site}/coordinators/members?status=active").text

    assert f"Siân {ESCAPED}" in pending and "<script>" not in pending
    assert "gwen.wyn@example.cymru" in pending.casefold()
    assert "Members shown: 0" in active


def test_a_drive_is_started_on_its_page_and_its_progress_shown(site, coordinator):
    drive = f"{site}/coordinators/drive"
    backwards = {"starts_on": "2027-07-31", "deadline": "2027-01-01"}
    wrong = post_form(
        coordinator, drive, drive, {"name": "x", "target": "120", **backwards}
    )
    started = post_form(
        coordinator, drive, drive,
        {"name": f"Haf {SCRIPT}", "target": "120", "starts_on": "2026-12-01",
         "deadline": "2027-07-31"},
    )  # fmt: skip

    assert wrong.status_code == 400 and 'id="deadline-error"' in wrong.text
    assert started.status_code == 200
    assert f"Haf {ESCAPED}" in started.text
    assert "Active members: 0 of 120" in started.text


def test_a_newsletter_is_drafted_edited_and_sent_from_its_pages(site, coordinator):
    listing = f"{site}/coordinators/newsletter"
    drafted = post_form(coordinator, listing, listing, {})
    issue = drafted.url
    edited = post_form(
        coordinator,
        issue,
        issue,
        {"title_cy": f"Rhifyn {SCRIPT}", "title_en": "Winter news"},
    )
    unconfirmed = post_form(coordinator, issue, f"{issue}/send", {})
    preview = coordinator.get(f"{issue}/preview?language=cy")
    sent = post_form(coordinator, issue, f"{issue}/send", {"confirm": "yes"})

    assert drafted.status_code == 200 and "/coordinators/newsletter/" in issue
    assert f"Rhifyn {ESCAPED}" in edited.text and "<script>" not in edited.text
    assert unconfirmed.status_code == 400 and 'id="confirm-error"' in unconfirmed.text
    assert "<script>alert" not in preview.text
    assert sent.status_code == 200 and "Recipients:" in sent.text
    assert "Winter news" in coordinator.get(listing).text
    archive = eventually(
        lambda: (
            "Rhifyn" in (got := browser(language="cy").get(f"{site}/newsletter")).text
            and got.text
        )
    )
    assert f"Rhifyn {ESCAPED}" in archive and "<script>" not in archive


def park_a_broken_event(amqp_uri: str) -> None:
    body = {"id": SCRIPT, "type": "MemberJoined", "subject": SCRIPT}
    exchange = Exchange("membership.events", type="topic", durable=True)
    with Connection(amqp_uri) as connection:
        Producer(connection.default_channel).publish(
            json.dumps(body).encode(),
            exchange=exchange,
            routing_key="MemberJoined",
            content_type="application/json",
            content_encoding="utf-8",
        )


def test_a_parked_message_is_listed_escaped_and_sent_back(
    site, coordinator, notifications_config
):
    park_a_broken_event(notifications_config["AMQP_URI"])
    parked = f"{site}/coordinators/parked"

    shown = eventually(
        lambda: (page := coordinator.get(parked).text).count("MemberJoined") and page,
        timeout=30,
    )
    api = coordinator.get(f"{site}/api/v1/parked").json()["services"]
    queue = next(m["queue"] for m in api["notifications"])
    replayed = post_form(
        coordinator, parked, f"{parked}/replay",
        {"service": "notifications", "queue": queue, "message_id": ""},
    )  # fmt: skip

    assert ESCAPED in shown and "<script>" not in shown
    assert "not answering" in shown  # stories and directory are not running
    assert api["stories"] is None and api["membership"] == []
    assert replayed.status_code == 200 and "replayed=1" in replayed.url


def test_a_key_made_on_its_page_is_shown_once_and_revoked_there(site, coordinator):
    keys = f"{site}/coordinators/api-keys"
    made = post_form(
        coordinator, keys, keys,
        {"partner": "cyngor-sir-benfro", "label": f"Map {SCRIPT}",
         "scopes": ["webhooks:manage"]},
    )  # fmt: skip
    key = made.text.split("<code>")[1].split("</code>")[0]
    later = coordinator.get(keys).text
    key_id = later.split("/coordinators/api-keys/")[1].split("/revoke")[0]

    works = requests.get(f"{site}/api/v1/partner/webhooks", headers=bearer(key))
    post_form(coordinator, keys, f"{keys}/{key_id}/revoke", {})
    revoked = requests.get(f"{site}/api/v1/partner/webhooks", headers=bearer(key))

    assert made.status_code == 201 and key.startswith("cpn_")
    assert made.headers["Cache-Control"] == "no-store"
    assert key not in later and f"Map {ESCAPED}" in later
    assert (works.status_code, revoked.status_code) == (200, 401)
