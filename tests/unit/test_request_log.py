from gateway.server import loggable_path


def test_the_secret_in_a_link_from_an_email_is_never_logged():
    assert loggable_path("/confirm/Zx81_secret") == "/confirm/…"
    assert loggable_path("/sign-in/Zx81_secret") == "/sign-in/…"
    assert loggable_path("/unsubscribe/Zx81.secret/extra") == "/unsubscribe/…/extra"


def test_other_paths_are_logged_as_they_are_but_not_without_end():
    assert loggable_path("/api/v1/members/me") == "/api/v1/members/me"
    assert len(loggable_path("/api/v1/" + "x" * 5000)) == 200
