"""Every message in Welsh, in English, and in both (Welsh first, alike in
content and look); what a member typed escaped in HTML and kept in text."""

import re

import pytest

from services.notifications.messages import compose

HOSTILE = 'Tŷ "Ni" <img src=x onerror=alert(1)> & Siân'
LINK = "https://cyd.example.cymru/confirm/abc123"
ISSUE = {
    "content": {
        "title": {"cy": "Newyddion y gwanwyn", "en": "Spring news"},
        "intro": {"cy": "Croeso <i>cynnes</i>", "en": "A warm <i>welcome</i>"},
        "sections": [
            {
                "kind": "drive",
                "items": [
                    {
                        "id": "drive:1",
                        "name": "Ymgyrch",
                        "target": 120,
                        "active": 87,
                        "deadline": "2027-07-31",
                    }
                ],
            },
            {
                "kind": "new_members",
                "items": [
                    {
                        "id": "area:W06000015",
                        "area": "W06000015",
                        "count": 3,
                        "people": [{"member_id": "m1", "name": HOSTILE}],
                    }
                ],
            },
            {
                "kind": "progress",
                "items": [
                    {
                        "id": "f1",
                        "member_id": "m1",
                        "name": "Elin",
                        "text": HOSTILE,
                        "area": "W06000001",
                    }
                ],
            },
            {
                "kind": "stories",
                "items": [
                    {"id": "s1", "title": HOSTILE, "text": "Stori", "language": "cy"}
                ],
            },
            {
                "kind": "offers",
                "items": [
                    {
                        "id": "o1",
                        "title": HOSTILE,
                        "category": "skills",
                        "area": None,
                        "ends_on": "2027-05-01",
                    }
                ],
            },
            {"kind": "requests", "items": []},
        ],
    }
}

EVENT = {
    "title_cy": "Gweithdy",
    "title_en": "Workshop",
    "starts_at": "2027-03-28T09:00:00+00:00",
    "ends_at": "2027-03-28T11:30:00+00:00",
}

# template: (context, Welsh subject, English subject, a Welsh phrase, an English one)
MESSAGES = {
    "confirm": (
        {"link": LINK, "expires_at": "2027-03-28T01:30:00+00:00"},
        "Cadarnhewch eich cyfeiriad e-bost",
        "Please confirm your e-mail address",
        "28 Mawrth 2027 am 02:30",
        "28 March 2027 at 02:30",
    ),
    "sign_in": (
        {"link": LINK, "expires_at": "2027-01-10T09:15:00+00:00"},
        "Eich dolen i fewngofnodi",
        "Your sign-in link",
        "10 Ionawr 2027 am 09:15",
        "10 January 2027 at 09:15",
    ),
    "welcome": (
        {"listed": True},
        "Croeso i'r rhwydwaith cyd-gynhyrchu",
        "Welcome to the co-production network",
        "dod o hyd i chi yn y cyfeiriadur",
        "find you in the directory",
    ),
    "already_member": (
        {"link": LINK, "attempted_at": "2027-06-01T11:00:00+00:00"},
        "Rydych chi eisoes yn aelod",
        "You are already a member",
        "1 Mehefin 2027 am 12:00",
        "1 June 2027 at 12:00",
    ),
    "feedback_due": (
        {"link": LINK, "round": 2, "due_on": "2027-08-31"},
        "Mae'n amser dweud sut mae'ch Addewid yn mynd",
        "Time to tell us how your Promise is going",
        "erbyn 31 Awst 2027",
        "by 31 August 2027",
    ),
    "feedback_reminder": (
        {"link": LINK, "round": 2, "due_on": "2027-08-31"},
        "Nodyn i'ch atgoffa: sut mae'ch Addewid yn mynd?",
        "A reminder: how is your Promise going?",
        "cylch\n2",
        "(round\n2)",
    ),
    "badge_awarded": (
        {
            "edition": HOSTILE,
            "number": 7,
            "assertion_url": "https://cyd.example.cymru/badges/b1",
            "image_url": "https://cyd.example.cymru/badges/b1/image.svg",
        },
        "Bathodyn Arwr Cyd-gynhyrchu i chi",
        "A Co-pro Hero Badge for you",
        "rhif\n7",
        "number 7",
    ),
    "response_received": (
        {
            "link": LINK,
            "post_kind": "request",
            "post_title": "Help gyda'r ardd",
            "responder_name": HOSTILE,
            "message": HOSTILE,
        },
        "Ymateb i'ch cais: Help gyda'r ardd",
        "A response to your request: Help gyda'r ardd",
        "wedi ymateb i'ch cais",
        "has responded to your request",
    ),
    "listing_review": (
        {"link": LINK, "last_reviewed_at": "2026-02-14T10:00:00+00:00"},
        "Ydy'ch manylion yn y cyfeiriadur yn dal yn gywir?",
        "Is your directory listing still right?",
        "14 Chwefror 2026",
        "14 February 2026",
    ),
    "principles_changed": (
        {
            "link": LINK,
            "version": "2",
            "principles": [{"cy": "Rhannu grym", "en": "Share power"}],
        },
        "Mae egwyddorion y rhwydwaith wedi newid",
        "The network's principles have changed",
        "- Rhannu grym",
        "- Share power",
    ),
    "newsletter": (
        {
            "issue": ISSUE,
            "number": 4,
            "audience": "members",
            "unsubscribe_url": "https://cyd.example.cymru/unsubscribe/t",
            "web_url": "https://cyd.example.cymru/newsletter/4",
        },
        "Newyddion y gwanwyn",
        "Spring news",
        "Aelodau gweithgar hyd yma: 87",
        "Active members so far: 87",
    ),
    "event_place": (
        {**EVENT, "link": LINK},
        "Mae lle i chi: Gweithdy",
        "You have a place: Workshop",
        "28 Mawrth 2027 am 10:00",
        "28 March 2027 at 10:00",
    ),
    "event_changed": (
        {**EVENT, "link": LINK},
        "Newid i'r digwyddiad: Gweithdy",
        "A change to an event: Workshop",
        "gorffen 28 Mawrth 2027 am 12:30",
        "ends 28 March 2027 at 12:30",
    ),
    "event_cancelled": (
        {**EVENT, "link": LINK, "reason": HOSTILE},
        "Wedi'i ganslo: Gweithdy",
        "Cancelled: Workshop",
        "Dywedodd y trefnydd",
        "The organiser said",
    ),
    "event_reminder": (
        {
            **EVENT,
            "link": LINK,
            "online": False,
            "place_name": HOSTILE,
            "area": "W06000011",
        },
        "Yfory: Gweithdy",
        "Tomorrow: Workshop",
        "Abertawe",
        "Swansea",
    ),
}


