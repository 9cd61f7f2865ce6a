from datetime import timedelta

from services.membership.settings import Settings


def test_settings_come_from_config_with_their_defaults():
    settings = Settings.from_config(
        {"PUBLIC_URL": "https://example.cymru/", "BADGE_EDITION_SIZE": "50"}
    )

    assert settings.public_url == "https://example.cymru"
    assert settings.badge_edition_size == 50
    assert settings.sign_in_link_for == timedelta(minutes=15)


def test_a_setting_of_zero_is_zero_not_the_default():
    settings = Settings.from_config({"UNCONFIRMED_AFTER_HOURS": 0})

    assert settings.unconfirmed_after == timedelta(0)
