"""The notifications routes through the gateway over HTTP: who may use them, the
newsletter from draft to archive, and unsubscribing (GET asks, POST acts)."""

import base64

import pytest
import requests

from gateway.service import GatewayService
from services.membership.service import MembershipService
from services.notifications.service import NotificationsService
from tests.support.amqp import publish_event
from tests.support.members import contact, snapshot
from tests.support.partners import bearer, new_key
from tests.support.sessions import TEST_SECRET, signed_in
from tests.support.smtp import free_port
from tests.support.waiting import eventually

COORDINATOR = signed_in("6a4f1f0e-0000-4000-8000-000000000001", "coordinator")
EN = {"Accept-Language": "en"}
MEMBER = signed_in("6a4f1f0e-0000-4000-8000-000000000002", "member")


@pytest.fixture
def site(container_factory, notifications_config, smtp_sink, new_database):
    address = f"127.0.0.1:{free_port()}"
    settings = {
        **notifications_config,
        "SMTP_URL": smtp_sink.url,
        "WEB_SERVER_ADDRESS": address,
        "SECRET_KEY": TEST_SECRET,
        "RPC_TIMEOUT": 10,
        "WEBHOOK_ALLOW_PRIVATE": True,
    }
    membership = {**settings, "DATABASE_URL": new_database("membership")}
    container_factory(NotificationsService, settings).start()
    container_factory(MembershipService, membership).start()
    container_factory(GatewayService, settings).start()
    return f"http://{address}"


@pytest.fixture
def partner(site):
    """Headers carrying a real API key of partner `name` with `scopes`."""
    made: dict[tuple[str, str], dict[str, str]] = {}

    def key_of(name: str, scopes: str = "webhooks:manage") -> dict[str, str]:
        if (name, scopes) not in made:
            made[name, scopes] = bearer(new_key(site, name, scopes.split()))
        return made[name, scopes]

    return key_of


def subscriber(amqp: str, language: str, email: str) -> dict:
    data = snapshot("Tanysgrifiwr", language=language)
    data["consents"]["newsletter"] = True
    publish_event(
        amqp, "ContactDetailsChanged", data["member_id"], contact(data, email)
    )
    publish_event(amqp, "MemberVerified", data["member_id"], data)
    return data


@pytest.mark.parametrize(
    ("path", "cookies", "status"),
    [
        ("/api/v1/notifications/deliveries", {}, 401),
        ("/api/v1/notifications/deliveries", MEMBER, 403),
        ("/api/v1/notifications/deliveries", COORDINATOR, 200),
        ("/api/v1/notifications/deliveries/failed", MEMBER, 403),
        ("/api/v1/notifications/deliveries/failed", COORDINATOR, 200),
        ("/api/v1/newsletter/issues", {}, 401),
        ("/api/v1/newsletter/issues", MEMBER, 403),
        ("/api/v1/newsletter/issues", COORDINATOR, 200),
        ("/api/v1/newsletter/archive", {}, 200),
        ("/newsletter", {}, 200),
        ("/api/v1/partner/webhooks", {}, 401),
        ("/api/v1/partner/webhooks", COORDINATOR, 403),
    ],
)
def test_each_route_lets_in_whom_its_rule_names(site, path, cookies, status):
    assert requests.get(site + path, cookies=cookies, timeout=20).status_code == status


def test_a_partner_needs_the_webhooks_scope(site, partner):
    hooks = f"{site}/api/v1/partner/webhooks"
    form = {"url": "https://127.0.0.1:9/x", "event_types": ["MemberVerified"]}

    refused = requests.post(hooks, json=form, headers=partner("p1", "directory:read"))
    made = requests.post(hooks, json=form, headers=partner("p1"))
    others = requests.get(hooks, headers=partner("p2"))
    mine = requests.get(hooks, headers=partner("p1"))

    assert refused.status_code == 403
    assert made.status_code == 201 and made.json()["secret"].startswith("whsec_")
    assert made.headers["Location"] == f"/api/v1/partner/webhooks/{made.json()['id']}"
    assert others.json()["total"] == 0
    assert [h["id"] for h in mine.json()["items"]] == [made.json()["id"]]
    hook = made.headers["Location"]
    assert requests.get(site + hook, headers=partner("p2")).status_code == 404
    paused = requests.patch(
        site + hook, json={"status": "paused"}, headers=partner("p1")
    )
    assert paused.json()["status"] == "paused"
    log = requests.get(f"{site}{hook}/deliveries", headers=partner("p1"))
    assert log.json() == {"items": [], "total": 0, "page": 1, "per_page": 20}
    assert requests.delete(site + hook, headers=partner("p1")).status_code == 204


