import json
import re
import socket

import pytest
import requests

from gateway.service import GatewayService
from services.directory.service import DirectoryService
from services.membership.service import MembershipService
from tests.support.amqp import EventTap
from tests.support.membership import follow_link, form
from tests.support.sessions import TEST_SECRET
from tests.support.smtp import free_port
from tests.support.waiting import eventually

JOIN = form(
    name="Dafydd ap Gwilym",
    email="dafydd@example.cymru",
    area="Ceredigion",
    promise={"text": "Byddaf yn rhannu grym gyda'r bobl rydym yn eu gwasanaethu."},
)
PAGE_FORM = {
    "name": "Dafydd ap Gwilym",
    "email": "dafydd@example.cymru",
    "area": "W06000008",
    "language": "cy",
    "principles_version": "1",
    "agree": "yes",
    "privacy": "yes",
    "listed": "yes",
    "promise": "Byddaf yn rhannu grym gyda'r bobl rydym yn eu gwasanaethu.",
}


@pytest.fixture
def web_config(config):
    return {
        **config,
        "WEB_SERVER_ADDRESS": f"127.0.0.1:{free_port()}",
        "RPC_TIMEOUT": 2,
        "SECRET_KEY": TEST_SECRET,
    }


@pytest.fixture
def base_url(web_config):
    return f"http://{web_config['WEB_SERVER_ADDRESS']}"


@pytest.fixture
def gateway(container_factory, web_config, base_url, new_database):
    directory_config = {**web_config, "DATABASE_URL": new_database("directory")}
    container_factory(DirectoryService, directory_config).start()
    container_factory(MembershipService, web_config).start()
    container_factory(GatewayService, web_config).start()
    return base_url


def test_joining_answers_202_without_saying_who_is_a_member(gateway):
    response = requests.post(f"{gateway}/api/v1/members", json=JOIN)

    assert response.status_code == 202
    assert response.json()["status"] == "received"
    assert "Location" not in response.headers


def test_the_request_id_follows_the_join_into_its_event(gateway, web_config):
    tap = EventTap(web_config["AMQP_URI"], "membership", "MemberJoined")

    response = requests.post(
        f"{gateway}/api/v1/members", json=JOIN, headers={"X-Request-ID": "cais-123"}
    )

    tap.collect(1)
    tap.close()
    assert response.headers["X-Request-ID"] == "cais-123"
    assert tap.headers[0]["nameko.correlation_id"] == "cais-123"


def test_every_response_gets_a_request_id(gateway):
    response = requests.get(f"{gateway}/api/v1/members/nobody")

    assert response.status_code == 401
    assert len(response.headers["X-Request-ID"]) == 36


def test_bad_input_is_a_problem_with_every_field_named(gateway):
    body = {**JOIN, "email": "dim-cyfeiriad", "area": "Atlantis", "surprise": 1}

    response = requests.post(f"{gateway}/api/v1/members", json=body)

    assert response.status_code == 400
    assert response.headers["Content-Type"] == "application/problem+json"
    assert set(response.json()["errors"]) == {"email", "area", "surprise"}
    assert "W06000015" in response.json()["errors"]["area"][0]


@pytest.mark.parametrize("body", [b"{not json", b"[1, 2]", b"\xff\xfe", b""])
def test_a_body_that_is_not_a_json_object_is_refused(gateway, body):
    response = requests.post(f"{gateway}/api/v1/members", data=body)

    assert response.status_code == 400
    assert response.json()["status"] == 400


def test_a_huge_body_is_refused_before_it_is_read(gateway):
    body = json.dumps({**JOIN, "promise": {"text": "x" * 200_000}})

    response = requests.post(f"{gateway}/api/v1/members", data=body)

    assert response.status_code == 413


def test_json_nested_too_deeply_is_a_bad_body_not_an_error(gateway):
    body = "[" * 20_000 + "]" * 20_000

    response = requests.post(f"{gateway}/api/v1/members", data=body)

    assert response.status_code == 400
    assert "nested" in response.json()["detail"]


def _chunks(body: bytes, size: int = 1000):
    for start in range(0, len(body), size):
        yield body[start : start + size]


def test_a_chunked_body_is_read_whole(gateway):
    body = json.dumps({**JOIN, "email": "gwenllian@example.cymru"}).encode()

    response = requests.post(
        f"{gateway}/api/v1/members",
        data=_chunks(body),
        headers={"Content-Type": "application/json"},
    )

    assert response.status_code == 202, response.text


def test_a_huge_chunked_body_is_refused(gateway):
    body = json.dumps({**JOIN, "promise": {"text": "x" * 200_000}}).encode()

    response = requests.post(f"{gateway}/api/v1/members", data=_chunks(body))

    assert response.status_code == 413
    assert response.json()["title"] == "Request body too large"


def _raw(base_url: str, request: bytes) -> bytes:
    """Send bytes as they are and read until the gateway closes the connection."""
    host, port = base_url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as connection:
        connection.sendall(request)
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    return answer


