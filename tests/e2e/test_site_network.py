"""The network's pages and the coordinators' pages in the browser: nothing on
them that keeps a person using a screen reader or a keyboard out, and what
someone typed is shown as text, never run."""

import pytest
import requests
from itsdangerous import URLSafeTimedSerializer

from gateway.auth import COOKIE, development_secret
from tests.support.membership import form

PAGES = [
    "/directory",
    "/directory/offers-and-requests",
    "/progress",
    "/evaluation",
    "/newsletter",
    "/suggest?form=join",
    "/events",
]
COORDINATOR_PAGES = [
    "/coordinators",
    "/coordinators/members",
    "/coordinators/drive",
    "/coordinators/newsletter",
    "/coordinators/suggestions",
    "/coordinators/parked",
    "/coordinators/api-keys",
    "/evaluation",
]
SCRIPT = '<script>alert("x")</script><img src=x onerror="alert(1)">'


def coordinator_cookie() -> str:
    """The gateway of `make run` and of these tests signs with var/'s key."""
    return URLSafeTimedSerializer(development_secret(), salt="session").dumps(
        {"member_id": "00000000-0000-4000-8000-0000000000c1", "role": "coordinator"}
    )


def sign_in_as_coordinator(browser) -> None:
    browser.open("/")
    browser.driver.add_cookie(
        {"name": COOKIE, "value": coordinator_cookie(), "path": "/"}
    )


@pytest.mark.parametrize("path", PAGES)
def test_each_network_page_has_no_serious_accessibility_problem(browser, path):
    browser.open(path)

    assert browser.find("h1").text
    assert browser.serious_violations() == []


@pytest.mark.parametrize("path", COORDINATOR_PAGES)
def test_each_coordinators_page_has_no_serious_accessibility_problem(browser, path):
    sign_in_as_coordinator(browser)

    browser.open(path)

    assert browser.find("h1").text
    assert browser.serious_violations() == []


def test_a_suggestion_made_in_the_browser_reaches_the_coordinators_as_text(browser):
    browser.open("/suggest?form=join&back=/")
    browser.fill("#text", SCRIPT)
    browser.go("form[action='/suggest'] button[type=submit]")
    assert browser.find("h1").text

    sign_in_as_coordinator(browser)
    browser.open("/coordinators/suggestions")

    assert SCRIPT in browser.text()
    assert browser.find_all("img[src=x]") == []


def test_a_members_record_has_no_serious_accessibility_problem(browser, stack):
    requests.post(f"{stack.url}/api/v1/members", json=form(name=SCRIPT), timeout=30)
    listed = requests.get(
        f"{stack.url}/api/v1/members?status=pending",
        cookies={COOKIE: coordinator_cookie()},
        timeout=30,
    ).json()["items"]
    sign_in_as_coordinator(browser)

    browser.open(f"/coordinators/members/{listed[0]['id']}")

    assert browser.find("h1").text == SCRIPT
    assert browser.serious_violations() == []
