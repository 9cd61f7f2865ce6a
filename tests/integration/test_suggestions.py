"""Suggestions to improve the forms, over HTTP with the real membership
service: anyone suggests, a coordinator reads and answers on their page, and
what people typed comes back escaped."""

import pytest
import requests

from gateway.auth import COOKIE
from gateway.service import GatewayService
from services.membership.service import MembershipService
from tests.support.browsing import PAGE, browser, post_form
from tests.support.membership import follow_link, form, last_token, migrated_sessions
from tests.support.partners import COORDINATOR
from tests.support.sessions import TEST_SECRET, signed_in
from tests.support.smtp import free_port

HOSTILE = '<script>alert("x")</script> & <img src=x onerror=alert(1)>'
MEMBER = signed_in("00000000-0000-4000-8000-00000000a002", "member")


@pytest.fixture
def site(container_factory, config):
    address = f"127.0.0.1:{free_port()}"
    settings = {
        **config,
        "WEB_SERVER_ADDRESS": address,
        "PUBLIC_URL": f"http://{address}",
        "SECRET_KEY": TEST_SECRET,
        "RPC_TIMEOUT": 10,
    }
    container_factory(MembershipService, settings).start()
    container_factory(GatewayService, settings).start()
    return f"http://{address}"


def member_cookies(site: str, db_url: str) -> dict:
    """A real member, joined and confirmed, signed in."""
    requests.post(f"{site}/api/v1/members", json=form())
    sessions = migrated_sessions(db_url)
    token = last_token(sessions())
    sessions.kw["bind"].dispose()
    confirmed = follow_link(site, f"/confirm/{token}")
    return {COOKIE: confirmed.cookies[COOKIE]}


def suggest(site: str, cookies: dict | None = None, **fields) -> requests.Response:
    data = {"form": "join", "text": "Mwy o le i ysgrifennu", "back": "/", **fields}
    return post_form(
        browser(cookies), f"{site}/suggest?form=join", f"{site}/suggest", data
    )


def test_the_join_page_links_to_a_suggestion_form_for_itself(site):
    join = requests.get(f"{site}/join", headers={"Accept-Language": "en"}).text
    page = requests.get(f"{site}/suggest?form=join&back=/join", headers=PAGE)

    assert 'href="/suggest?form=join&amp;back=/join"' in join
    assert '<option value="join" selected>' in page.text


def test_a_suggestion_from_anyone_reaches_the_coordinators_escaped(site):
    sent = suggest(site, text=HOSTILE, email="ateb@example.cymru")

    listed = browser(COORDINATOR).get(f"{site}/coordinators/suggestions")

    assert sent.status_code == 200
    assert "Thank you for your suggestion" in sent.text
    assert listed.status_code == 200
    assert (
        "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &lt;img" in listed.text
    )
    assert "<script>" not in listed.text and "<img src=x" not in listed.text
    assert "ateb@example.cymru" in listed.text


def test_a_coordinator_answers_and_the_member_who_asked_sees_the_answer(site, db_url):
    cookies = member_cookies(site, db_url)
    suggest(site, cookies, text="Rhowch enghraifft o addewid")
    coordinator = browser(COORDINATOR)
    (item,) = coordinator.get(f"{site}/api/v1/suggestions").json()["items"]

    answered = post_form(
        coordinator,
        f"{site}/coordinators/suggestions",
        f"{site}/coordinators/suggestions/{item['id']}/answer",
        {"answer": "Diolch: mae enghraifft ar y dudalen nawr.", "status": "open"},
    )

    assert answered.status_code == 200  # after the redirect back to the list
    assert "Rhowch enghraifft" not in answered.text  # no longer waiting
    assert item["member_id"] and item["email"] is None
    theirs = browser(cookies).get(f"{site}/suggest?form=join").text
    assert "Diolch: mae enghraifft ar y dudalen nawr." in theirs
    done = coordinator.get(f"{site}/coordinators/suggestions?status=answered").text
    assert "Rhowch enghraifft o addewid" in done


def test_an_empty_suggestion_is_shown_again_with_what_to_fix(site):
    sent = suggest(site, text="", email="nid-cyfeiriad")

    assert sent.status_code == 400
    assert 'id="text-error"' in sent.text and 'id="email-error"' in sent.text


@pytest.mark.parametrize(
    "back", ["javascript:alert(1)", "//drwg.example/", "https://drwg.example"]
)
def test_the_way_back_never_leaves_the_site(site, back):
    page = requests.get(f"{site}/suggest", params={"back": back}, headers=PAGE).text
    sent = suggest(site, back=back)

    assert back not in page and back not in sent.text
    assert 'href="/">' in sent.text


def test_the_api_takes_suggestions_from_anyone_and_shows_them_to_coordinators(site):
    made = requests.post(
        f"{site}/api/v1/suggestions",
        json={"form": "feedback", "text": "Llai o gwestiynau"},
    )
    bad = requests.post(f"{site}/api/v1/suggestions", json={"form": "nothing"})

    assert made.status_code == 201
    assert {"form", "text"} <= set(bad.json()["errors"])
    assert requests.get(f"{site}/api/v1/suggestions").status_code == 401
    assert requests.get(f"{site}/api/v1/suggestions", cookies=MEMBER).status_code == 403
    found = requests.get(
        f"{site}/api/v1/suggestions?form=feedback", cookies=COORDINATOR
    ).json()
    assert [s["text"] for s in found["items"]] == ["Llai o gwestiynau"]


def test_a_browser_not_allowed_a_page_is_shown_a_page_saying_so(site):
    nobody = requests.get(f"{site}/coordinators/suggestions", headers=PAGE)
    member = browser(MEMBER).get(f"{site}/coordinators/suggestions")
    api = requests.get(f"{site}/coordinators/suggestions")

    assert nobody.status_code == 401 and "text/html" in nobody.headers["Content-Type"]
    assert 'href="/sign-in"' in nobody.text
    assert member.status_code == 403 and "coordinators" in member.text
    assert api.headers["Content-Type"] == "application/problem+json"
