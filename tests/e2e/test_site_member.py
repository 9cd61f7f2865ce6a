"""A member's way through the site in headless Chromium: joining in Welsh and in
English through every step, confirming and signing in with the links that the
notifications service mailed, then "My membership": the promise, feedback when
a round falls due, consents, their data, and leaving. Every page passes
axe-core with no serious or critical finding, and whatever a person typed comes
back as text: a name that is a script opens no dialog."""

import json
from datetime import date, timedelta

import pytest
import requests
from dateutil.relativedelta import relativedelta
from sqlalchemy import create_engine, update

from services.stories.models import Member as StoriesMember
from tests.support.membership import form
from tests.support.site import (
    HOSTILE_NAME,
    HOSTILE_PROMISE,
    Joiner,
    count_links,
    join,
    mailed_link,
    tell_story,
)
from tests.support.waiting import eventually

WELSH = Joiner(
    name="Siân Llŷr",
    email="sian.llyr@example.cymru",
    area="W06000015",
    promise="Byddaf yn gofyn i bobl leol beth sy'n bwysig cyn cynllunio.",
    story_title="Gardd y gymuned",
    story_text="Daeth pawb at ei gilydd i blannu, a'r plant a ddewisodd beth.",
)
ENGLISH = Joiner(
    name=HOSTILE_NAME,
    email="hostile.name@example.cymru",
    area="W06000011",
    promise=HOSTILE_PROMISE,
)


# The pages whose screenshots docs/screenshots keeps (`make screenshots`).
MAIN_PAGES = {
    "home",
    "join-about",
    "join-principles",
    "join-promise",
    "join-story",
    "join-sharing",
    "joined",
    "sign-in",
    "my-membership",
    "my-membership-feedback",
    "directory",
}


def looked_at(browser, name: str) -> None:
    """The page as it is now passes axe-core and takes nothing from other
    sites; a main page is kept as a screenshot. (axe-core needs the page's
    scripts to run, so a browser without them checks only the assets.)"""
    if browser.scripts:
        assert browser.serious_violations() == [], browser.path()
    assert browser.foreign_assets() == [], browser.path()
    if name in MAIN_PAGES and browser.scripts:
        browser.keep_screenshot(name)


def confirm_by_mail(browser, stack, email: str) -> None:
    browser.open(mailed_link(stack.sink, email, "confirm"))
    looked_at(browser, "confirm")
    browser.go("form[action^='/confirm/'] button")


def joined_by_api(stack, browser, name: str, email: str) -> str:
    """A member who joined through the API, confirmed and signed in here."""
    body = form(name=name, email=email)
    response = requests.post(f"{stack.url}/api/v1/members", json=body, timeout=30)
    assert response.status_code == 202
    confirm_by_mail(browser, stack, email)
    return member_id(stack, browser)


def member_id(stack, browser) -> str:
    cookies = {c["name"]: c["value"] for c in browser.driver.get_cookies()}
    me = requests.get(f"{stack.url}/api/v1/members/me", cookies=cookies, timeout=30)
    return me.json()["id"]


def test_a_person_joins_in_welsh_through_every_step_and_confirms(browser, stack):
    browser.open("/language/en?next=/")
    browser.go("a[hreflang=cy]")  # the switch on every page
    looked_at(browser, "home")
    assert browser.find("html").get_attribute("lang") == "cy"

    join(browser, WELSH, check=lambda step: looked_at(browser, f"join-{step}"))
    looked_at(browser, "joined")
    assert "Diolch" in browser.text()
    confirm_by_mail(browser, stack, WELSH.email)

    looked_at(browser, "confirmed")
    browser.go("a[href='/me']")
    looked_at(browser, "my-membership")
    assert WELSH.name in browser.text()
    assert "gweithredol" in browser.find(".status").text
    assert WELSH.promise in browser.find(".promise").text


def test_the_story_told_while_joining_keeps_its_keyboard_answers(browser, stack):
    browser.open("/language/cy?next=/")
    join(browser, Joiner(**{**WELSH.__dict__, "email": "ail.stori@example.cymru"}))
    confirm_by_mail(browser, stack, "ail.stori@example.cymru")
    cookies = {c["name"]: c["value"] for c in browser.driver.get_cookies()}

    me = member_id(stack, browser)
    exported = eventually(lambda: told_stories(stack, cookies), timeout=30)

    stories = exported["services"]["stories"]["stories"]
    assert exported["member_id"] == me
    assert [s["title"] for s in stories] == [WELSH.story_title]
    answers = stories[0]["answers"]
    assert answers["difference"] == [0.5, 0.5, 0.0]
    assert answers["power"] == pytest.approx(0.6)
    assert "decisions" not in answers  # left as "no answer", never the middle


