"""The site's own files, the language switch, and health."""

import logging
import mimetypes
from pathlib import Path

from eventlet.greenpool import GreenPool
from kombu import Connection
from werkzeug.security import safe_join
from werkzeug.utils import redirect
from werkzeug.wrappers import Request, Response

from gateway import i18n
from gateway.exceptions import NotFoundHere
from gateway.http import route
from gateway.routes.base import SERVICES, GatewayBase
from gateway.rpc import call
from gateway.schemas import HealthSchema
from gateway.web import json_response

logger = logging.getLogger(__name__)

HEALTH_TIMEOUT = 3.0
STATIC = Path(__file__).parents[1] / "static"
ONE_YEAR = 365 * 24 * 3600


def local_path(target: str) -> str:
    """`target` if it is a path on this site, else the home page: never a
    redirect to somewhere else."""
    if target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"


class SystemRoutes(GatewayBase):
    @route("GET", "/static/<path:name>")
    def static(self, request: Request, name: str) -> Response:
        """The site's own stylesheet, scripts and pictures."""
        self.allow(request, "site.view")
        found = safe_join(str(STATIC), name)
        if found is None or not Path(found).is_file():
            raise NotFoundHere("There is no such file.")
        kind = mimetypes.guess_type(found)[0] or "application/octet-stream"
        response = Response(Path(found).read_bytes(), mimetype=kind)
        response.headers["Cache-Control"] = "public, max-age=3600"
        return response

    @route("GET", "/language/<string:language>")
    def choose_language(self, request: Request, language: str) -> Response:
        """Remember the reader's language and go back to where they were."""
        self.allow(request, "site.view")
        if language not in i18n.LANGUAGES:
            raise NotFoundHere("There is no such language here.")
        response = redirect(local_path(request.args.get("next", "/")), code=303)
        response.set_cookie(
            i18n.COOKIE, language, max_age=ONE_YEAR, samesite="Lax", httponly=True
        )
        return response

    @route(
        "GET",
        "/api/v1/health",
        responses={
            200: HealthSchema,
            503: (HealthSchema, "Something does not answer."),
        },
    )
    def health(self, request: Request) -> Response:
        """200 when the broker and every service answer; 503 naming what does not."""
        self.allow(request, "health.view")
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
