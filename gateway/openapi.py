"""The OpenAPI 3.1 document of the JSON API, generated from the routes and the
marshmallow schemas they name (`body`, `query`, `responses` on `@route`)."""

import inspect
import re
from dataclasses import dataclass
from typing import Any

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from marshmallow import Schema, fields
from nameko.extensions import ENTRYPOINT_EXTENSIONS_ATTR

from gateway.http import Route
from gateway.server import PATH_INTEGER_MAX

_CONVERTER = re.compile(r"<(?:(\w+):)?(\w+)>")
ERRORS = {
    "400": "The input needs attention; `errors` names each field.",
    "401": "Sign in first.",
    "403": "Not yours to do.",
    "404": "Nothing there.",
    "409": "Conflicts with what is there.",
    "413": "The body is too large.",
    "429": "Too many requests; wait and try again.",
    "503": "A service did not answer in time.",
}


class ProblemSchema(Schema):
    """An error, as RFC 9457 Problem Details."""

    type = fields.String(required=True)
    title = fields.String(required=True)
    status = fields.Integer(required=True)
    detail = fields.String()
    errors = fields.Dict(
        keys=fields.String(),
        values=fields.Raw(),
        metadata={"description": "Field messages"},
    )


@dataclass(frozen=True)
class Documented:
    name: str
    function: Any
    route: Route

    @property
    def url(self) -> str:
        return self.route.url


def routes(service_cls: type) -> list[Documented]:
    found = [
        Documented(name, function, entrypoint)
        for name, function in inspect.getmembers(service_cls, inspect.isfunction)
        for entrypoint in getattr(function, ENTRYPOINT_EXTENSIONS_ATTR, ())
        if isinstance(entrypoint, Route)
    ]
    return sorted(found, key=lambda found: (found.url, found.route.method))


def api_routes(service_cls: type) -> list[Documented]:
    return [found for found in routes(service_cls) if found.url.startswith("/api/v1/")]


def openapi_path(url: str) -> str:
    return _CONVERTER.sub(lambda match: "{" + match.group(2) + "}", url)


def document(service_cls: type, server_url: str = "/") -> dict[str, Any]:
    spec = APISpec(
        title="Co-production Network for Wales API",
        version="1",
        openapi_version="3.1.0",
        plugins=[MarshmallowPlugin()],
        info={"description": (service_cls.__doc__ or "").strip()},
        servers=[{"url": server_url}],
    )
    spec.components.schema("Problem", schema=ProblemSchema)
    for status, description in ERRORS.items():
        spec.components.response(
            f"Problem{status}",
            {
                "description": description,
                "content": {
                    "application/problem+json": {
                        "schema": {"$ref": "#/components/schemas/Problem"}
                    }
                },
            },
        )
    spec.components.security_scheme(
        "session", {"type": "apiKey", "in": "cookie", "name": "coprod_session"}
    )
    spec.components.security_scheme(
        "apiKey", {"type": "apiKey", "in": "header", "name": "X-API-Key"}
    )
    spec.components.security_scheme(
        "bearer", {"type": "http", "scheme": "bearer", "description": "An API key."}
    )
    paths: dict[str, dict[str, Any]] = {}
    for found in api_routes(service_cls):
        for method in found.route.method.split(","):
            paths.setdefault(openapi_path(found.url), {})[method.lower()] = operation(
                found
            )
    for path, operations in paths.items():
        spec.path(path=path, operations=operations)
    return spec.to_dict()


def operation(found: Documented) -> dict[str, Any]:
    doc = found.route.doc
    described = inspect.getdoc(found.function) or ""
    result: dict[str, Any] = {
        "summary": doc.get("summary") or described.split("\n\n")[0] or found.name,
        "description": described,
        "operationId": found.name,
        "tags": doc.get("tags", [found.url.split("/")[3]]),
        "parameters": _path_parameters(found.url),
        "responses": _responses(doc.get("responses", {})),
    }
    if "query" in doc:
        result["parameters"].append({"in": "query", "schema": doc["query"]})
    result["parameters"] += _header_parameters(doc.get("headers", {}))
    if "body" in doc:
        result["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": doc["body"]}},
        }
    return result


# What an `<int:...>` part of a path takes: numbers our databases can hold.
INTEGER = {"type": "integer", "minimum": 0, "maximum": PATH_INTEGER_MAX}


def _path_parameters(url: str) -> list[dict[str, Any]]:
    return [
        {
            "in": "path",
            "name": name,
            "required": True,
            "schema": INTEGER if kind == "int" else {"type": "string"},
        }
        for kind, name in _CONVERTER.findall(url)
    ]


def _header_parameters(headers: dict[str, str]) -> list[dict[str, Any]]:
    """Optional request headers a route reads, `{"Idempotency-Key": "what"}`."""
    return [
        {
            "in": "header",
            "name": name,
            "required": False,
            "description": text,
            "schema": {"type": "string", "maxLength": 200},
        }
        for name, text in headers.items()
    ]


def _responses(declared: dict) -> dict[str, Any]:
    responses: dict[str, Any] = {}
    for status, described in declared.items():
        responses[str(status)] = _response(described)
    for status in ERRORS:
        responses.setdefault(
            status, {"$ref": f"#/components/responses/Problem{status}"}
        )
    return responses


def _response(described) -> dict[str, Any]:
    """`Schema`, `(Schema, "text")`, `("text/csv", "text")` or just "text"."""
    if isinstance(described, str):
        return {"description": described}
    if isinstance(described, tuple) and isinstance(described[0], str):
        kind, text = described
        return {"description": text, "content": {kind: {"schema": {"type": "string"}}}}
    schema, text = described if isinstance(described, tuple) else (described, "")
    return {
        "description": text or "OK",
        "content": {"application/json": {"schema": schema}},
    }
