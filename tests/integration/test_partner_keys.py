"""Partner systems' API keys over HTTP, with the real membership and
notifications services: coordinators make and revoke them, only a hash is kept,
and the webhooks routes go by the key's partner and scopes."""

import hashlib

import pytest
import requests
from sqlalchemy import select

from gateway.service import GatewayService
from services.membership.models import ApiKey
from services.membership.service import MembershipService
from services.notifications.service import NotificationsService
from tests.support.membership import migrated_sessions
from tests.support.partners import COORDINATOR, bearer, new_key
from tests.support.sessions import TEST_SECRET, signed_in
from tests.support.smtp import free_port

MEMBER = signed_in("00000000-0000-4000-8000-00000000a001", "member")
HOOK = {"url": "https://127.0.0.1:9/x", "event_types": ["MemberVerified"]}


@pytest.fixture
def membership_url(new_database):
    return new_database("membership")


@pytest.fixture
def site(container_factory, notifications_config, membership_url):
    address = f"127.0.0.1:{free_port()}"
    settings = {
        **notifications_config,
        "WEB_SERVER_ADDRESS": address,
        "SECRET_KEY": TEST_SECRET,
        "RPC_TIMEOUT": 10,
        "WEBHOOK_ALLOW_PRIVATE": True,
    }
    container_factory(NotificationsService, settings).start()
    membership = {**settings, "DATABASE_URL": membership_url}
    container_factory(MembershipService, membership).start()
    container_factory(GatewayService, settings).start()
    return f"http://{address}"


def hooks(site: str, headers: dict) -> requests.Response:
    return requests.get(f"{site}/api/v1/partner/webhooks", headers=headers, timeout=20)


def test_a_new_key_is_shown_once_and_lists_never_show_it(site):
    made = requests.post(
        f"{site}/api/v1/api-keys",
        json={
            "partner": "cyngor-caerdydd",
            "label": "Cysoni",
            "scopes": ["directory:read"],
        },
        cookies=COORDINATOR,
    )
    listed = requests.get(f"{site}/api/v1/api-keys", cookies=COORDINATOR).json()

    assert made.status_code == 201
    assert made.headers["Cache-Control"] == "no-store"
    assert made.json()["key"].startswith("cpn_")
    assert listed["total"] == 1
    assert listed["items"][0]["id"] == made.json()["id"]
    assert made.json()["key"] not in str(listed)
    assert "key" not in listed["items"][0]
    assert listed["items"][0]["created_by"] == "00000000-0000-4000-8000-0000000000c0"


def test_only_a_hash_of_the_key_is_stored(site, membership_url):
    key = new_key(site, "cyngor-powys", ["webhooks:manage"])
    sessions = migrated_sessions(membership_url)

    with sessions() as session:
        row = session.scalar(select(ApiKey))
    sessions.kw["bind"].dispose()

    secret = key.split("_", 2)[2]
    assert row.secret_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in str(vars(row))


@pytest.mark.parametrize("how", ["bearer", "x-api-key"])
def test_a_key_with_the_webhooks_scope_manages_its_partners_webhooks(site, how):
    key = new_key(site, "cyngor-gwynedd", ["webhooks:manage"])
    headers = bearer(key) if how == "bearer" else {"X-API-Key": key}

    made = requests.post(f"{site}/api/v1/partner/webhooks", json=HOOK, headers=headers)

    assert made.status_code == 201
    assert [h["id"] for h in hooks(site, headers).json()["items"]] == [
        made.json()["id"]
    ]


def test_keys_of_one_partner_share_its_webhooks_and_no_other_partner_sees_them(site):
    first = bearer(new_key(site, "trydydd-sector", ["webhooks:manage"]))
    second = bearer(new_key(site, "trydydd-sector", ["webhooks:manage"]))
    stranger = bearer(new_key(site, "rhywun-arall", ["webhooks:manage"]))

    requests.post(f"{site}/api/v1/partner/webhooks", json=HOOK, headers=first)

    assert hooks(site, second).json()["total"] == 1
    assert hooks(site, stranger).json()["total"] == 0


def test_a_key_without_the_scope_is_forbidden_the_webhooks(site):
    key = new_key(site, "darllenydd", ["directory:read"])

    assert hooks(site, bearer(key)).status_code == 403


def test_a_revoked_key_is_refused_at_once(site):
    key = new_key(site, "cyngor-ceredigion", ["webhooks:manage"])
    key_id = requests.get(f"{site}/api/v1/api-keys", cookies=COORDINATOR).json()[
        "items"
    ][0]["id"]
    before = hooks(site, bearer(key))

    revoked = requests.delete(f"{site}/api/v1/api-keys/{key_id}", cookies=COORDINATOR)
    after = hooks(site, bearer(key))

    assert before.status_code == 200
    assert revoked.json()["revoked_at"]
    assert after.status_code == 401
    assert after.headers["WWW-Authenticate"].startswith("Bearer")
    live = requests.get(f"{site}/api/v1/api-keys", cookies=COORDINATOR).json()
    assert live["total"] == 0


@pytest.mark.parametrize(
    "offered",
    ["cpn_000000000000_" + "x" * 43, "not-a-key", "cpn_" + "é" * 60, "x" * 5000],
)
def test_an_unknown_or_malformed_key_is_refused_not_taken_for_nobody(site, offered):
    response = requests.get(
        f"{site}/api/v1/newsletter/archive", headers={"X-API-Key": offered}
    )

    assert response.status_code == 401
    assert response.headers["Content-Type"] == "application/problem+json"


def test_a_known_key_with_a_wrong_secret_is_refused(site):
    key = new_key(site, "cyngor-conwy", ["webhooks:manage"])
    tampered = key[:-4] + ("aaaa" if not key.endswith("aaaa") else "bbbb")

    assert hooks(site, bearer(tampered)).status_code == 401


@pytest.mark.parametrize(
    ("cookies", "headers", "status"),
    [({}, {}, 401), (MEMBER, {}, 403), ({}, "partner", 403)],
)
def test_only_coordinators_make_keys(site, cookies, headers, status):
    if headers == "partner":
        headers = bearer(new_key(site, "partner-x", ["webhooks:manage"]))
    form = {"partner": "newydd", "label": "Allwedd", "scopes": ["directory:read"]}

    made = requests.post(
        f"{site}/api/v1/api-keys", json=form, cookies=cookies, headers=headers
    )
    listed = requests.get(f"{site}/api/v1/api-keys", cookies=cookies, headers=headers)

    assert (made.status_code, listed.status_code) == (status, status)


def test_a_key_with_an_unknown_scope_or_partner_name_is_told_which_field(site):
    made = requests.post(
        f"{site}/api/v1/api-keys",
        json={"partner": "Cyngor <b>", "label": "x", "scopes": ["everything"]},
        cookies=COORDINATOR,
    )

    assert made.status_code == 400
    assert {"partner", "scopes"} <= set(made.json()["errors"])
