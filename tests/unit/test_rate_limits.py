from types import SimpleNamespace

import pytest
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from gateway.exceptions import TooManyRequests
from gateway.limits import RateLimits


def limits(**config) -> RateLimits:
    provider = RateLimits()
    provider.container = SimpleNamespace(config={"SECRET_KEY": "k", **config})
    provider.setup()
    return provider


def request(address: str = "192.0.2.7", forwarded: str | None = None) -> Request:
    headers = {"X-Forwarded-For": forwarded} if forwarded else {}
    environ = EnvironBuilder(headers=headers).get_environ()
    environ["REMOTE_ADDR"] = address
    return Request(environ)


def test_the_same_address_is_stopped_at_its_limit_with_a_wait():
    limiter = limits()
    for _ in range(5):
        limiter.hit("sign_in", request(), email="siân@example.cymru")

    with pytest.raises(TooManyRequests) as stopped:
        limiter.hit("sign_in", request("198.51.100.1"), email=" SIÂN@example.cymru")

    assert stopped.value.retry_after > 0


def test_different_addresses_and_people_are_counted_apart():
    limiter = limits()
    for number in range(5):
        limiter.hit("sign_in", request(), email=f"person{number}@example.cymru")

    limiter.hit("sign_in", request(), email="rhywun-arall@example.cymru")


def test_behind_a_trusted_proxy_the_client_is_the_address_it_saw():
    limiter = limits(PROXY_HOPS=1)

    seen = limiter.client_address(request("10.0.0.1", "203.0.113.9, 10.0.0.2"))

    assert seen == "10.0.0.2"
    assert limits().client_address(request("10.0.0.1", "203.0.113.9")) == "10.0.0.1"


def test_limits_can_be_turned_off_for_load_tests():
    limiter = limits(RATE_LIMITS="off")

    for _ in range(50):
        limiter.hit("sign_in", request(), email="a@example.cymru")
