"""The gateway's HTTP entrypoint: a correlation id on every request and response,
one log line per request, a size limit on bodies, and errors as Problem Details."""

import logging
import re
import time
import uuid
from functools import partial

from eventlet.event import Event
from nameko.web.handlers import HttpRequestHandler
from werkzeug.wrappers import Request, Response

from gateway import problems
from gateway.exceptions import BodyTooLarge

logger = logging.getLogger(__name__)

MAX_BODY_BYTES = 64 * 1024
_SAFE_ID = re.compile(r"^[A-Za-z0-9._:-]{1,80}$")


def request_id(request: Request) -> str:
    offered = request.headers.get("X-Request-ID", "")
    return offered if _SAFE_ID.match(offered) else str(uuid.uuid4())


class Route(HttpRequestHandler):
    def handle_request(self, request: Request) -> Response:
        began, rid = time.monotonic(), request_id(request)
        try:
            response = self._run_worker(request, rid)
        except Exception as error:
            response = problems.from_exception(error)
        response.headers["X-Request-ID"] = rid
        logger.info(
            "http.handled method=%s path=%s status=%s ms=%.1f correlation_id=%s",
            request.method,
            request.path,
            response.status_code,
            (time.monotonic() - began) * 1000,
            rid,
        )
        return response

    def _run_worker(self, request: Request, rid: str) -> Response:
        request.shallow = False
        limit = int(self.container.config.get("MAX_BODY_BYTES", MAX_BODY_BYTES))
        if (request.content_length or 0) > limit:
            raise BodyTooLarge(f"The body is larger than {limit} bytes.")
        request.max_content_length = limit
        args, kwargs = self.get_entrypoint_parameters(request)
        self.check_signature(args, kwargs)
        finished = Event()
        self.container.spawn_worker(
            self,
            args,
            kwargs,
            context_data={"correlation_id": rid},
            handle_result=partial(self.handle_result, finished),
        )
        return self.response_from_result(finished.wait())


route = Route.decorator
