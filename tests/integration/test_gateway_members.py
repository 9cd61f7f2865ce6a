"""The membership area of the gateway over HTTP, with the real membership
service, broker and database: signing in, the access rules, the member's own
record, the drive, the badges and the export."""

import unicodedata
import uuid

import pytest
import requests
from nameko.rpc import rpc

from gateway.auth import COOKIE
from gateway.service import GatewayService
from services.membership.service import MembershipService
from services.stories.service import StoriesService
from tests.support.amqp import EventTap
from tests.support.membership import follow_link, form
from tests.support.sessions import TEST_SECRET, signed_in
from tests.support.smtp import free_port

COORDINATOR = signed_in("00000000-0000-4000-8000-00000000c001", "coordinator")


STORY = {
    "title": "Yr ardd",
    "text": "Plannodd y plant y coed, a'r henoed a ddewisodd ble.",
    "language": "cy",
    "sharing": "members",
    "answers": {
        "prompt": "turning_point",
        "feeling": {"choice": "positive"},
        "about": {"choice": "community"},
        "role": {"choice": "volunteering"},
    },
}


class DirectoryExport:
    """Stand-ins for services whose `export_member` is being built elsewhere."""

    name = "directory"

    @rpc
    def export_member(self, member_id):
        return {"listing": None}


class NotificationsExport:
    name = "notifications"

    @rpc
    def export_member(self, member_id):
        return {"deliveries": []}


@pytest.fixture
def web_config(config):
    address = f"127.0.0.1:{free_port()}"
    return {
        **config,
        "WEB_SERVER_ADDRESS": address,
        "PUBLIC_URL": f"http://{address}",
        "RPC_TIMEOUT": 5,
        "SECRET_KEY": TEST_SECRET,
    }


@pytest.fixture
def gateway(container_factory, web_config):
    container_factory(MembershipService, web_config).start()
    container_factory(GatewayService, web_config).start()
    return f"http://{web_config['WEB_SERVER_ADDRESS']}"


@pytest.fixture
def links(web_config):
    tap = EventTap(web_config["AMQP_URI"], "membership", "LinkRequested")
    yield tap
    tap.close()


def join_and_confirm(gateway, links, **overrides) -> tuple[str, dict]:
    """A member joins and confirms through the link page; their id and cookies."""
    requests.post(f"{gateway}/api/v1/members", json=form(**overrides))
    link = links.collect(len(links.seen) + 1)[-1]["data"]
    response = follow_link(gateway, f"/confirm/{link['token']}")
    assert response.status_code == 200
    return link["member_id"], {COOKIE: response.cookies[COOKIE]}


def test_the_link_page_only_shows_a_button_and_the_post_signs_in(gateway, links):
    requests.post(f"{gateway}/api/v1/members", json=form())
    token = links.collect(1)[0]["data"]["token"]

    page = requests.get(f"{gateway}/confirm/{token}")
    still = requests.get(f"{gateway}/confirm/{token}")
    forged = requests.post(f"{gateway}/confirm/{token}", data={"go": "1"})
    used = follow_link(gateway, f"/confirm/{token}")
    again = follow_link(gateway, f"/confirm/{token}")

    assert page.status_code == still.status_code == 200
    assert f'action="/confirm/{token}"' in page.text
    assert COOKIE not in page.cookies
    assert forged.status_code == 403  # a form without our page's token
    assert used.status_code == 200 and COOKIE in used.cookies
    assert again.status_code == 400
    me = requests.get(f"{gateway}/api/v1/members/me", cookies=used.cookies)
    assert me.json()["status"] == "active"


def test_signing_in_answers_the_same_for_anyone(gateway, links):
    join_and_confirm(gateway, links)

    known = requests.post(
        f"{gateway}/api/v1/sign-in", json={"email": "gwen.wyn@example.cymru"}
    )
    unknown = requests.post(
        f"{gateway}/api/v1/sign-in", json={"email": "neb@example.cymru"}
    )

    assert (known.status_code, known.json()) == (unknown.status_code, unknown.json())
    assert known.status_code == 202
    (sign_in,) = [e for e in links.collect(2) if e["data"]["purpose"] == "sign_in"]
    token = sign_in["data"]["token"]
    assert "Mewngofnodi" in requests.get(f"{gateway}/sign-in/{token}").text
    signed = follow_link(gateway, f"/sign-in/{token}")
    assert COOKIE in signed.cookies


