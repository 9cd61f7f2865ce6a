"""The only HTTP door: JSON API under /api/v1 and the web pages. It holds no
business rules; it parses HTTP, calls a service, and shapes the answer."""

import json
import logging
from typing import Any

from eventlet.greenpool import GreenPool
from kombu import Connection
from nameko.dependency_providers import Config
from werkzeug.wrappers import Request, Response

from contracts.errors import Conflict, InvalidInput
from gateway import pages
from gateway.exceptions import BadRequestBody
from gateway.http import route
from gateway.rpc import DEFAULT_TIMEOUT, call, proxy

logger = logging.getLogger(__name__)

SERVICES = ("membership", "stories", "directory", "notifications")
HEALTH_TIMEOUT = 3.0


def json_body(request: Request) -> Any:
    try:
        return json.loads(request.get_data(cache=False) or b"null")
    except (ValueError, UnicodeDecodeError) as error:
        raise BadRequestBody("The body must be JSON, in UTF-8.") from error


def json_response(
    payload: Any, status: int = 200, headers: dict | None = None
) -> Response:
    return Response(
        json.dumps(payload, ensure_ascii=False),
        status=status,
        headers=headers,
        mimetype="application/json",
    )


class GatewayService:
    name = "gateway"

    config = Config()
    membership = proxy("membership")
    stories = proxy("stories")
    directory = proxy("directory")
    notifications = proxy("notifications")

    @route("GET", "/")
    def index(self, request: Request) -> Response:
        return pages.page("index.html", form={}, errors={})

    @route("POST", "/join")
    def join_form(self, request: Request) -> Response:
        form = pages.form_to_join(request.form)
        try:
            member = self._call(self.membership, "join", form)
        except InvalidInput as error:
            return pages.page("index.html", 400, form=form, errors=error.errors)
        except Conflict as error:
            return pages.page(
                "index.html", 409, form=form, errors={}, problem=str(error)
            )
        return pages.page("joined.html", member=member)

    @route("POST", "/api/v1/members")
    def create_member(self, request: Request) -> Response:
        """Join the network. Body: name, email, area, language, listed, promise."""
        member = self._call(self.membership, "join", json_body(request))
        location = f"/api/v1/members/{member['id']}"
        return json_response(member, 201, {"Location": location})

    @route("GET", "/api/v1/members/<string:member_id>")
    def get_member(self, request: Request, member_id: str) -> Response:
        return json_response(self._call(self.membership, "get_member", member_id))

    @route("GET", "/api/v1/directory/listings")
    def search_listings(self, request: Request) -> Response:
        """Search listings: `?q=TEXT&page=1&per_page=20`."""
        query = {
            key: request.args[key]
            for key in ("q", "page", "per_page")
            if key in request.args
        }
        return json_response(self._call(self.directory, "search", query))

    @route("POST", "/api/v1/stories")
    def submit_story(self, request: Request) -> Response:
        story = self._call(self.stories, "submit_story", json_body(request))
        return json_response(story, 201, {"Location": f"/api/v1/stories/{story['id']}"})

    @route("GET", "/api/v1/health")
    def health(self, request: Request) -> Response:
        checks = dict(GreenPool().imap(self._check, ("broker",) + SERVICES))
        healthy = all(state == "ok" for state in checks.values())
        body = {"status": "ok" if healthy else "unavailable", "checks": checks}
        return json_response(body, 200 if healthy else 503)

    def _call(self, service, method: str, *args: Any) -> Any:
        timeout = float(self.config.get("RPC_TIMEOUT", DEFAULT_TIMEOUT))
        return call(service, method, *args, timeout=timeout)

    def _check(self, name: str) -> tuple[str, str]:
        try:
            if name == "broker":
                self._check_broker()
            else:
                call(getattr(self, name), "ping", timeout=HEALTH_TIMEOUT)
        except Exception as error:
            logger.warning("health.failed part=%s error=%s", name, type(error).__name__)
            return name, "unavailable"
        return name, "ok"

    def _check_broker(self) -> None:
        with Connection(
            self.config["AMQP_URI"], connect_timeout=HEALTH_TIMEOUT
        ) as connection:
            connection.ensure_connection(max_retries=1)
