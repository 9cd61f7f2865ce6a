import base64
import json

from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request, Response

from gateway.auth import ANONYMOUS, COOKIE, Identity, SessionCookies

COOKIES = SessionCookies("cyfrinach", max_age=3600, secure=True)


def request_with(cookie: str | None) -> Request:
    headers = {"Cookie": f"{COOKIE}={cookie}"} if cookie else {}
    return Request(EnvironBuilder(headers=headers).get_environ())


def issued_cookie(identity: Identity) -> str:
    response = Response()
    COOKIES.start(response, identity)
    return response.headers["Set-Cookie"]


def test_a_session_reads_back_as_the_person_it_was_made_for():
    header = issued_cookie(Identity("coordinator", "m-1"))
    token = header.split(";")[0].split("=", 1)[1]

    assert COOKIES.read(request_with(token)) == Identity("coordinator", "m-1")


def test_the_cookie_is_out_of_reach_of_scripts_and_other_sites():
    header = issued_cookie(Identity("member", "m-1"))

    assert "HttpOnly" in header
    assert "SameSite=Lax" in header
    assert "Secure" in header


def test_a_tampered_or_foreign_cookie_is_nobody():
    header = issued_cookie(Identity("member", "m-1"))
    token = header.split(";")[0].split("=", 1)[1]
    other = SessionCookies("arall", max_age=3600, secure=True)

    payload, stamp, signature = token.split(".")
    promoted = (
        base64.urlsafe_b64encode(
            json.dumps({"member_id": "m-1", "role": "coordinator"}).encode()
        )
        .decode()
        .rstrip("=")
    )
    flipped = signature[:5] + ("B" if signature[5] == "A" else "A") + signature[6:]

    assert COOKIES.read(request_with(f"{promoted}.{stamp}.{signature}")) == ANONYMOUS
    assert COOKIES.read(request_with(f"{payload}.{stamp}.{flipped}")) == ANONYMOUS
    assert other.read(request_with(token)) == ANONYMOUS
    assert COOKIES.read(request_with("nonsense")) == ANONYMOUS


def test_an_expired_session_is_nobody():
    header = issued_cookie(Identity("member", "m-1"))
    token = header.split(";")[0].split("=", 1)[1]
    expired = SessionCookies("cyfrinach", max_age=-1, secure=True)

    assert expired.read(request_with(token)) == ANONYMOUS
