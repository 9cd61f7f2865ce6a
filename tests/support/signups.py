"""The sign-ups of tests/data/signups.json, and what the end-to-end tests do with
them: join through the API, find each confirmation link (in its e-mail, or in
`LinkRequested` while no e-mail carries one), and tell welcomes from the rest."""

import json
import re
import time
from pathlib import Path
from typing import Any

from tests.support.amqp import EventTap

SIGNUPS: list[dict[str, Any]] = json.loads(
    (Path(__file__).parents[1] / "data" / "signups.json").read_text()
)
CONFIRM_LINK = re.compile(r"/confirm/([A-Za-z0-9_-]{20,})")
MAIL_GRACE = 10.0  # seconds to wait for confirmation e-mails before using events


def join_body(signup: dict) -> dict:
    """The joining form of a sign-up, as the API takes it."""
    return {key: value for key, value in signup.items() if key != "expected_area"}


def address(text: str) -> str:
    return text.strip().casefold()


def recipient(message) -> str:
    return address(message["To"].addresses[0].addr_spec)


def text_of(message) -> str:
    return message.get_body(("plain", "html")).get_content()


def is_confirmation(message) -> bool:
    return CONFIRM_LINK.search(text_of(message)) is not None


WELCOME_SUBJECTS = ("Croeso i'r rhwydwaith", "Welcome to the co-production network")


def welcomes(sink) -> list:
    """The welcome e-mails, told from the rest (confirmations, badges) by their
    subject in either language."""
    return [
        m
        for m in sink.messages()
        if any(subject in m["Subject"] for subject in WELCOME_SUBJECTS)
    ]


def confirmation_tokens(sink, links: EventTap, wanted: set[str]) -> dict[str, str]:
    """Each address's confirmation token, from its e-mail when one came."""
    deadline = time.monotonic() + MAIL_GRACE
    mailed = _mailed_tokens(sink)
    while not set(mailed) >= wanted and time.monotonic() < deadline:
        time.sleep(0.5)
        mailed = _mailed_tokens(sink)
    if set(mailed) >= wanted:
        return mailed
    events = links.collect(len(wanted))
    return {address(e["data"]["email"]): e["data"]["token"] for e in events}


def _mailed_tokens(sink) -> dict[str, str]:
    found = {}
    for message in sink.messages():
        match = CONFIRM_LINK.search(text_of(message))
        if match:
            found[recipient(message)] = match.group(1)
    return found
