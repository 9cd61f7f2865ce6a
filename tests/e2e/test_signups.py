"""Every sign-up in tests/data/signups.json goes through the front door."""

import json
from collections import Counter
from pathlib import Path

import pytest
import requests

from tests.support.amqp import EventTap
from tests.support.waiting import eventually

SIGNUPS = json.loads((Path(__file__).parents[1] / "data" / "signups.json").read_text())
FIELDS = ("name", "email", "area", "language", "listed", "kind", "promise")


@pytest.fixture(scope="module")
def joined(stack):
    tap = EventTap(stack.amqp_uri, "membership", "MemberJoined")
    responses = [
        requests.post(
            f"{stack.url}/api/v1/members",
            json={field: signup[field] for field in FIELDS},
            timeout=30,
        )
        for signup in SIGNUPS
    ]
    yield responses, tap
    tap.close()


def search(stack, text: str) -> list[dict]:
    response = requests.get(
        f"{stack.url}/api/v1/directory/listings", params={"q": text}
    )
    return response.json()["items"]


def test_every_signup_is_accepted_and_stored(stack, joined):
    responses, _ = joined

    assert [r.status_code for r in responses] == [201] * len(SIGNUPS)
    for signup, response in zip(SIGNUPS, responses, strict=True):
        stored = requests.get(stack.url + response.headers["Location"]).json()
        assert stored["name"] == signup["name"]
        assert stored["area"] == signup["expected_area"]


def test_exactly_the_listed_members_are_found_by_search(stack, joined):
    listed = [s for s in SIGNUPS if s["listed"]]
    eventually(lambda: all(search(stack, s["name"]) for s in listed), timeout=30)

    for signup in SIGNUPS:
        found = [item["name"] for item in search(stack, signup["name"])]
        assert found == ([signup["name"]] if signup["listed"] else [])


def test_each_member_gets_exactly_one_welcome(stack, joined):
    eventually(lambda: len(stack.sink.messages()) >= len(SIGNUPS), timeout=40)

    messages = stack.sink.messages()
    recipients = Counter(m["To"].addresses[0].addr_spec.casefold() for m in messages)
    assert recipients == Counter(s["email"].strip().casefold() for s in SIGNUPS)
    languages = {
        m["To"].addresses[0].addr_spec.casefold(): m["Content-Language"]
        for m in messages
    }
    assert languages == {s["email"].strip().casefold(): s["language"] for s in SIGNUPS}


def test_an_outside_subscriber_sees_each_join_once(joined):
    _, tap = joined

    events = tap.collect(len(SIGNUPS) + 1, timeout=5)

    assert len(events) == len(SIGNUPS)
    assert len({event["data"]["member_id"] for event in events}) == len(SIGNUPS)
