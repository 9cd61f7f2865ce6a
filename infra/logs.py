"""One log line per handled RPC call or event, and on every line of the work in
hand the correlation id that came with it (from the gateway's request, through
RPC calls and events)."""

import logging
import threading
import time
from weakref import WeakKeyDictionary

from nameko.extensions import DependencyProvider
from nameko.timer import Timer

logger = logging.getLogger(__name__)

# Each worker runs in its own green thread, so this is the id of the work in hand.
_current = threading.local()


def current_correlation_id() -> str | None:
    return getattr(_current, "correlation_id", None)


def set_correlation_id(correlation_id: str | None) -> None:
    _current.correlation_id = correlation_id


class CorrelationFilter(logging.Filter):
    """Gives every record `correlation_id`, "-" for what no request started."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.correlation_id = current_correlation_id() or "-"
        return True


class Correlation(DependencyProvider):
    """Makes a worker's correlation id the one its log lines carry."""

    def worker_setup(self, worker_ctx) -> None:
        set_correlation_id(worker_ctx.data.get("correlation_id"))

    def worker_teardown(self, worker_ctx) -> None:
        set_correlation_id(None)


class RequestLog(Correlation):
    def __init__(self):
        self.started: WeakKeyDictionary = WeakKeyDictionary()

    def worker_setup(self, worker_ctx) -> None:
        super().worker_setup(worker_ctx)
        self.started[worker_ctx] = time.monotonic()

    def worker_result(self, worker_ctx, result=None, exc_info=None) -> None:
        began = self.started.pop(worker_ctx, time.monotonic())
        if isinstance(worker_ctx.entrypoint, Timer) and exc_info is None:
            return  # a timer's quiet tick is not news; what it does logs itself
        outcome = "ok" if exc_info is None else exc_info[0].__name__
        logger.info(
            "worker.handled service=%s entrypoint=%s outcome=%s ms=%.1f",
            worker_ctx.service_name,
            worker_ctx.entrypoint.method_name,
            outcome,
            (time.monotonic() - began) * 1000,
        )
