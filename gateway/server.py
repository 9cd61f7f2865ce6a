"""The gateway's HTTP and WSGI layers, around every request whatever its
route: a chunked body taken apart (GatewayProtocol), a correlation id, one log
line, Problem Details for unknown paths and methods, CORS for configured
origins only, and the security headers every page carries."""

import io
import logging
import re
import time
import uuid
from urllib.parse import urlsplit

from eventlet.wsgi import Input
from nameko.web.server import HttpOnlyProtocol, WebServer, WsgiApp
from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing import IntegerConverter, Map
from werkzeug.wrappers import Request, Response

from gateway import pages, problems
from gateway.auth import secret_key
from gateway.csrf import CsrfGuard
from gateway.exceptions import BadRequestBody, BodyTooLarge
from infra.logs import set_correlation_id

logger = logging.getLogger(__name__)

REQUEST_ID = "coprod.request_id"
UNREADABLE = "coprod.unreadable_body"  # why GatewayProtocol could not read a body
_SAFE_ID = re.compile(r"^[A-Za-z0-9._:-]{1,80}$")
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; "
        "script-src 'self'; object-src 'none'; base-uri 'none'; "
        "form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}
CORS_METHODS = "GET, POST, PUT, PATCH, DELETE"
CORS_HEADERS = (
    "Content-Type, Authorization, X-API-Key, X-CSRF-Token, Idempotency-Key, "
    "X-Request-ID"
)


# Paths whose last part is a secret (a link sent by e-mail): never logged.
_SECRET_PATHS = re.compile(r"^/(confirm|sign-in|unsubscribe)/[^/]+")


def loggable_path(path: str) -> str:
    """The path as logged: tokens out, and not longer than a line wants."""
    return _SECRET_PATHS.sub(r"/\1/…", path)[:200]


def request_id(request: Request) -> str:
    offered = request.headers.get("X-Request-ID", "")
    return offered if _SAFE_ID.match(offered) else str(uuid.uuid4())


MAX_BODY_BYTES = 64 * 1024


def body_limit(config) -> int:
    """The largest request body the gateway reads, in bytes."""
    return int(config.get("MAX_BODY_BYTES", MAX_BODY_BYTES))


# RFC 9112, 7.1: a chunk's size is hex digits only, perhaps with extensions
# after it; Python's int() would also take "+7", "0x7", "0_7" and " 7".
CHUNK_SIZE = re.compile(rb"([0-9A-Fa-f]{1,16})(?:[ \t]*;[^\r\n]*)?\r\n")
DIGITS = re.compile(r"[0-9]+")
CHUNK_LINE_MAX = 4096
TRAILER_LINES_MAX = 32


def read_chunked(rfile, limit: int) -> bytes:
    """A chunked request body, taken apart strictly and no further than its
    end, so that a request after it on the connection stays whole. Raises
    BadRequestBody for chunks that are not well formed and BodyTooLarge past
    `limit` bytes; the rest is then left unread, and the connection must close.

    eventlet's own reader is not used: it reads sizes with int(), and puts
    the bytes it could not read in a log line."""
    body = bytearray()
    while True:
        size_line = CHUNK_SIZE.fullmatch(rfile.readline(CHUNK_LINE_MAX))
        if size_line is None:
            raise BadRequestBody("The body's chunks are not well formed.")
        size = int(size_line[1], 16)
        if size == 0:
            break
        if len(body) + size > limit:
            raise BodyTooLarge(f"The body is larger than {limit} bytes.")
        chunk = rfile.read(size + 2)
        if len(chunk) != size + 2 or not chunk.endswith(b"\r\n"):
            raise BadRequestBody("The body's chunks are not well formed.")
        body += chunk[:-2]
    for _ in range(TRAILER_LINES_MAX):
        line = rfile.readline(CHUNK_LINE_MAX)
        if line == b"\r\n":
            return bytes(body)
        if not line.endswith(b"\r\n"):
            break
    raise BadRequestBody("The body's chunks are not well formed.")


class GatewayProtocol(HttpOnlyProtocol):
    """Takes a chunked body apart before the request reaches the WSGI layer
    and gives it a Content-Length, since werkzeug reads a body only by its
    length and would take a chunked one for empty; a body that cannot be read
    is handed on as UNREADABLE, for GatewayApp to answer, and the connection
    closes after. A body in any other transfer coding (say `gzip, chunked`)
    is refused here with 501 (RFC 9112, 6.1) and the connection closed:
    eventlet would take it for empty and read what follows as a request. So
    is a Content-Length that is not plain digits (eventlet itself refuses
    one beside a Transfer-Encoding)."""

    def parse_request(self) -> bool:
        if not super().parse_request():
            return False
        lengths = set(self.headers.get_all("Content-Length", []))
        if lengths and not (len(lengths) == 1 and DIGITS.fullmatch(lengths.pop())):
            # int() would take "+4" or "0_4"; RFC 9112, 6.3 asks for digits only.
            return self._refuse(
                400, "Bad request body", "The Content-Length is not one number."
            )
        codings = [
            coding.strip().lower()
            for value in self.headers.get_all("Transfer-Encoding", [])
            for coding in value.split(",")
        ]
        if codings in ([], ["chunked"]):
            return True
        return self._refuse(
            501,
            "Not implemented",
            "A body may come chunked or with a Content-Length only.",
        )

    def _refuse(self, status: int, title: str, detail: str) -> bool:
        refusal = problems.problem(status, title, detail)
        body = refusal.get_data()
        self.wfile.write(
            f"HTTP/1.1 {refusal.status}\r\nContent-Type: {refusal.content_type}\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode()
            + body
        )
        self.close_connection = 1
        return False

    def get_environ(self):
        environ = super().get_environ()
        if environ.pop("HTTP_TRANSFER_ENCODING", None) is None:
            return environ
        body = b""
        try:
            if environ.pop("HTTP_EXPECT", "").lower() == "100-continue":
                self.wfile.write(b"HTTP/1.1 100 Continue\r\n\r\n")
                self.wfile.flush()
            body = read_chunked(self.rfile, self._body_limit())
        except (BadRequestBody, BodyTooLarge) as error:
            environ[UNREADABLE] = error
            self.close_connection = 1
        except OSError:  # the client went, or stalled past the socket's timeout
            environ[UNREADABLE] = BadRequestBody(
                "The body ended before its last chunk."
            )
            self.close_connection = 1
        environ["CONTENT_LENGTH"] = str(len(body))
        environ["wsgi.input"] = environ["eventlet.input"] = Input(
            io.BytesIO(body), len(body), self.connection
        )
        return environ

    def _body_limit(self) -> int:
        return body_limit(self.server.app.server.container.config)


