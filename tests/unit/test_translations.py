"""The site is as complete in Welsh as it is in English."""

from babel.messages.pofile import read_po
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from gateway import i18n
from scripts.translations import extracted


def welsh_catalogue():
    with (i18n.CATALOGUES / "cy.po").open("rb") as handle:
        return read_po(handle, locale="cy")


def test_every_message_of_the_site_has_its_welsh():
    welsh = welsh_catalogue()

    untranslated = [
        message.id
        for message in extracted()
        if message.id and not (welsh.get(message.id) and welsh.get(message.id).string)
    ]

    assert untranslated == []


def test_no_welsh_is_left_marked_as_a_guess():
    assert [m.id for m in welsh_catalogue() if m.id and m.fuzzy] == []


def request(headers: dict) -> Request:
    return Request(EnvironBuilder(headers=headers).get_environ())


def test_a_chosen_language_wins_over_the_browser():
    asked = request({"Cookie": "coprod_lang=cy", "Accept-Language": "en-GB,en;q=0.9"})

    assert i18n.negotiate(asked) == "cy"


def test_the_browser_decides_when_nothing_was_chosen():
    assert i18n.negotiate(request({"Accept-Language": "en-GB,en;q=0.9"})) == "en"
    assert i18n.negotiate(request({"Accept-Language": "cy,en;q=0.5"})) == "cy"


def test_welsh_comes_first_when_nobody_says():
    assert i18n.negotiate(request({})) == "cy"
    assert i18n.negotiate(request({"Accept-Language": "fr"})) == "cy"
    assert i18n.negotiate(request({"Cookie": "coprod_lang=xx"})) == "cy"


def test_welsh_text_comes_through_in_welsh():
    assert i18n.translations("cy").gettext("Home") == "Hafan"
    assert i18n.translations("en").gettext("Home") == "Home"