def test_a_partner_asking_for_an_internal_event_is_told_which_field(site, partner):
    response = requests.post(
        f"{site}/api/v1/partner/webhooks",
        json={"url": "https://127.0.0.1:9/x", "event_types": ["LinkRequested"]},
        headers=partner("p1"),
    )

    assert response.status_code == 400
    assert "event_types" in response.json()["errors"]


def test_a_coordinator_drafts_edits_previews_and_sends_an_issue(
    site, notifications_config, smtp_sink
):
    amqp = notifications_config["AMQP_URI"]
    subscriber(amqp, "cy", "darllenydd@example.cymru")
    eventually(lambda: len(smtp_sink.messages()) == 1)  # the welcome
    issues = f"{site}/api/v1/newsletter/issues"

    draft = requests.post(issues, json={}, cookies=COORDINATOR)
    where = site + draft.headers["Location"]
    edited = requests.patch(
        where, json={"title_cy": "Newyddion <Mai>"}, cookies=COORDINATOR
    )
    bad = requests.patch(where, json={"title_en": ""}, cookies=COORDINATOR)
    preview = requests.get(
        f"{where}/preview", params={"language": "cy"}, cookies=COORDINATOR
    )
    sent = requests.post(f"{where}/send", json={}, cookies=COORDINATOR)
    again = requests.post(f"{where}/send", json={}, cookies=COORDINATOR)

    assert draft.status_code == 201
    assert edited.json()["content"]["title"]["cy"] == "Newyddion <Mai>"
    assert bad.status_code == 400 and "title_en" in bad.json()["errors"]
    assert preview.json()["subject"] == "Newyddion <Mai>"
    assert "Newyddion &lt;Mai&gt;" in preview.json()["html"]
    assert sent.status_code == 202 and sent.json()["recipients"] == 1
    assert again.status_code == 409
    progress = site + sent.headers["Location"]
    eventually(
        lambda: requests.get(progress, cookies=COORDINATOR).json()["status"] == "sent"
    )
    archive = requests.get(f"{site}/newsletter")
    page = requests.get(f"{site}/newsletter/1")
    assert "Rhifyn 1: Newyddion &lt;Mai&gt;" in archive.text
    assert page.status_code == 200 and "Newyddion &lt;Mai&gt;" in page.text
    log = requests.get(
        f"{site}/api/v1/notifications/deliveries",
        params={"template": "newsletter"},
        cookies=COORDINATOR,
    ).json()
    assert [(d["recipient"], d["status"]) for d in log["items"]] == [
        ("darllenydd@example.cymru", "sent")
    ]


def unsubscribe_link(site, amqp, smtp_sink) -> str:
    subscriber(amqp, "en", "reader@example.cymru")
    eventually(lambda: len(smtp_sink.messages()) == 1)
    issues = f"{site}/api/v1/newsletter/issues"
    draft = requests.post(issues, json={}, cookies=COORDINATOR)
    requests.post(f"{issues}/{draft.json()['id']}/send", json={}, cookies=COORDINATOR)
    issue = eventually(
        lambda: [m for m in smtp_sink.messages() if m["List-Unsubscribe"]]
    )[0]
    return issue["List-Unsubscribe"].strip("<>")


def still_subscribed(site, link: str) -> bool:
    page = requests.get(site + "/unsubscribe/" + link.rsplit("/", 1)[1], headers=EN)
    return "press the button to unsubscribe" in page.text


def test_opening_the_link_asks_and_only_the_one_click_post_unsubscribes(
    site, notifications_config, smtp_sink
):
    link = unsubscribe_link(site, notifications_config["AMQP_URI"], smtp_sink)
    local = site + "/unsubscribe/" + link.rsplit("/", 1)[1]

    opened = [requests.get(local, headers=EN) for _ in range(3)]
    assert all(page.status_code == 200 for page in opened)
    assert still_subscribed(site, link)
    one_click = requests.post(local, data={"List-Unsubscribe": "One-Click"}, headers=EN)

    assert link.startswith("https://cyd.example.cymru/unsubscribe/")
    assert 'method="post"' in opened[0].text
    assert one_click.status_code == 200
    assert "You have unsubscribed" in one_click.text
    assert not still_subscribed(site, link)


def test_a_tampered_or_made_up_link_changes_nothing(
    site, notifications_config, smtp_sink
):
    link = unsubscribe_link(site, notifications_config["AMQP_URI"], smtp_sink)
    token = link.rsplit("/", 1)[1]
    payload, _, signature = token.rpartition(".")
    forged = base64.urlsafe_b64encode(b'"someone-else"').decode().rstrip("=")

    for bad in (f"{payload}.{signature[::-1]}", f"{forged}.{signature}", "guess"):
        assert requests.get(f"{site}/unsubscribe/{bad}").status_code == 404
        assert requests.post(f"{site}/unsubscribe/{bad}").status_code == 404

    assert still_subscribed(site, link)
