"""The pages of what's on, in Welsh and English: the list with its filters, an
event with signing up from a form, and my events."""

import re

import requests

from tests.support.events import COORDINATOR, an_event, call
from tests.support.sessions import signed_in


def in_language(language: str, who: dict | None = None) -> requests.Session:
    browser = requests.Session()
    browser.cookies.set("coprod_lang", language)
    for name, value in (who or {}).items():
        browser.cookies.set(name, value)
    return browser


def published(web, organiser: str, **fields) -> str:
    made = call(web, "POST", "/events", signed_in(organiser), an_event(**fields))
    call(web, "POST", f"/events/{made.json()['id']}/approve", COORDINATOR)
    return made.json()["id"]


def test_the_list_is_in_the_readers_language_and_filters_without_a_script(
    web, event_people
):
    published(web, event_people["nia"], title_cy=None, title_en="Only in English")
    published(web, event_people["nia"], kind="training")

    welsh = in_language("cy").get(f"{web}/events", timeout=15)
    english = in_language("en").get(f"{web}/events?kind=training", timeout=15)
    bad = in_language("en").get(f"{web}/events?from=yesterday", timeout=15)

    assert welsh.status_code == 200
    assert "Beth sy’n digwydd" in welsh.text
    assert "Cyfarfod rhwydwaith" in welsh.text
    assert 'lang="en">Only in English</a>' in welsh.text
    assert "Network meet-up" in english.text
    assert "Only in English" not in english.text
    assert bad.status_code == 400


def test_a_member_takes_a_place_from_the_event_page(web, event_people):
    event_id = published(web, event_people["nia"])
    browser = in_language("en", signed_in(event_people["owain"]))

    page = browser.get(f"{web}/events/{event_id}", timeout=15).text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    taken = browser.post(
        f"{web}/events/{event_id}/sign-up", data={"csrf_token": token}, timeout=15
    )
    forged = in_language("en", signed_in(event_people["gwen"])).post(
        f"{web}/events/{event_id}/sign-up", data={}, timeout=15
    )
    mine = browser.get(f"{web}/my/events", timeout=15).text

    assert "Take a place" in page
    assert taken.status_code == 200 and "You have a place." in taken.text
    assert "https://meet.example.cymru/rhwydwaith" in taken.text
    assert forged.status_code == 403
    assert "Network meet-up" in mine and "You have a place." in mine
    assert f'/events/{event_id}"' in mine
