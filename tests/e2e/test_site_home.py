"""The home page in the browser: what the network is, in the reader's language,
and nothing on it that keeps a person using a screen reader or a keyboard out."""


def test_the_home_page_has_no_serious_accessibility_problem(browser):
    browser.open("/")

    assert browser.find("h1").text
    assert browser.serious_violations() == []
