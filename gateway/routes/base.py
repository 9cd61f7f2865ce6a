"""What every group of routes shares: configuration, the services it calls, and
who is asking."""

from typing import Any

from nameko.dependency_providers import Config
from werkzeug.wrappers import Request

from contracts.errors import InvalidInput
from gateway.access import require
from gateway.auth import Identity, Sessions, offered_api_key
from gateway.exceptions import Unauthenticated
from gateway.limits import RateLimits
from gateway.rpc import DEFAULT_TIMEOUT, call, proxy
from services.membership.exceptions import ApiKeyNotValid

SERVICES = ("membership", "stories", "directory", "notifications")


class GatewayBase:
    config = Config()
    sessions = Sessions()
    limits = RateLimits()
    membership = proxy("membership")
    stories = proxy("stories")
    directory = proxy("directory")
    notifications = proxy("notifications")

    def _call(self, service, method: str, *args: Any) -> Any:
        timeout = float(self.config.get("RPC_TIMEOUT", DEFAULT_TIMEOUT))
        return call(service, method, *args, timeout=timeout)

    def identity(self, request: Request) -> Identity:
        """A partner when the request carries an API key (a bad key is refused,
        never taken for nobody), else whoever the session cookie names."""
        if "coprod.identity" not in request.environ:
            key = offered_api_key(request)
            found = self.sessions.read(request) if key is None else self._partner(key)
            request.environ["coprod.identity"] = found
        return request.environ["coprod.identity"]

    def _partner(self, key: str) -> Identity:
        try:
            partner = self._call(self.membership, "authenticate_api_key", key)
        except (ApiKeyNotValid, InvalidInput) as error:
            raise Unauthenticated(
                "This API key is not valid, or was revoked."
            ) from error
        scopes = frozenset(partner["scopes"])
        return Identity("partner", scopes=scopes, partner_id=partner["partner_id"])

    def allow(
        self, request: Request, action: str, owner: str | None = None
    ) -> Identity:
        """Who is asking, once `gateway.access` says they may take `action`."""
        identity = self.identity(request)
        require(identity, action, owner)
        return identity
