"""The home page in the browser: what the network is, its principles and the
drive's progress in the reader's language, and nothing on it that keeps a
person using a screen reader or a keyboard out."""

import os
import subprocess
import sys
from datetime import date, timedelta

import requests

from tests.support.membership import follow_link, form
from tests.support.site import mailed_link

COORDINATOR = "cydlynydd.ymgyrch@example.cymru"


def test_the_home_page_has_no_serious_accessibility_problem(browser):
    browser.open("/")

    assert browser.find("h1").text
    assert browser.find("a[href='/join']")
    assert browser.serious_violations() == []


def test_the_home_page_shows_the_progress_of_the_drive_that_runs(browser, stack):
    browser.open("/language/en?next=/")
    cookies = coordinator_session(stack)

    drive = {
        "name": "Yr ymgyrch gyntaf",
        "target": 150,
        "starts_on": (date.today() - timedelta(days=7)).isoformat(),
        # sooner than the first drive's, so this is the one that runs
        "deadline": (date.today() + timedelta(days=30)).isoformat(),
    }
    set_drive = requests.post(
        f"{stack.url}/api/v1/campaigns", json=drive, cookies=cookies, timeout=30
    )
    assert set_drive.status_code == 201
    browser.open("/")

    progress = browser.find("progress")
    assert progress.get_attribute("max") == "150"
    assert int(progress.get_attribute("value")) >= 1
    assert "toward 150 by" in browser.text()
    assert browser.serious_violations() == []


def coordinator_session(stack) -> dict:
    """A member made coordinator with the admin command, then confirmed."""
    body = form(name="Cydlynydd", email=COORDINATOR)
    requests.post(f"{stack.url}/api/v1/members", json=body, timeout=30)
    link = mailed_link(stack.sink, COORDINATOR, "confirm")
    command = [sys.executable, "-m", "services.membership.admin"]
    subprocess.run(
        [*command, "make-coordinator", COORDINATOR],
        env={**os.environ, **stack.environment},
        check=True,
        capture_output=True,
    )
    confirmed = follow_link(stack.url, link)
    return {name: value for name, value in confirmed.cookies.items()}