def told_stories(stack, cookies: dict) -> dict | None:
    found = requests.get(f"{stack.url}/me/data", cookies=cookies, timeout=30).json()
    return found if found["services"]["stories"]["stories"] else None


def test_a_person_joins_in_english_and_signs_in_with_a_mailed_link(browser, stack):
    browser.open("/language/en?next=/")
    assert browser.find("html").get_attribute("lang") == "en"

    join(browser, ENGLISH)
    assert "Thank you" in browser.text()
    confirm_by_mail(browser, stack, ENGLISH.email)
    browser.go("button.link")  # sign out
    browser.open("/sign-in")
    looked_at(browser, "sign-in")
    before = count_links(stack.sink, ENGLISH.email, "sign-in")
    browser.fill("#email", ENGLISH.email)
    browser.go("form[action='/sign-in'] button")
    looked_at(browser, "sign-in-sent")
    browser.open(mailed_link(stack.sink, ENGLISH.email, "sign-in", before))
    browser.go("form[action^='/sign-in/'] button")
    browser.go("a[href='/me']")

    assert browser.path() == "/me"
    assert HOSTILE_NAME in browser.find(".who").text
    assert HOSTILE_PROMISE in browser.find(".promise").text
    assert browser.find_all(".promise b, .promise img") == []
    assert not browser.dialog_opened()


def test_hostile_text_comes_back_as_text_when_a_step_has_an_error(browser):
    browser.open("/language/en?next=/join")
    browser.fill("#name", HOSTILE_NAME)
    browser.fill("#email", "not an address")
    browser.choose("#area", "W06000011")
    browser.go("button[value=next]")
    assert browser.find_all("#email-error")
    assert browser.find("#name").get_attribute("value") == HOSTILE_NAME
    browser.fill("#email", "hostile.story@example.cymru")
    browser.go("button[value=next]")
    browser.find("input[name=agree]").click()
    browser.go("button[value=next]")
    browser.fill("#promise", HOSTILE_PROMISE)
    browser.go("button[value=next]")
    browser.fill("#story_title", HOSTILE_NAME)
    browser.fill("#story_text", HOSTILE_PROMISE)

    browser.go("button[value=next]")  # the story's required questions are unanswered

    assert browser.find("input[name=step]").get_attribute("value") == "story"
    assert browser.find_all("#q-feeling-error")
    assert browser.find("#story_title").get_attribute("value") == HOSTILE_NAME
    assert browser.find("#story_text").get_attribute("value") == HOSTILE_PROMISE
    assert browser.find_all("main script:not([src]), main b, main img") == []
    assert not browser.dialog_opened()
    looked_at(browser, "join-story-error")


def test_a_step_with_an_error_keeps_everything_typed(browser):
    browser.open("/language/cy?next=/join")
    browser.fill("#name", "Gwenllïan Ŵyn")
    browser.fill("#email", "gwen@example.cymru")
    browser.choose("#area", "W06000016")
    browser.fill("#postcode", "dim")

    browser.go("button[value=next]")

    assert browser.find("#postcode-error").is_displayed()
    assert browser.find(".error-summary a[href='#postcode-error']")
    assert browser.find("#name").get_attribute("value") == "Gwenllïan Ŵyn"
    assert browser.find("#area").get_attribute("value") == "W06000016"
    looked_at(browser, "join-about-error")


def test_a_member_gives_feedback_when_a_round_falls_due(browser, stack):
    browser.open("/language/en?next=/")
    member = joined_by_api(stack, browser, "Owain Glyn", "owain.glyn@example.cymru")
    browser.open("/me")
    assert "No feedback is due now" in browser.text()

    six_months_ago(stack, member)
    eventually(lambda: browser.open("/me") or browser.find_all("#progress"), 30)
    looked_at(browser, "my-membership-feedback")
    browser.find("input[name=rating][value='4']").click()
    browser.fill(
        "#progress", "We now plan the youth club's summer with the young people."
    )
    browser.find("input[name=principles][value=what_matters]").click()
    browser.go("form[action='/me/feedback'] button")

    assert "Saved" in browser.find(".saved").text
    assert "Round 1: 4 of 5." in browser.text()
    assert browser.find_all("#progress") == []


