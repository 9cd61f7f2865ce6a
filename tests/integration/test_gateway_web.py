"""The gateway's own behaviour around every route: unknown addresses, CORS,
security headers, languages, static files and the API's descriptions."""

import pytest
import requests

from gateway.service import GatewayService
from tests.support.smtp import free_port

PARTNER_SITE = "https://partner.example.cymru"


@pytest.fixture
def site(container_factory, rabbit_config):
    address = f"127.0.0.1:{free_port()}"
    config = {
        **rabbit_config,
        "WEB_SERVER_ADDRESS": address,
        "RPC_TIMEOUT": 2,
        "SECRET_KEY": "a-secret-for-tests-only",
        "CORS_ORIGINS": PARTNER_SITE,
    }
    container_factory(GatewayService, config).start()
    return f"http://{address}"


def test_an_unknown_address_is_a_problem_with_a_request_id(site):
    response = requests.get(f"{site}/dim-byd-yma")

    assert response.status_code == 404
    assert response.headers["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == 404
    assert response.headers["X-Request-ID"]


def test_a_browser_asking_for_an_unknown_page_gets_a_page_in_its_language(site):
    response = requests.get(
        f"{site}/dim-byd-yma", headers={"Accept": "text/html", "Accept-Language": "cy"}
    )

    assert response.status_code == 404
    assert response.headers["Content-Type"].startswith("text/html")
    assert '<html lang="cy"' in response.text


def test_a_number_in_a_path_larger_than_a_database_holds_is_an_unknown_address(site):
    response = requests.get(f"{site}/api/v1/newsletter/archive/4859646002529345470464")

    assert response.status_code == 404
    assert response.headers["Content-Type"] == "application/problem+json"


def test_a_wrong_method_says_which_are_allowed(site):
    response = requests.delete(f"{site}/api/v1/health")

    assert response.status_code == 405
    assert "GET" in response.headers["Allow"]


def test_a_configured_origin_may_call_the_api_from_a_browser(site):
    preflight = requests.options(
        f"{site}/api/v1/members",
        headers={"Origin": PARTNER_SITE, "Access-Control-Request-Method": "POST"},
    )
    simple = requests.get(f"{site}/api/openapi.json", headers={"Origin": PARTNER_SITE})

    assert preflight.status_code == 204
    assert "POST" in preflight.headers["Access-Control-Allow-Methods"]
    assert simple.headers["Access-Control-Allow-Origin"] == PARTNER_SITE


def test_any_other_origin_gets_no_cors_permission(site):
    stranger = {
        "Origin": "https://drwg.example",
        "Access-Control-Request-Method": "POST",
    }

    preflight = requests.options(f"{site}/api/v1/members", headers=stranger)
    simple = requests.get(f"{site}/api/openapi.json", headers=stranger)

    assert "Access-Control-Allow-Origin" not in preflight.headers
    assert "Access-Control-Allow-Methods" not in preflight.headers
    assert "Access-Control-Allow-Origin" not in simple.headers


def test_pages_carry_security_headers_and_a_form_cookie(site):
    response = requests.get(f"{site}/api/docs")

    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "coprod_csrf" in response.cookies


def test_choosing_a_language_is_remembered_and_returns_to_the_page(site):
    browser = requests.Session()

    chosen = browser.get(
        f"{site}/language/en", params={"next": "/api/docs"}, allow_redirects=False
    )
    page = browser.get(f"{site}/api/docs")

    assert chosen.status_code == 303
    assert chosen.headers["Location"].endswith("/api/docs")
    assert '<html lang="en">' in page.text
    assert "API reference" in page.text


def test_the_language_switch_never_sends_anyone_elsewhere(site):
    chosen = requests.get(
        f"{site}/language/cy",
        params={"next": "https://drwg.example/"},
        allow_redirects=False,
    )

    assert chosen.headers["Location"].endswith("/")
    assert "drwg" not in chosen.headers["Location"]


def test_pages_are_in_welsh_unless_asked_otherwise(site):
    page = requests.get(f"{site}/api/docs")

    assert '<html lang="cy">' in page.text
    assert "Cyfeirlyfr yr API" in page.text
    assert page.headers["Content-Language"] == "cy"


def test_the_stylesheet_is_served_by_the_gateway_itself(site):
    css = requests.get(f"{site}/static/site.css")

    assert css.status_code == 200
    assert css.headers["Content-Type"].startswith("text/css")


@pytest.mark.parametrize("name", ["../config.yml", "..%2Fconfig.yml", "nope.css"])
def test_nothing_outside_the_static_folder_is_served(site, name):
    assert requests.get(f"{site}/static/{name}").status_code == 404


def test_the_api_describes_itself(site):
    openapi = requests.get(f"{site}/api/openapi.json").json()
    asyncapi = requests.get(f"{site}/api/asyncapi.json").json()
    events_page = requests.get(f"{site}/api/events")

    assert "/api/v1/members" in openapi["paths"]
    assert asyncapi["asyncapi"] == "3.0.0"
    assert "MemberJoined" in events_page.text
    assert "LinkRequested" not in events_page.text
