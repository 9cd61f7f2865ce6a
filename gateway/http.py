"""The gateway's HTTP entrypoint: runs a route's worker with the request's
correlation id, limits body sizes, turns errors into Problem Details, and keeps
what the OpenAPI document says about the route (`body`, `query`, `headers`,
`responses`)."""

from functools import partial
from typing import Any

from eventlet.event import Event
from nameko.web.handlers import HttpRequestHandler
from werkzeug.wrappers import Request, Response

from contracts.errors import PlatformError
from gateway import pages, problems
from gateway.exceptions import BodyTooLarge
from gateway.server import REQUEST_ID, GatewayWebServer, body_limit


class Route(HttpRequestHandler):
    server = GatewayWebServer()

    def __init__(self, method: str, url: str, **kwargs: Any):
        self.doc = {
            key: kwargs.pop(key)
            for key in (
                "body",
                "query",
                "headers",
                "responses",
                "tags",
                "summary",
                "csrf",
            )
            if key in kwargs
        }
        kwargs.setdefault("expected_exceptions", PlatformError)
        super().__init__(method, url, **kwargs)

    def handle_request(self, request: Request) -> Response:
        try:
            return self._run_worker(request, request.environ[REQUEST_ID])
        except Exception as error:
            return pages.for_reader(request, problems.from_exception(error))

    def _run_worker(self, request: Request, rid: str) -> Response:
        request.shallow = False
        limit = body_limit(self.container.config)
        if (request.content_length or 0) > limit:
            raise BodyTooLarge(f"The body is larger than {limit} bytes.")
        request.max_content_length = limit
        if self.doc.get("csrf", True):
            self.server.csrf.check(request)
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
