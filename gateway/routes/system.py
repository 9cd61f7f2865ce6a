"""The home page, the join form's page, and health."""

import logging

from eventlet.greenpool import GreenPool
from kombu import Connection
from werkzeug.wrappers import Request, Response

from contracts.errors import Conflict, InvalidInput
from gateway import pages
from gateway.http import route
from gateway.routes.base import SERVICES, GatewayBase
from gateway.rpc import call
from gateway.web import json_response

logger = logging.getLogger(__name__)

HEALTH_TIMEOUT = 3.0


class SystemRoutes(GatewayBase):
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

    @route("GET", "/api/v1/health")
    def health(self, request: Request) -> Response:
        """200 when the broker and every service answer; 503 naming what does not."""
        checks = dict(GreenPool().imap(self._check, ("broker",) + SERVICES))
        healthy = all(state == "ok" for state in checks.values())
        body = {"status": "ok" if healthy else "unavailable", "checks": checks}
        return json_response(body, 200 if healthy else 503)

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
