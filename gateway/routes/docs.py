"""The API's own descriptions: OpenAPI for HTTP, AsyncAPI for events, and the
pages that explain them, all served from here (no CDN)."""

from typing import Any

from werkzeug.wrappers import Request, Response

from gateway import asyncapi, openapi, pages
from gateway.http import route
from gateway.routes.base import GatewayBase
from gateway.web import json_response


def resolver(document: dict[str, Any]):
    """Follow a local `$ref` (one level is all the pages need)."""

    def resolve(node: Any) -> Any:
        if isinstance(node, dict) and "$ref" in node:
            found: Any = document
            for part in node["$ref"].lstrip("#/").split("/"):
                found = found[part]
            return found
        return node

    return resolve


def type_of(schema: dict[str, Any]) -> str:
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    kind = schema.get("type", "any")
    if kind == "array":
        return f"list of {type_of(schema.get('items', {}))}"
    if isinstance(kind, list):
        kind = " or ".join(str(k) for k in kind)
    if "enum" in schema:
        return f"{kind}: " + ", ".join(str(v) for v in schema["enum"] if v is not None)
    return str(kind)


class DocsRoutes(GatewayBase):
    @route("GET", "/api/openapi.json")
    def openapi_document(self, request: Request) -> Response:
        self.allow(request, "docs.view")
        return json_response(self._openapi())

    @route("GET", "/api/docs")
    def api_docs(self, request: Request) -> Response:
        self.allow(request, "docs.view")
        document = self._openapi()
        return pages.page(
            "api_docs.html",
            request=request,
            doc=document,
            resolve=resolver(document),
            type_of=type_of,
        )

    @route("GET", "/api/asyncapi.json")
    def asyncapi_document(self, request: Request) -> Response:
        self.allow(request, "docs.view")
        return json_response(asyncapi.document(host=self._broker_host()))

    @route("GET", "/api/events")
    def api_events(self, request: Request) -> Response:
        self.allow(request, "docs.view")
        return pages.page(
            "api_events.html", request=request, events=asyncapi.public_events()
        )

    def _openapi(self) -> dict[str, Any]:
        from gateway.service import GatewayService

        return openapi.document(GatewayService, self.config.get("PUBLIC_URL", "/"))

    def _broker_host(self) -> str:
        return str(self.config.get("PUBLIC_AMQP_HOST") or "127.0.0.1:5672")
