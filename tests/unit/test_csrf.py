import pytest
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from gateway.csrf import COOKIE, CsrfGuard
from gateway.exceptions import Forbidden

GUARD = CsrfGuard("cyfrinach", trusted_origins={"https://cyd.example"}, secure=False)
VALUE = "gwerth-ar-hap"
TOKEN = GUARD.token_for(VALUE)


def post(headers=None, data=None, content_type="application/x-www-form-urlencoded"):
    builder = EnvironBuilder(
        method="POST",
        base_url="http://cyd.local/",
        headers=headers or {},
        data=data,
        content_type=content_type,
    )
    return Request(builder.get_environ())


def test_a_form_with_its_token_passes():
    GUARD.check(post({"Cookie": f"{COOKIE}={VALUE}"}, {"csrf_token": TOKEN}))


@pytest.mark.parametrize(
    "headers, data",
    [
        ({}, {"csrf_token": TOKEN}),
        ({"Cookie": f"{COOKIE}={VALUE}"}, {}),
        ({"Cookie": f"{COOKIE}={VALUE}"}, {"csrf_token": TOKEN[:-1] + "0"}),
        ({"Cookie": f"{COOKIE}=arall"}, {"csrf_token": TOKEN}),
    ],
)
def test_a_form_without_the_right_token_is_refused(headers, data):
    with pytest.raises(Forbidden):
        GUARD.check(post(headers, data))


def test_plain_text_with_a_session_needs_the_token():
    cookies = f"{COOKIE}={VALUE}; coprod_session=x"

    with pytest.raises(Forbidden):
        GUARD.check(post({"Cookie": cookies}, "{}", "text/plain"))
    GUARD.check(post({"Cookie": cookies, "X-CSRF-Token": TOKEN}, "{}", "text/plain"))


def test_json_with_a_session_needs_only_a_friendly_origin():
    cookies = f"{COOKIE}={VALUE}; coprod_session=x"
    foreign = {"Cookie": cookies, "Origin": "https://drwg.example"}

    GUARD.check(post({"Cookie": cookies}, "{}", "application/json"))
    with pytest.raises(Forbidden):
        GUARD.check(post(foreign, "{}", "application/json"))


def test_json_without_cookies_carries_no_ambient_authority():
    GUARD.check(post({}, "{}", "application/json"))


def test_a_foreign_origin_is_refused_even_with_the_token():
    headers = {"Cookie": f"{COOKIE}={VALUE}", "Origin": "https://drwg.example"}

    with pytest.raises(Forbidden):
        GUARD.check(post(headers, {"csrf_token": TOKEN}))


def test_own_and_trusted_origins_pass():
    for origin in ("http://cyd.local", "https://cyd.example"):
        headers = {"Cookie": f"{COOKIE}={VALUE}", "Origin": origin}
        GUARD.check(post(headers, {"csrf_token": TOKEN}))