def test_chunks_that_are_not_well_formed_are_a_bad_body(gateway):
    answer = _raw(
        gateway,
        b"POST /api/v1/members HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
        b"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
        b"zz\r\n{}\r\n0\r\n\r\n",
    )

    assert answer.startswith(b"HTTP/1.1 400 ")
    assert b"not well formed" in answer


CHUNKED_HEAD = (
    b"POST /api/v1/members HTTP/1.1\r\nHost: x\r\n"
    b"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n"
)
HEALTH = b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"


def _chunked(body: bytes) -> bytes:
    return b"%x\r\n%s\r\n0\r\n\r\n" % (len(body), body)


@pytest.mark.parametrize("size", [b"+2", b"0x2", b"0_2", b" 2", b"-1", b"2 x"])
def test_a_chunk_size_that_is_not_hex_digits_is_refused_and_nothing_follows(
    gateway, size
):
    """Sizes that Python's int() would take are not HTTP's (RFC 9112, 7.1): a
    proxy in front could read them otherwise, so nothing more is read."""
    answer = _raw(
        gateway, CHUNKED_HEAD + b"\r\n" + size + b"\r\n{}\r\n0\r\n\r\n" + HEALTH
    )

    assert answer.startswith(b"HTTP/1.1 400 ")
    assert answer.count(b"HTTP/1.1 ") == 1


def test_a_chunked_body_leaves_the_next_request_on_the_connection_whole(gateway):
    body = json.dumps({**JOIN, "email": "elen@example.cymru"}).encode()

    answer = _raw(gateway, CHUNKED_HEAD + b"\r\n" + _chunked(body) + HEALTH)

    assert answer.startswith(b"HTTP/1.1 202 ")
    assert answer.count(b"HTTP/1.1 ") == 2 and b'"broker": "ok"' in answer


def test_a_chunked_body_may_wait_for_100_continue(gateway):
    body = json.dumps({**JOIN, "email": "mererid@example.cymru"}).encode()
    host, port = gateway.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as connection:
        connection.sendall(
            CHUNKED_HEAD + b"Connection: close\r\nExpect: 100-continue\r\n\r\n"
        )
        assert connection.recv(65536).startswith(b"HTTP/1.1 100 Continue\r\n\r\n")
        connection.sendall(_chunked(body))
        answer = b""
        while part := connection.recv(65536):
            answer += part

    assert answer.startswith(b"HTTP/1.1 202 "), answer
    assert b"100 Continue" not in answer


@pytest.mark.parametrize("length", [b"+4", b"4, 4", b"0x4", b"\xb2"])
def test_a_length_that_is_not_digits_is_refused_and_nothing_follows(gateway, length):
    answer = _raw(
        gateway,
        b"POST /api/v1/members HTTP/1.1\r\nHost: x\r\nContent-Length: "
        + length
        + b"\r\n\r\n{}\r\n"
        + HEALTH,
    )

    assert answer.startswith(b"HTTP/1.1 400 ")
    assert answer.count(b"HTTP/1.1 ") == 1


def test_two_different_lengths_are_refused(gateway):
    answer = _raw(
        gateway,
        b"POST /api/v1/members HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n"
        b"Content-Length: 20\r\n\r\n{}" + HEALTH,
    )

    assert answer.startswith(b"HTTP/1.1 400 ")
    assert answer.count(b"HTTP/1.1 ") == 1


def test_a_body_both_chunked_and_with_a_length_is_refused(gateway):
    answer = _raw(
        gateway, CHUNKED_HEAD + b"Content-Length: 4\r\n\r\n" + _chunked(b"{}") + HEALTH
    )

    assert answer.startswith(b"HTTP/1.0 400 ")  # eventlet's own refusal
    assert answer.count(b"HTTP/1.") == 1


def test_a_chunked_body_cut_short_is_a_bad_body(gateway):
    host, port = gateway.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as connection:
        connection.sendall(CHUNKED_HEAD + b"\r\n" + b"40\r\n" + b'{"name": "Si')
        connection.shutdown(socket.SHUT_WR)
        answer = connection.recv(65536)

    assert answer.startswith(b"HTTP/1.1 400 ")


def test_bytes_of_a_body_that_could_not_be_read_are_never_logged(gateway, caplog):
    caplog.set_level("DEBUG")
    line = b'{"email": "cudd@example.cymru"}'

    answer = _raw(gateway, CHUNKED_HEAD + b"\r\n" + line + b"\r\n")

    assert answer.startswith(b"HTTP/1.1 400 ")
    assert not [r for r in caplog.records if "cudd@" in r.getMessage()]


