"""Every sign-up in tests/data/signups.json goes through the front door: it joins,
confirms its address through the link it was sent, and is then an active member.

The link is read from the confirmation e-mail in the SMTP sink; where no e-mail
carries one (a notifications service that does not send confirmations yet), it
is read from the `LinkRequested` event, as notifications itself would."""

import json
from collections import Counter

import pytest
import requests

from gateway.auth import COOKIE
from tests.support.amqp import EventTap
from tests.support.membership import follow_link
from tests.support.signups import (
    SIGNUPS,
    address,
    confirmation_tokens,
    join_body,
    recipient,
    welcomes,
)
from tests.support.waiting import eventually


@pytest.fixture(scope="module")
def joined(stack):
    joins = EventTap(stack.amqp_uri, "membership", "MemberJoined")
    links = EventTap(stack.amqp_uri, "membership", "LinkRequested")
    responses = [
        requests.post(f"{stack.url}/api/v1/members", json=join_body(s), timeout=30)
        for s in SIGNUPS
    ]
    wanted = {address(s["email"]) for s in SIGNUPS}
    tokens = confirmation_tokens(stack.sink, links, wanted)
    confirmed = {
        email: follow_link(stack.url, f"/confirm/{tokens[email]}") for email in wanted
    }
    yield responses, confirmed, joins
    joins.close()
    links.close()


def search(stack, text: str) -> list[dict]:
    response = requests.get(
        f"{stack.url}/api/v1/directory/listings", params={"q": text}
    )
    return response.json()["items"]


def test_every_signup_is_received_the_same_way(joined):
    responses, _, _ = joined

    assert [r.status_code for r in responses] == [202] * len(SIGNUPS)
    assert len({json.dumps(r.json()) for r in responses}) == 1


def test_every_member_confirms_and_is_active(stack, joined):
    _, confirmed, _ = joined

    for signup in SIGNUPS:
        response = confirmed[address(signup["email"])]
        assert response.status_code == 200
        cookies = {COOKIE: response.cookies[COOKIE]}
        me = requests.get(f"{stack.url}/api/v1/members/me", cookies=cookies).json()
        assert me["status"] == "active"
        assert me["name"] == signup["name"]
        assert me["area"] == signup["expected_area"]


def test_exactly_the_listed_members_are_found_by_search(stack, joined):
    listed = [s for s in SIGNUPS if s["consents"]["listed"]]
    eventually(lambda: all(search(stack, s["name"]) for s in listed), timeout=30)

    for signup in SIGNUPS:
        found = [item["name"] for item in search(stack, signup["name"])]
        assert found == ([signup["name"]] if signup["consents"]["listed"] else [])


def test_each_member_gets_exactly_one_welcome(stack, joined):
    eventually(lambda: len(welcomes(stack.sink)) >= len(SIGNUPS), timeout=40)

    recipients = Counter(recipient(m) for m in welcomes(stack.sink))
    assert recipients == Counter(address(s["email"]) for s in SIGNUPS)
    languages = {recipient(m): m["Content-Language"] for m in welcomes(stack.sink)}
    assert languages == {address(s["email"]): s["language"] for s in SIGNUPS}


def test_an_outside_subscriber_sees_each_join_once(joined):
    _, _, joins = joined

    events = joins.collect(len(SIGNUPS) + 1, timeout=5)

    assert len(events) == len(SIGNUPS)
    assert len({event["data"]["member_id"] for event in events}) == len(SIGNUPS)
