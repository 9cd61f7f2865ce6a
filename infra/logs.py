"""One log line per handled RPC call or event, carrying the correlation id."""

import logging
import time
from weakref import WeakKeyDictionary

from nameko.extensions import DependencyProvider
from nameko.timer import Timer

logger = logging.getLogger(__name__)


class RequestLog(DependencyProvider):
    def __init__(self):
        self.started: WeakKeyDictionary = WeakKeyDictionary()

    def worker_setup(self, worker_ctx) -> None:
        self.started[worker_ctx] = time.monotonic()

    def worker_result(self, worker_ctx, result=None, exc_info=None) -> None:
        began = self.started.pop(worker_ctx, time.monotonic())
        if isinstance(worker_ctx.entrypoint, Timer) and exc_info is None:
            return  # a timer's quiet tick is not news; what it does logs itself
        outcome = "ok" if exc_info is None else exc_info[0].__name__
        logger.info(
            "worker.handled service=%s entrypoint=%s outcome=%s ms=%.1f "
            "correlation_id=%s",
            worker_ctx.service_name,
            worker_ctx.entrypoint.method_name,
            outcome,
            (time.monotonic() - began) * 1000,
            worker_ctx.data.get("correlation_id"),
        )
