import json
import re

import pytest
import requests

from gateway.service import GatewayService
from services.directory.service import DirectoryService
from services.membership.service import MembershipService
from tests.support.amqp import EventTap
from tests.support.smtp import free_port
from tests.support.waiting import eventually

JOIN = {
    "name": "Dafydd ap Gwilym",
    "email": "dafydd@example.cymru",
    "area": "Ceredigion",
    "language": "cy",
    "listed": True,
    "promise": "Byddaf yn rhannu grym gyda'r bobl rydym yn eu gwasanaethu.",
}


@pytest.fixture
def web_config(config):
    return {
        **config,
        "WEB_SERVER_ADDRESS": f"127.0.0.1:{free_port()}",
        "RPC_TIMEOUT": 2,
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


def test_joining_answers_201_with_where_the_member_is(gateway):
    response = requests.post(f"{gateway}/api/v1/members", json=JOIN)

    assert response.status_code == 201
    member = response.json()
    assert response.headers["Location"] == f"/api/v1/members/{member['id']}"
    assert (
        requests.get(gateway + response.headers["Location"]).json()["name"]
        == JOIN["name"]
    )


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

    assert response.status_code == 404
    assert len(response.headers["X-Request-ID"]) == 36


def test_bad_input_is_a_problem_with_every_field_named(gateway):
    body = {**JOIN, "email": "dim-cyfeiriad", "area": "Atlantis", "surprise": 1}

    response = requests.post(f"{gateway}/api/v1/members", json=body)

    assert response.status_code == 400
    assert response.headers["Content-Type"] == "application/problem+json"
    assert set(response.json()["errors"]) == {"email", "area", "surprise"}


@pytest.mark.parametrize("body", [b"{not json", b"[1, 2]", b"\xff\xfe", b""])
def test_a_body_that_is_not_a_json_object_is_refused(gateway, body):
    response = requests.post(f"{gateway}/api/v1/members", data=body)

    assert response.status_code == 400
    assert response.json()["status"] == 400


def test_a_huge_body_is_refused_before_it_is_read(gateway):
    body = json.dumps({**JOIN, "promise": "x" * 200_000})

    response = requests.post(f"{gateway}/api/v1/members", data=body)

    assert response.status_code == 413


def test_a_second_join_with_the_same_address_is_a_conflict(gateway):
    requests.post(f"{gateway}/api/v1/members", json=JOIN)

    again = requests.post(
        f"{gateway}/api/v1/members", json={**JOIN, "email": "DAFYDD@example.cymru"}
    )

    assert again.status_code == 409


def test_search_finds_a_listed_member(gateway):
    requests.post(f"{gateway}/api/v1/members", json=JOIN)

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
    page = browser.get(f"{base}/").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    return browser.post(f"{base}{path}", data={**data, "csrf_token": token})


def test_a_form_post_without_its_token_is_refused(gateway):
    refused = requests.post(f"{gateway}/join", data={**JOIN, "listed": "yes"})

    assert refused.status_code == 403


def test_the_join_page_shows_what_was_typed_as_text(gateway):
    form = {
        **JOIN,
        "name": "<b>Beca</b>",
        "email": "beca@example.cymru",
        "listed": "yes",
    }

    page = post_form(gateway, "/join", form)

    assert page.status_code == 200
    assert "&lt;b&gt;Beca&lt;/b&gt;" in page.text
    assert "<b>Beca</b>" not in page.text


def test_the_join_page_explains_what_needs_fixing(gateway):
    page = post_form(gateway, "/join", {**JOIN, "email": "na"})

    assert page.status_code == 400
    assert 'id="email-error"' in page.text
    assert 'value="Dafydd ap Gwilym"' in page.text