@pytest.mark.parametrize(
    "codings",
    [
        b"Transfer-Encoding: gzip, chunked",
        b"Transfer-Encoding: chunked\r\nTransfer-Encoding: identity",
    ],
)
def test_a_body_in_another_transfer_coding_is_refused_and_nothing_follows(
    gateway, codings
):
    """What such a body holds must not be read as a request of its own."""
    hidden = b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    answer = _raw(
        gateway,
        b"POST /api/v1/members HTTP/1.1\r\nHost: x\r\n"
        + codings
        + b"\r\n\r\n"
        + hidden,
    )

    assert answer.startswith(b"HTTP/1.1 501 ")
    assert answer.count(b"HTTP/1.1 ") == 1


def test_a_second_join_with_the_same_address_gets_the_same_answer(gateway):
    first = requests.post(f"{gateway}/api/v1/members", json=JOIN)

    again = requests.post(
        f"{gateway}/api/v1/members", json={**JOIN, "email": "DAFYDD@example.cymru"}
    )

    assert (again.status_code, again.json()) == (first.status_code, first.json())


def test_search_finds_a_listed_member_once_confirmed(gateway, web_config):
    tap = EventTap(web_config["AMQP_URI"], "membership", "LinkRequested")
    requests.post(f"{gateway}/api/v1/members", json=JOIN)
    (link,) = tap.collect(1)
    tap.close()
    follow_link(gateway, f"/confirm/{link['data']['token']}")

    found = eventually(
        lambda: requests.get(
            f"{gateway}/api/v1/directory/listings", params={"q": "dafydd"}
        ).json()["items"]
    )

    assert found[0]["name"] == "Dafydd ap Gwilym"
    assert found[0]["area"] == "W06000008"


def test_a_service_that_is_not_running_means_503_not_a_hang(gateway):
    response = requests.get(f"{gateway}/api/v1/stories/framework", timeout=30)

    assert response.status_code == 503


def test_health_names_what_does_not_answer(gateway):
    response = requests.get(f"{gateway}/api/v1/health", timeout=30)

    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["membership"] == "ok"
    assert checks["broker"] == "ok"
    assert checks["stories"] == "unavailable"


def post_form(base: str, path: str, data: dict) -> requests.Response:
    """Post a form as a browser would: with the cookie and token of its page."""
    browser = requests.Session()
    page = browser.get(f"{base}/join").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    return browser.post(f"{base}{path}", data={**data, "csrf_token": token})


def test_a_form_post_without_its_token_is_refused(gateway):
    refused = requests.post(f"{gateway}/join", data=PAGE_FORM)

    assert refused.status_code == 403


def test_the_home_page_shows_the_principles_in_the_readers_language(gateway):
    english = requests.get(f"{gateway}/", headers={"Accept-Language": "en"})
    welsh = requests.get(f"{gateway}/", headers={"Accept-Language": "cy"})

    assert english.status_code == welsh.status_code == 200
    assert "Focus on what matters" in english.text
    assert "Focus on what matters" not in welsh.text
    assert 'href="/join"' in welsh.text


def test_the_join_page_asks_to_agree_to_the_principles_in_its_second_step(gateway):
    typed = {**PAGE_FORM, "step": "about", "go": "next"}

    page = post_form(gateway, "/join", typed)

    assert page.status_code == 200
    assert 'name="step" value="principles"' in page.text
    assert 'name="principles_version" value="1"' in page.text
    assert 'type="hidden" name="name" value="Dafydd ap Gwilym"' in page.text


def test_the_join_page_thanks_and_asks_to_confirm(gateway):
    page = post_form(gateway, "/join", PAGE_FORM)

    assert page.status_code == 200
    assert "Edrychwch ar eich e-bost" in page.text


def test_the_join_page_shows_what_was_typed_as_text(gateway):
    typed = {**PAGE_FORM, "name": "<b>Beca</b>", "postcode": "dim"}

    page = post_form(gateway, "/join", typed)

    assert page.status_code == 400
    assert "&lt;b&gt;Beca&lt;/b&gt;" in page.text
    assert "<b>Beca</b>" not in page.text
    assert 'id="postcode-error"' in page.text


def test_the_join_page_explains_what_needs_fixing_on_the_first_step_with_it(gateway):
    page = post_form(gateway, "/join", {**PAGE_FORM, "email": "na", "privacy": ""})

    assert page.status_code == 400
    assert 'name="step" value="about"' in page.text
    assert 'id="email-error"' in page.text
    assert 'value="Dafydd ap Gwilym"' in page.text


def test_a_step_with_an_error_keeps_what_was_typed_on_every_step(gateway):
    typed = {**PAGE_FORM, "privacy": "", "step": "sharing", "go": "next"}

    page = post_form(gateway, "/join", typed)

    assert page.status_code == 400
    assert 'name="step" value="sharing"' in page.text
    assert 'id="consents-error"' in page.text
    assert 'name="email" value="dafydd@example.cymru"' in page.text
    assert "rhannu grym" in page.text


def test_a_step_can_go_back_without_being_checked(gateway):
    typed = {**PAGE_FORM, "promise": "", "step": "promise", "go": "back"}

    page = post_form(gateway, "/join", typed)

    assert page.status_code == 200
    assert 'name="step" value="principles"' in page.text
