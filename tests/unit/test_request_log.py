import logging
import sys

from gateway.server import loggable_path
from infra.logs import ExpectedErrorsFilter


def test_the_secret_in_a_link_from_an_email_is_never_logged():
    assert loggable_path("/confirm/Zx81_secret") == "/confirm/…"
    assert loggable_path("/sign-in/Zx81_secret") == "/sign-in/…"
    assert loggable_path("/unsubscribe/Zx81.secret/extra") == "/unsubscribe/…/extra"


def test_other_paths_are_logged_as_they_are_but_not_without_end():
    assert loggable_path("/api/v1/members/me") == "/api/v1/members/me"
    assert len(loggable_path("/api/v1/" + "x" * 5000)) == 200


def test_an_expected_error_is_one_info_line_without_its_traceback():
    try:
        raise ValueError("Sign in to do this.")
    except ValueError:
        record = logging.getLogger("nameko.containers").makeRecord(
            "nameko.containers",
            logging.WARNING,
            __file__,
            1,
            "(expected) error handling worker %s: %s",
            ("<WorkerContext [gateway.me]>", "Sign in to do this."),
            sys.exc_info(),
        )

    assert ExpectedErrorsFilter().filter(record)
    assert (record.levelname, record.exc_info) == ("INFO", None)


def test_an_unexpected_error_keeps_its_level_and_traceback():
    try:
        raise ValueError("boom")
    except ValueError:
        record = logging.getLogger("nameko.containers").makeRecord(
            "nameko.containers",
            logging.ERROR,
            __file__,
            1,
            "error handling worker %s: %s",
            ("<WorkerContext [gateway.me]>", "boom"),
            sys.exc_info(),
        )

    assert ExpectedErrorsFilter().filter(record)
    assert record.levelname == "ERROR" and record.exc_info is not None
