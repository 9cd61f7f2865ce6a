"""A call to a service when the broker is away is a 503 the client may retry,
never a 500."""

import pytest
from amqp.exceptions import ConnectionForced
from kombu.exceptions import OperationalError

from gateway.exceptions import ServiceUnavailable
from gateway.problems import from_exception
from gateway.rpc import call


class Method:
    def __init__(self, error: Exception):
        self.error = error

    def call_async(self, *args):
        raise self.error


class BrokerAway:
    """A service proxy whose every publish fails as kombu's does."""

    service_name = "membership"

    def __init__(self, error: Exception):
        self.join = Method(error)


@pytest.mark.parametrize(
    "error",
    [
        ConnectionRefusedError(111, "ECONNREFUSED"),
        OperationalError("[Errno 111] Connection refused"),
        ConnectionForced("broker forced connection closure"),
        BrokenPipeError(32, "Broken pipe"),
    ],
)
def test_a_broker_that_is_away_is_service_unavailable(error):
    with pytest.raises(ServiceUnavailable) as raised:
        call(BrokerAway(error), "join", {})

    response = from_exception(raised.value)
    assert response.status_code == 503
    assert response.mimetype == "application/problem+json"
    assert int(response.headers["Retry-After"]) > 0