# The largest number an `<int:...>` part of a path takes: what our databases hold.
PATH_INTEGER_MAX = 2**31 - 1


class DatabaseInteger(IntegerConverter):
    """`<int:...>`, matching only numbers a database column can hold, so a
    larger one is an unknown address rather than an error deep in a service."""

    def __init__(self, map: Map, *args, **kwargs) -> None:
        kwargs.setdefault("max", PATH_INTEGER_MAX)
        super().__init__(map, *args, **kwargs)


class GatewayWebServer(WebServer):
    def make_url_map(self) -> Map:
        # As nameko's, with our converter: rules take a map's converters when added.
        url_map = Map(converters={"int": DatabaseInteger})
        for provider in self._providers:
            rule = provider.get_url_rule()
            rule.endpoint = provider
            url_map.add(rule)
        return url_map

    def setup(self) -> None:
        super().setup()
        config = self.container.config
        configured = str(config.get("CORS_ORIGINS") or "")
        self.cors_origins = {o.strip() for o in configured.split(",") if o.strip()}
        public = urlsplit(str(config.get("PUBLIC_URL") or "http://127.0.0.1:8000"))
        self.csrf = CsrfGuard(
            secret_key(config),
            trusted_origins=self.cors_origins | {f"{public.scheme}://{public.netloc}"},
            secure=str(config.get("ENVIRONMENT", "development")) != "development",
        )

    def get_wsgi_app(self) -> WsgiApp:
        return GatewayApp(self)

    def get_wsgi_server(self, sock, wsgi_app, protocol=GatewayProtocol, debug=False):
        return super().get_wsgi_server(sock, wsgi_app, protocol=protocol, debug=debug)


class GatewayApp(WsgiApp):
    def __call__(self, environ, start_response):
        began = time.monotonic()
        request = Request(environ, shallow=True)
        unreadable = environ.get(UNREADABLE)
        rid = environ[REQUEST_ID] = request_id(request)
        set_correlation_id(rid)
        fresh_csrf = self.server.csrf.prepare(request)
        if unreadable is None:
            response = self._respond(request, environ)
        else:
            response = pages.for_reader(request, problems.from_exception(unreadable))
        self.server.csrf.remember(response, fresh_csrf)
        response.headers["X-Request-ID"] = rid
        self._decorate(request, response)
        logger.info(
            "http.handled method=%s path=%s status=%s ms=%.1f",
            request.method,
            loggable_path(request.path),
            response.status_code,
            (time.monotonic() - began) * 1000,
        )
        set_correlation_id(None)
        return response(environ, start_response)

    def _respond(self, request: Request, environ) -> Response:
        adapter = self.url_map.bind_to_environ(environ)
        if request.method == "OPTIONS":
            return self._preflight(request, adapter)
        try:
            provider, values = adapter.match()
        except NotFound:
            return pages.for_reader(
                request,
                problems.problem(404, "Not found", "There is nothing at this address."),
            )
        except MethodNotAllowed as error:
            response = problems.problem(405, "Method not allowed")
            response.headers["Allow"] = ", ".join(sorted(error.valid_methods or []))
            return pages.for_reader(request, response)
        request.path_values = values
        return provider.handle_request(request)

    def _preflight(self, request: Request, adapter) -> Response:
        methods = adapter.allowed_methods()
        if not methods:
            return problems.problem(
                404, "Not found", "There is nothing at this address."
            )
        response = Response(status=204)
        response.headers["Allow"] = ", ".join(sorted(set(methods) | {"OPTIONS"}))
        if self._origin_allowed(request):
            response.headers["Access-Control-Allow-Methods"] = CORS_METHODS
            response.headers["Access-Control-Allow-Headers"] = CORS_HEADERS
            response.headers["Access-Control-Max-Age"] = "600"
        return response

    def _origin_allowed(self, request: Request) -> bool:
        origin = request.headers.get("Origin")
        return bool(origin) and origin in self.server.cors_origins

    def _decorate(self, request: Request, response: Response) -> None:
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        if self._origin_allowed(request):
            response.headers["Access-Control-Allow-Origin"] = request.headers["Origin"]
            response.headers["Access-Control-Allow-Credentials"] = "true"
            response.headers["Access-Control-Expose-Headers"] = "X-Request-ID, Location"
            response.headers.add("Vary", "Origin")
