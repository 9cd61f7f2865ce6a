"""Protection against cross-site request forgery.

Every visitor gets a random `coprod_csrf` cookie; pages put a token derived from
it (an HMAC under SECRET_KEY) in each form. A POST that another site could make
a browser send without asking (a form, or plain text) must carry that token
when it is a form or comes with a session cookie. Other requests that change
something (JSON bodies, PUT, PATCH, DELETE) cannot be sent across sites without
a CORS preflight, which only configured origins pass, so for them a foreign
`Origin` is refused and nothing more is needed; the session cookie is
SameSite=Lax besides. Routes whose URL is itself the authority (one-click
unsubscribe) are exempt."""

import hashlib
import hmac
import secrets
from urllib.parse import urlsplit

from werkzeug.wrappers import Request, Response

from gateway.auth import COOKIE as SESSION_COOKIE
from gateway.exceptions import Forbidden

COOKIE = "coprod_csrf"
FIELD = "csrf_token"
HEADER = "X-CSRF-Token"
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
_FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")
_SIMPLE = (*_FORMS, "text/plain", "")


class CsrfGuard:
    def __init__(self, secret: str, trusted_origins: set[str], secure: bool):
        self.secret = secret.encode()
        self.trusted_origins, self.secure = trusted_origins, secure

    def token_for(self, cookie_value: str) -> str:
        digest = hmac.new(self.secret, cookie_value.encode(), hashlib.sha256)
        return digest.hexdigest()

    def prepare(self, request: Request) -> str | None:
        """The token for this visitor's pages; a new cookie value if they had none."""
        value = request.cookies.get(COOKIE)
        fresh = None if value else secrets.token_urlsafe(24)
        request.environ["coprod.csrf_token"] = self.token_for(value or fresh)
        return fresh

    def remember(self, response: Response, fresh: str | None) -> None:
        if fresh:
            response.set_cookie(
                COOKIE, fresh, httponly=True, samesite="Lax", secure=self.secure
            )

    def check(self, request: Request) -> None:
        if request.method not in UNSAFE:
            return
        if SESSION_COOKIE in request.cookies:
            self._check_origin(request)
        if not self._needs_token(request):
            return
        self._check_origin(request)
        offered = request.headers.get(HEADER) or request.form.get(FIELD, "")
        value = request.cookies.get(COOKIE, "")
        if not value or not hmac.compare_digest(offered, self.token_for(value)):
            raise Forbidden(
                "This form has expired or came from another site. "
                "Reload the page and try again."
            )

    def _needs_token(self, request: Request) -> bool:
        if request.method != "POST" or request.mimetype not in _SIMPLE:
            return False
        return SESSION_COOKIE in request.cookies or request.mimetype in _FORMS

    def _check_origin(self, request: Request) -> None:
        origin = request.headers.get("Origin")
        if not origin or origin == "null":
            return
        own = f"{urlsplit(request.host_url).scheme}://{request.host}"
        if origin != own and origin not in self.trusted_origins:
            raise Forbidden("Requests from other sites are not accepted.")
