"""What every group of routes shares: configuration, the services it calls, and
who is asking."""

from typing import Any

from nameko.dependency_providers import Config
from werkzeug.wrappers import Request

from gateway.access import require
from gateway.auth import Identity, Sessions
from gateway.limits import RateLimits
from gateway.rpc import DEFAULT_TIMEOUT, call, proxy

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
        return self.sessions.read(request)

    def allow(
        self, request: Request, action: str, owner: str | None = None
    ) -> Identity:
        """Who is asking, once `gateway.access` says they may take `action`."""
        identity = self.identity(request)
        require(identity, action, owner)
        return identity