def test_a_member_changes_their_promise_and_choices_then_leaves(browser, stack):
    browser.open("/language/en?next=/")
    joined_by_api(stack, browser, "Nia Ben Aur", "nia.ben.aur@example.cymru")
    browser.open("/me")

    browser.fill("#promise-text", "I will <em>share</em> the budget decisions.")
    browser.go("form[action='/me/promise'] button")
    assert (
        "I will <em>share</em> the budget decisions." in browser.find(".promise").text
    )
    browser.find("#consents input[name=listed]").click()
    browser.go("form[action='/me/consents'] button")
    assert not browser.find("#consents input[name=listed]").is_selected()
    browser.go("form[action='/me/leave'] button")
    assert browser.find_all("#confirm-error")
    looked_at(browser, "my-membership-leave-error")
    browser.find("input[name=confirm]").click()
    browser.go("form[action='/me/leave'] button")

    assert "You have left the network" in browser.text()
    looked_at(browser, "left")
    browser.open("/me")
    assert browser.path() == "/sign-in"


def six_months_ago(stack, member: str) -> None:
    """Move the member's first date back, as if six months had passed."""
    today = date.today()
    engine = create_engine(stack.databases["stories"])
    with engine.begin() as connection:
        connection.execute(
            update(StoriesMember)
            .where(StoriesMember.member_id == member)
            .values(
                anchor_on=today - relativedelta(months=6) - timedelta(days=1),
                next_due_on=today - timedelta(days=1),
            )
        )
    engine.dispose()


def test_the_data_download_is_a_file_of_every_service(browser, stack):
    browser.open("/language/en?next=/")
    joined_by_api(stack, browser, "Dewi Sant", "dewi.sant@example.cymru")
    cookies = {c["name"]: c["value"] for c in browser.driver.get_cookies()}

    download = requests.get(f"{stack.url}/me/data", cookies=cookies, timeout=30)

    assert "attachment" in download.headers["Content-Disposition"]
    services = json.loads(download.text)["services"]
    assert set(services) == {"membership", "stories", "directory", "notifications"}


def test_a_link_used_twice_and_a_wrong_address_say_what_to_do(browser, stack):
    browser.open("/language/en?next=/")
    joined_by_api(stack, browser, "Gwen Tomos", "gwen.tomos@example.cymru")
    used = mailed_link(stack.sink, "gwen.tomos@example.cymru", "confirm")

    browser.open(used)
    browser.go("form[action^='/confirm/'] button")
    assert "This link does not work" in browser.text()
    looked_at(browser, "link-not-valid")
    browser.go("a[href='/sign-in']")
    browser.fill("#email", "<b>nid cyfeiriad</b>")
    browser.go("form[action='/sign-in'] button")

    assert browser.find_all("#email-error")
    assert browser.find("#email").get_attribute("value") == "<b>nid cyfeiriad</b>"
    looked_at(browser, "sign-in-error")


def test_joining_works_without_javascript(chromium_without_scripts, stack):
    browser = chromium_without_scripts
    browser.driver.delete_all_cookies()
    browser.open("/language/cy?next=/")
    person = Joiner(
        name="Heledd Fychan",
        email="heb.sgriptiau@example.cymru",
        area="W06000019",
        promise="Byddaf yn gofyn i'r grŵp beth sy'n bwysig cyn pob cyfarfod.",
        story_title="Y caffi trwsio",
        story_text="Daeth y pentref â'u pethau, a'r plant ddysgodd drwsio.",
    )

    join(browser, person, story=answer_slider_by_its_choice)
    confirm_by_mail(browser, stack, person.email)

    assert "Croeso" in browser.text()
    cookies = {c["name"]: c["value"] for c in browser.driver.get_cookies()}
    told = eventually(lambda: told_stories(stack, cookies), timeout=30)
    answers = told["services"]["stories"]["stories"][0]["answers"]
    assert answers["power"] == pytest.approx(0.6)


def answer_slider_by_its_choice(browser, person: Joiner) -> None:
    """Without scripts, moving the slider does not choose it: the person
    chooses "the slider shows my answer" too."""
    tell_story(browser, person)
    chosen = browser.find("input[name='q.power'][value=answer]")
    assert not chosen.is_selected()  # no script ran when the slider moved
    chosen.click()


def test_a_listed_member_is_found_by_searching_the_directory(browser, stack):
    joined_by_api(stack, browser, "Gwenllïan ap Pryderi", "gwenllian.p@example.cymru")
    browser.go("button.link")  # sign out: the directory is for anyone

    def found() -> bool:
        browser.open("/directory")
        browser.fill("#q", "gwenllian pryderi")
        browser.go("form[role='search'] button")
        return "Gwenllïan ap Pryderi" in browser.find("main").text

    assert eventually(found, timeout=60)
    assert browser.path().startswith("/directory?q=gwenllian+pryderi")
    looked_at(browser, "directory")