def test_signing_out_ends_the_session(gateway, links):
    _, cookies = join_and_confirm(gateway, links)

    out = requests.post(f"{gateway}/api/v1/sign-out", json={}, cookies=cookies)

    assert out.status_code == 204
    assert "Max-Age=0" in out.headers["Set-Cookie"]


def test_a_member_sees_their_own_record_and_nobody_elses(gateway, links):
    alys, alys_cookies = join_and_confirm(gateway, links)
    bryn, _ = join_and_confirm(gateway, links, email="bryn@example.cymru")

    own = requests.get(f"{gateway}/api/v1/members/{alys}", cookies=alys_cookies)
    other = requests.get(f"{gateway}/api/v1/members/{bryn}", cookies=alys_cookies)
    anonymous = requests.get(f"{gateway}/api/v1/members/{alys}")
    coordinator = requests.get(f"{gateway}/api/v1/members/{bryn}", cookies=COORDINATOR)

    assert own.status_code == 200 and own.json()["email"] == "Gwen.Wyn@example.cymru"
    assert (other.status_code, anonymous.status_code) == (403, 401)
    assert coordinator.json()["id"] == bryn


def test_coordinators_list_members_page_by_page(gateway, links):
    join_and_confirm(gateway, links)
    join_and_confirm(gateway, links, email="bryn@example.cymru")

    page = requests.get(
        f"{gateway}/api/v1/members",
        params={"status": "active", "per_page": 1, "page": 2},
        cookies=COORDINATOR,
    ).json()

    assert (page["total"], page["page"], page["per_page"]) == (2, 2, 1)
    assert len(page["items"]) == 1


def test_a_member_changes_their_record_and_promise(gateway, links):
    me, cookies = join_and_confirm(gateway, links)
    base = f"{gateway}/api/v1/members/{me}"

    changed = requests.patch(
        base, json={"language": "en", "consents": {"listed": False}}, cookies=cookies
    )
    promised = requests.post(
        f"{base}/promises", json={"text": "Byddaf yn rhannu'r agenda."}, cookies=cookies
    )
    history = requests.get(f"{base}/consents", cookies=cookies).json()
    versions = requests.get(f"{base}/promises", cookies=cookies).json()

    assert changed.json()["consents"]["listed"] is False
    assert promised.status_code == 201
    assert history["items"][-1]["consent"] == "listed"
    assert [p["number"] for p in versions["items"]] == [2, 1]


MEMBER_ROUTE_MISTAKES = [
    ("patch", "", {"postcode": "dim"}, "postcode"),
    ("patch", "", {"consents": {"privacy": False}}, "consents"),
    ("patch", "", {"name": "a\u0007b", "area": "Atlantis"}, "area"),
    ("post", "/promises", {"text": "byr"}, "text"),
    ("post", "/principles", {"version": "9"}, "version"),
    ("post", "/leave", {"stories": "keep"}, "stories"),
]
OTHER_ROUTE_MISTAKES = [
    ("/api/v1/sign-in", {"email": "na"}, "email"),
    ("/api/v1/campaigns", {"name": "X", "target": 0}, "target"),
    ("/api/v1/principles", {}, "version"),
    ("/api/v1/members", {**form(), "consents": {"privacy": False}}, "consents"),
    ("/api/v1/badges/nid-rhif/revoke", {}, "badge_id"),
]
LOOKUP_MISTAKES = [
    ("/api/v1/members?page=0", "page"),
    ("/api/v1/members?status=asleep", "status"),
    ("/api/v1/campaigns?per_page=1000", "per_page"),
    ("/api/v1/campaigns/dim/progress", "campaign_id"),
    ("/api/v1/members/nid-aelod", "member_id"),
    ("/badges/nid-bathodyn", "badge_id"),
    ("/badges/editions/<b>", "edition"),
]


def test_bad_input_to_a_member_route_names_the_field(gateway, links):
    me, cookies = join_and_confirm(gateway, links)

    for method, path, body, field in MEMBER_ROUTE_MISTAKES:
        response = getattr(requests, method)(
            f"{gateway}/api/v1/members/{me}{path}", json=body, cookies=cookies
        )

        assert response.status_code == 400, path
        assert field in response.json()["errors"], path


def test_bad_input_to_other_routes_names_the_field(gateway):
    for path, body, field in OTHER_ROUTE_MISTAKES:
        response = requests.post(f"{gateway}{path}", json=body, cookies=COORDINATOR)

        assert response.status_code == 400, path
        assert field in response.json()["errors"], path


