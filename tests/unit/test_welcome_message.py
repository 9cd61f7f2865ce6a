from services.notifications.messages import compose


def test_the_welcome_is_in_welsh_for_a_welsh_speaker():
    message = compose(
        "welcome", "cy", "ffion@example.cymru", {"name": "Ffion", "listed": True}
    )

    assert message["Subject"] == "Croeso i'r rhwydwaith cyd-gynhyrchu"
    assert message["Content-Language"] == "cy"
    assert "cyfeiriadur" in message.get_body(("plain",)).get_content()


def test_the_welcome_says_whether_the_member_is_listed():
    listed = compose("welcome", "en", "a@example.org", {"name": "A", "listed": True})
    unlisted = compose("welcome", "en", "a@example.org", {"name": "A", "listed": False})

    assert "will be able to find you" in listed.get_body(("plain",)).get_content()
    assert "chose not to appear" in unlisted.get_body(("plain",)).get_content()


def test_markup_in_a_name_is_escaped_in_html_and_kept_in_text():
    name = 'Tŷ "Ni" <img src=x onerror=alert(1)>'

    message = compose("welcome", "en", "a@example.org", {"name": name, "listed": True})

    assert "<img" not in message.get_body(("html",)).get_content()
    assert name in message.get_body(("plain",)).get_content()