def parts(template: str, language: str | None, name: str = "Gwenllïan"):
    context = {**MESSAGES[template][0], "name": name}
    message = compose(template, language, "a@example.cymru", context, "<id@x>")
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    return message, text, html


@pytest.mark.parametrize("template", MESSAGES)
def test_each_message_in_welsh(template):
    _, subject, _, phrase, english = MESSAGES[template]

    message, text, html = parts(template, "cy")

    assert message["Subject"] == subject
    assert message["Content-Language"] == "cy"
    assert phrase in text
    assert english not in text
    assert '<html lang="cy">' in html


@pytest.mark.parametrize("template", MESSAGES)
def test_each_message_in_english(template):
    _, welsh, subject, phrase, english = MESSAGES[template]

    message, text, html = parts(template, "en")

    assert message["Subject"] == subject
    assert message["Content-Language"] == "en"
    assert english in text
    assert phrase not in text
    assert '<html lang="en">' in html


@pytest.mark.parametrize("template", MESSAGES)
def test_with_no_preference_welsh_comes_first_and_is_not_the_lesser(template):
    _, welsh, english, welsh_phrase, english_phrase = MESSAGES[template]

    message, text, html = parts(template, None)

    assert message["Subject"] == f"{welsh} / {english}"
    assert message["Content-Language"] == "cy, en"
    assert text.index(welsh_phrase) < text.index(english_phrase)
    cy, en = html.split('<div lang="cy"')[1].split('<div lang="en"')
    assert cy.split(">", 1)[0] == en.split(">", 1)[0]  # the same style, the same size
    assert cy.count("<p") == en.count("<p")
    assert cy.count("<a ") == en.count("<a ")
    assert _links(cy) == _links(en)


def _links(html: str) -> list[str]:
    return re.findall(r'href="([^"]+)"', html)


@pytest.mark.parametrize("template", MESSAGES)
@pytest.mark.parametrize("language", ["cy", "en", None])
def test_what_was_typed_is_escaped_in_html_and_kept_in_text(template, language):
    _, text, html = parts(template, language, name=HOSTILE)

    assert HOSTILE in text
    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_a_newsletter_for_the_public_leaves_out_what_members_shared_with_members():
    context = {**MESSAGES["newsletter"][0], "audience": "public", "name": ""}

    message = compose("newsletter", "en", "a@example.cymru", context)

    assert "News from members" not in message.get_body(("plain",)).get_content()
    assert "Stories" in message.get_body(("plain",)).get_content()
