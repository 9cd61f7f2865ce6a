"""What the browser tests do as a person would: join through the form's steps,
and open the links the notifications service mailed."""

import re
from dataclasses import dataclass

from selenium.webdriver.common.keys import Keys

from tests.support.browser import Browser
from tests.support.signups import recipient, text_of
from tests.support.waiting import eventually

HOSTILE_NAME = "<script>alert(1)</script>"
HOSTILE_PROMISE = (
    'Byddaf yn <b>gwrando</b> <img src=x onerror="alert(2)"> cyn cynllunio gyda phobl.'
)


@dataclass
class Joiner:
    name: str
    email: str
    area: str
    promise: str
    story_title: str = ""
    story_text: str = ""
    consents: tuple[str, ...] = ("listed",)


def mailed_link(sink, email: str, kind: str, already: int = 0) -> str:
    """The path of the newest `kind` link (`confirm`, `sign-in`) mailed to
    `email`, once there are more than `already` of them."""
    pattern = re.compile(rf"https?://[^/\s]+(/{kind}/[A-Za-z0-9_-]{{20,}})")

    def links() -> list[str]:
        return [
            match.group(1)
            for message in sink.messages()
            if recipient(message) == email.casefold()
            for match in pattern.finditer(text_of(message))
        ]

    return eventually(lambda: len(links()) > already and links(), timeout=30)[-1]


def count_links(sink, email: str, kind: str) -> int:
    pattern = re.compile(rf"/{kind}/[A-Za-z0-9_-]{{20,}}")
    return sum(
        len(pattern.findall(text_of(m)))
        for m in sink.messages()
        if recipient(m) == email.casefold()
    )


def join(browser: Browser, person: Joiner, check=None, story=None) -> None:
    """Go through every step of the join form; `check(step)` runs on each page,
    `story(browser, person)` answers the story step (`tell_story` by default)."""
    browser.open("/join")
    _step(browser, "about", check)
    browser.fill("#name", person.name)
    browser.fill("#email", person.email)
    browser.choose("#area", person.area)
    browser.go("button[value=next]")
    _step(browser, "principles", check)
    browser.find("input[name=agree]").click()
    browser.go("button[value=next]")
    _step(browser, "promise", check)
    browser.fill("#promise", person.promise)
    browser.go("button[value=next]")
    _step(browser, "story", check)
    if person.story_title:
        (story or tell_story)(browser, person)
    browser.go("button[value=next]")
    _step(browser, "sharing", check)
    browser.find("input[name=privacy]").click()
    for consent in person.consents:
        browser.find(f"input[name={consent}]").click()
    browser.go("button[value=next]")


def tell_story(browser: Browser, person: Joiner) -> None:
    """The story, answered by keyboard: arrow keys move within a group of
    radios and move a slider."""
    browser.find("input[name='q.prompt']").click()
    browser.fill("#story_title", person.story_title)
    browser.fill("#story_text", person.story_text)
    first_point = browser.find("input[name='q.difference'][value=a]")
    first_point.send_keys(Keys.SPACE)
    first_point.send_keys(Keys.ARROW_DOWN)  # to "ab": between the first two corners
    browser.find("#v\\.power").send_keys(Keys.ARROW_RIGHT, Keys.ARROW_RIGHT)
    for question in ("feeling", "about", "role"):
        browser.find(f"input[name='q.{question}']").send_keys(Keys.SPACE)


def _step(browser: Browser, step: str, check) -> None:
    assert browser.find("input[name=step]").get_attribute("value") == step
    if check:
        check(step)
