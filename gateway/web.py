"""Reading JSON requests and writing JSON responses."""

import json
from typing import Any

from werkzeug.wrappers import Request, Response

from gateway.exceptions import BadRequestBody


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


def query_args(request: Request, *names: str) -> dict[str, str]:
    """The named query-string arguments that are present, as the service's schema
    will parse them."""
    return {name: request.args[name] for name in names if name in request.args}
