"""Routes of parked messages: what each service's consumers could not take
after every try (what and when, never the content), and sending them back
once the fault is mended. See infra/parking.py."""

from eventlet.greenpool import GreenPool
from werkzeug.wrappers import Request, Response

from gateway.exceptions import NotFoundHere, ServiceUnavailable
from gateway.http import route
from gateway.routes.base import SERVICES, GatewayBase
from gateway.web import json_body, json_response


class ParkedRoutes(GatewayBase):
    @route(
        "GET",
        "/api/v1/parked",
        responses={200: '`{"services": {"membership": [message, ...], ...}}`.'},
    )
    def list_parked(self, request: Request) -> Response:
        """Parked messages of every service (`null` for one not answering):
        queue, message and event ids, event type, subject, reason, when."""
        self.allow(request, "parked.view")
        return json_response({"services": self.parked_by_service()})

    @route(
        "POST",
        "/api/v1/parked/<string:service>/replay",
        responses={200: '`{"replayed": n}`.'},
    )
    def replay_parked(self, request: Request, service: str) -> Response:
        """Send parked messages back to their queue: `{"queue": "…",
        "message_id": "…"}` for one, without `message_id` for all of it."""
        self.allow(request, "parked.replay")
        form = json_body(request) or {}
        sent = self.replay(service, str(form.get("queue", "")), form.get("message_id"))
        return json_response({"replayed": sent})

    def parked_by_service(self) -> dict[str, list | None]:
        pool = GreenPool(len(SERVICES))
        found = pool.imap(self._parked_of, SERVICES)
        return dict(zip(SERVICES, found, strict=True))

    def replay(self, service: str, queue: str, message_id: str | None) -> int:
        if service not in SERVICES:
            raise NotFoundHere("There is no such service.")
        proxy = getattr(self, service)
        return self._call(proxy, "replay_parked", queue, message_id or None)

    def _parked_of(self, service: str) -> list | None:
        try:
            return self._call(getattr(self, service), "parked_messages")
        except ServiceUnavailable:
            return None