def test_hostile_input_is_refused_and_markup_is_kept_as_text(gateway, links):
    hostile = form(name="x" * 5000, about_life="nul\u0000", interests=["a\nb"])

    refused = requests.post(f"{gateway}/api/v1/members", json=hostile)
    _, cookies = join_and_confirm(
        gateway, links, name="<img src=x onerror=alert(1)>", role="<b>Prif</b>"
    )

    assert refused.status_code == 400
    assert set(refused.json()["errors"]) == {"name", "about_life", "interests"}
    me = requests.get(f"{gateway}/api/v1/members/me", cookies=cookies)
    assert me.headers["Content-Type"].startswith("application/json")
    assert (me.json()["name"], me.json()["role"]) == (
        "<img src=x onerror=alert(1)>",
        "<b>Prif</b>",
    )


def test_welsh_is_kept_exactly_as_typed_in_nfc(gateway, links):
    typed = unicodedata.normalize("NFD", "Gwenllïan ap Siôn o Dŷ'r Ŵyn")

    _, cookies = join_and_confirm(gateway, links, name=typed, about_work=typed)

    me = requests.get(f"{gateway}/api/v1/members/me", cookies=cookies).json()
    assert me["name"] == me["about_work"] == "Gwenllïan ap Siôn o Dŷ'r Ŵyn"
    assert unicodedata.is_normalized("NFC", me["name"])


def test_bad_lookups_name_the_field(gateway):
    for path, field in LOOKUP_MISTAKES:
        response = requests.get(f"{gateway}{path}", cookies=COORDINATOR)

        assert response.status_code == 400, path
        assert field in response.json()["errors"], path


@pytest.fixture
def stories(container_factory, web_config, new_database):
    stories_config = {**web_config, "DATABASE_URL": new_database("stories")}
    container_factory(StoriesService, stories_config).start()


def test_a_story_on_the_form_is_checked_first_and_passed_on(
    gateway, stories, web_config
):
    told = EventTap(web_config["AMQP_URI"], "membership", "BaselineStoryTold")
    joined = EventTap(web_config["AMQP_URI"], "membership", "MemberJoined")
    wrong = {**STORY, "answers": {**STORY["answers"], "feeling": {"choice": "x"}}}

    bad = requests.post(f"{gateway}/api/v1/members", json=form(story=wrong))
    good = requests.post(f"{gateway}/api/v1/members", json=form(story=STORY))

    (event,) = told.collect(1)
    assert (bad.status_code, good.status_code) == (400, 202)
    assert "answers" in bad.json()["errors"]["story"]
    assert event["data"]["story"] == STORY
    assert len(joined.collect(2, timeout=3)) == 1
    told.close()
    joined.close()


def test_an_idempotency_key_makes_a_repeat_answer_as_the_first(gateway, links):
    headers = {"Idempotency-Key": "ffurflen-1"}

    first = requests.post(f"{gateway}/api/v1/members", json=form(), headers=headers)
    again = requests.post(f"{gateway}/api/v1/members", json=form(), headers=headers)

    assert (again.status_code, again.json()) == (first.status_code, first.json())
    assert len(links.collect(2, timeout=3)) == 1


def test_the_badge_is_public_linked_data_and_a_revoked_one_is_gone(gateway, links):
    me, cookies = join_and_confirm(gateway, links)
    badge = requests.get(f"{gateway}/api/v1/members/{me}/badge", cookies=cookies)
    badge = badge.json()["badge"]

    assertion = requests.get(badge["assertion_url"])
    image = requests.get(badge["image_url"])
    badge_class = requests.get(assertion.json()["badge"])
    issuer = requests.get(badge_class.json()["issuer"])
    refused = requests.post(
        f"{gateway}/api/v1/badges/{badge['badge_id']}/revoke", json={}, cookies=cookies
    )
    revoked = requests.post(
        f"{gateway}/api/v1/badges/{badge['badge_id']}/revoke",
        json={"reason": "Prawf"},
        cookies=COORDINATOR,
    )

    assert assertion.headers["Content-Type"].startswith("application/ld+json")
    assert assertion.json()["type"] == "Assertion"
    assert image.headers["Content-Type"].startswith("image/svg+xml")
    assert "№ 1" in image.text
    assert (badge_class.json()["type"], issuer.json()["type"]) == (
        "BadgeClass",
        "Issuer",
    )
    assert (refused.status_code, revoked.status_code) == (403, 200)
    gone = requests.get(badge["assertion_url"])
    assert (gone.status_code, gone.json()["revoked"]) == (410, True)


