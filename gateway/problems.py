"""Every error the gateway answers with, in one table, as RFC 9457 Problem Details."""

import json
import logging

from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

# Imported so that nameko can rebuild these errors from RPC replies.
import services.directory.exceptions  # noqa: F401
import services.membership.exceptions  # noqa: F401
import services.notifications.exceptions  # noqa: F401
import services.stories.exceptions  # noqa: F401
from contracts.errors import Conflict, InvalidInput, NotFound
from gateway.exceptions import (
    BadRequestBody,
    BodyTooLarge,
    Forbidden,
    ServiceUnavailable,
    TooManyRequests,
    Unauthenticated,
)

logger = logging.getLogger(__name__)

RETRY_UNAVAILABLE_AFTER = 5  # seconds: a broker restart or a service's takes about so

PROBLEM_TABLE: list[tuple[type[Exception], int, str]] = [
    (InvalidInput, 400, "Invalid input"),
    (BadRequestBody, 400, "Bad request body"),
    (Unauthenticated, 401, "Sign-in needed"),
    (Forbidden, 403, "Forbidden"),
    (NotFound, 404, "Not found"),
    (Conflict, 409, "Conflict"),
    (BodyTooLarge, 413, "Request body too large"),
    (TooManyRequests, 429, "Too many requests"),
    (ServiceUnavailable, 503, "Service unavailable"),
]


def problem(status: int, title: str, detail: str = "", **extra) -> Response:
    body = {"type": "about:blank", "title": title, "status": status}
    if detail:
        body["detail"] = detail
    body.update(extra)
    return Response(
        json.dumps(body, ensure_ascii=False),
        status=status,
        mimetype="application/problem+json",
    )


def from_exception(error: Exception) -> Response:
    if isinstance(error, HTTPException) and error.code:
        return problem(error.code, error.name, error.description or "")
    for kind, status, title in PROBLEM_TABLE:
        if isinstance(error, kind):
            if isinstance(error, InvalidInput):
                return problem(
                    status, title, "Some fields need attention.", errors=error.errors
                )
            response = problem(status, title, str(error))
            if isinstance(error, TooManyRequests):
                response.headers["Retry-After"] = str(error.retry_after)
            if isinstance(error, ServiceUnavailable):
                response.headers["Retry-After"] = str(RETRY_UNAVAILABLE_AFTER)
            if isinstance(error, Unauthenticated):
                response.headers["WWW-Authenticate"] = 'Bearer realm="api"'
            return response
    logger.error("http.unexpected_error error=%s", type(error).__name__, exc_info=error)
    return problem(500, "Internal error", "Something went wrong on our side.")
