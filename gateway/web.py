"""Reading JSON requests and writing JSON responses."""

import json
from datetime import date
from typing import Any

from werkzeug.wrappers import Request, Response

from gateway.exceptions import BadRequestBody


def json_body(request: Request) -> Any:
    try:
        return json.loads(request.get_data(cache=False) or b"null")
    except (ValueError, UnicodeDecodeError) as error:
        raise BadRequestBody("The body must be JSON, in UTF-8.") from error
    except RecursionError as error:
        raise BadRequestBody("The body's JSON is nested too deeply.") from error


def _as_json(value: Any) -> str:
    # kombu hands dates and times back as objects; JSON gives them as ISO 8601.
    if isinstance(value, date):  # a datetime is a date too
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON")


def json_response(
    payload: Any, status: int = 200, headers: dict | None = None
) -> Response:
    return Response(
        json.dumps(payload, ensure_ascii=False, default=_as_json),
        status=status,
        headers=headers,
        mimetype="application/json",
    )


def query_args(request: Request, *names: str) -> dict[str, str]:
    """The named query-string arguments that are present, as the service's schema
    will parse them."""
    return {name: request.args[name] for name in names if name in request.args}


def filled_args(request: Request, *names: str) -> dict[str, str]:
    """As `query_args`, for a page's form of filters: a choice left empty
    ("anywhere", "any kind") is no filter at all."""
    return {name: value for name, value in query_args(request, *names).items() if value}
