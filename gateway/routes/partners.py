"""Routes of partner systems' API keys: coordinators make, list and revoke
them; a partner sends its key as `Authorization: Bearer <key>` or `X-API-Key`."""

from werkzeug.wrappers import Request, Response

from gateway.http import route
from gateway.routes.base import GatewayBase
from gateway.web import json_body, json_response, query_args
from services.membership.replies import ApiKeyOut, ApiKeyPage, NewApiKeyOut
from services.membership.schemas import ApiKeyListSchema, ApiKeySchema

KEY = "/api/v1/api-keys/<string:key_id>"


class PartnerKeyRoutes(GatewayBase):
    @route(
        "POST",
        "/api/v1/api-keys",
        body=ApiKeySchema,
        responses={201: (NewApiKeyOut, "The key; `key` is shown this once only.")},
    )
    def create_api_key(self, request: Request) -> Response:
        """Make a key for a partner system with the scopes it needs
        (`directory:read`, `webhooks:manage`, `progress:read`,
        `evaluation:read`). Only a hash of it is kept: pass `key` on now."""
        who = self.allow(request, "apikeys.manage")
        form = json_body(request)
        made = self._call(self.membership, "create_api_key", form, who.member_id)
        headers = {
            "Location": f"/api/v1/api-keys/{made['id']}",
            "Cache-Control": "no-store",
        }
        return json_response(made, 201, headers)

    @route(
        "GET",
        "/api/v1/api-keys",
        query=ApiKeyListSchema,
        responses={200: (ApiKeyPage, "Keys, newest first, never their secrets.")},
    )
    def list_api_keys(self, request: Request) -> Response:
        """Live keys: `?partner=&revoked=true` to see revoked ones too."""
        self.allow(request, "apikeys.manage")
        query = query_args(request, "partner", "revoked", "page", "per_page")
        return json_response(self._call(self.membership, "list_api_keys", query))

    @route("DELETE", KEY, responses={200: (ApiKeyOut, "Revoked, from now on.")})
    def revoke_api_key(self, request: Request, key_id: str) -> Response:
        """Revoke a key: requests with it are refused from now on."""
        self.allow(request, "apikeys.manage")
        return json_response(self._call(self.membership, "revoke_api_key", key_id))
