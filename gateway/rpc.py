"""Calling services with a deadline, so a silent service, or a broker that is
away, means 503, not a hang or a 500."""

from typing import Any

import eventlet
from nameko.exceptions import UnknownService
from nameko.rpc import RpcProxy

from gateway.exceptions import ServiceUnavailable
from infra.broker import BROKER_ERRORS

DEFAULT_TIMEOUT = 10.0


def proxy(service: str, timeout: float = DEFAULT_TIMEOUT) -> RpcProxy:
    # A request nobody takes within the deadline expires in the queue, so a
    # caller told 503 is not surprised by the work happening later.
    return RpcProxy(service, expiration=timeout)


def call(service, method: str, *args: Any, timeout: float = DEFAULT_TIMEOUT) -> Any:
    try:
        with eventlet.Timeout(timeout):
            return getattr(service, method).call_async(*args).result()
    except eventlet.Timeout as error:
        raise ServiceUnavailable(
            f"{service.service_name} did not answer in time."
        ) from error
    except UnknownService as error:
        raise ServiceUnavailable(f"{service.service_name} is not running.") from error
    except BROKER_ERRORS as error:
        # The request may not have left; the client may send it again (joins
        # and stories are idempotent), so this is 503 and never 500.
        raise ServiceUnavailable(
            "The platform's message broker cannot be reached just now."
        ) from error