def test_the_drive_is_for_people_signed_in_and_set_by_coordinators(gateway, links):
    _, cookies = join_and_confirm(gateway, links)
    drive = {
        "name": "Hydref",
        "target": 30,
        "starts_on": "2027-09-01",
        "deadline": "2027-11-30",
    }

    progress = requests.get(
        f"{gateway}/api/v1/campaigns/current/progress", cookies=cookies
    )
    anonymous = requests.get(f"{gateway}/api/v1/campaigns/current/progress")
    by_member = requests.post(
        f"{gateway}/api/v1/campaigns", json=drive, cookies=cookies
    )
    by_coordinator = requests.post(
        f"{gateway}/api/v1/campaigns", json=drive, cookies=COORDINATOR
    )

    assert progress.json()["active_now"] == 1
    assert progress.json()["pace"]["on_track"] in (True, False)
    assert (anonymous.status_code, by_member.status_code) == (401, 403)
    assert by_coordinator.status_code == 201
    listed = requests.get(f"{gateway}/api/v1/campaigns", cookies=cookies).json()
    assert listed["total"] == 2


def test_the_principles_are_public_and_published_by_coordinators(gateway, links):
    _, cookies = join_and_confirm(gateway, links)

    shown = requests.get(f"{gateway}/api/v1/principles")
    by_member = requests.post(
        f"{gateway}/api/v1/principles", json={"version": "2"}, cookies=cookies
    )

    assert shown.json()["version"] == "1"
    assert len(shown.json()["principles"]) == 5
    assert by_member.status_code == 403


def test_leaving_ends_the_session_and_a_coordinator_can_remove(
    gateway, links, web_config
):
    alys, cookies = join_and_confirm(gateway, links)
    bryn, _ = join_and_confirm(gateway, links, email="bryn@example.cymru")
    tap = EventTap(web_config["AMQP_URI"], "membership", "MemberLeft")

    left = requests.post(
        f"{gateway}/api/v1/members/{alys}/leave", json={"erase": True}, cookies=cookies
    )
    removed = requests.post(
        f"{gateway}/api/v1/members/{bryn}/leave", json={}, cookies=COORDINATOR
    )

    assert left.json()["status"] == "left"
    assert "Max-Age=0" in left.headers["Set-Cookie"]
    assert removed.status_code == 200
    reasons = sorted(e["data"]["reason"] for e in tap.collect(2))
    tap.close()
    assert reasons == ["left", "removed"]


def test_the_export_gathers_every_service(
    gateway, links, stories, container_factory, web_config
):
    for fake in (DirectoryExport, NotificationsExport):
        container_factory(fake, web_config).start()
    me, cookies = join_and_confirm(gateway, links)

    document = requests.get(f"{gateway}/api/v1/members/{me}/export", cookies=cookies)

    services = document.json()["services"]
    assert set(services) == {"membership", "stories", "directory", "notifications"}
    assert services["membership"]["member"]["email"] == "Gwen.Wyn@example.cymru"
    assert services["stories"]["stories"] == []


def test_an_export_missing_a_service_is_not_given_in_part(gateway, links):
    me, cookies = join_and_confirm(gateway, links)

    document = requests.get(
        f"{gateway}/api/v1/members/{me}/export", cookies=cookies, timeout=30
    )

    assert document.status_code == 503


def test_a_story_sent_again_with_its_idempotency_key_is_one_story(gateway, stories):
    teller = signed_in(str(uuid.uuid4()))
    headers = {"Idempotency-Key": "stori-1"}
    url = f"{gateway}/api/v1/stories"

    first = requests.post(url, json=STORY, cookies=teller, headers=headers)
    again = requests.post(url, json=STORY, cookies=teller, headers=headers)
    other = {**STORY, "title": "Stori arall"}
    reused = requests.post(url, json=other, cookies=teller, headers=headers)

    assert (first.status_code, again.status_code) == (201, 201)
    assert again.headers["Location"] == first.headers["Location"]
    assert again.json() == first.json()
    assert reused.status_code == 409
    assert reused.headers["Content-Type"] == "application/problem+json"
    mine = requests.get(f"{gateway}/api/v1/stories", cookies=COORDINATOR).json()
    assert [s["id"] for s in mine["items"]] == [first.json()["id"]]
