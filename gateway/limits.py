"""Rate limits on what a stranger could use to flood people's inboxes: asking
for a sign-in link, joining, responding to offers. Each action is limited per
client address and, where there is one, per e-mail address (kept only as a keyed
hash). Limits live in memory by default; several gateway copies share them
through `RATE_LIMIT_STORAGE` (for example `redis://host:6379`)."""

import hashlib
import hmac
import math
import time

from limits import parse, storage, strategies
from nameko.extensions import DependencyProvider
from werkzeug.wrappers import Request

from gateway.auth import secret_key
from gateway.exceptions import TooManyRequests

LIMITS = {
    "join": {"address": "20/hour", "email": "3/hour"},
    "sign_in": {"address": "30/hour", "email": "5/15 minutes"},
    "respond": {"address": "30/hour", "member": "20/hour"},
    "suggest": {"address": "20/hour"},
}


class RateLimits(DependencyProvider):
    def setup(self) -> None:
        config = self.container.config
        backend = storage.storage_from_string(
            str(config.get("RATE_LIMIT_STORAGE") or "memory://")
        )
        self.limiter = strategies.MovingWindowRateLimiter(backend)
        self.key = secret_key(config).encode()
        self.proxy_hops = int(config.get("PROXY_HOPS", 0))
        # `off` in config.yml reaches us as YAML's false.
        switch = str(config.get("RATE_LIMITS", "on")).lower()
        self.enabled = switch not in ("off", "false", "no", "0")

    def get_dependency(self, worker_ctx) -> "RateLimits":
        return self

    def client_address(self, request: Request) -> str:
        """The address the request came from; behind `PROXY_HOPS` trusted proxies,
        the one they saw."""
        if self.proxy_hops:
            forwarded = [
                a.strip() for a in request.headers.get("X-Forwarded-For", "").split(",")
            ]
            if len(forwarded) >= self.proxy_hops:
                return forwarded[-self.proxy_hops]
        return request.remote_addr or "unknown"

    def hit(self, action: str, request: Request, **keys: str) -> None:
        """Count one `action`; raise TooManyRequests when a limit is reached."""
        if not self.enabled:
            return
        counted = {"address": self.client_address(request), **keys}
        for kind, value in counted.items():
            if value:
                self._hit(action, kind, self._private(value))

    def _hit(self, action: str, kind: str, value: str) -> None:
        item = parse(LIMITS[action][kind])
        if self.limiter.hit(item, action, kind, value):
            return
        stats = self.limiter.get_window_stats(item, action, kind, value)
        wait = max(1, math.ceil(stats.reset_time - time.time()))
        raise TooManyRequests(
            "Too many requests like this one. Please wait and try again.", wait
        )

    def _private(self, value: str) -> str:
        normal = value.strip().casefold().encode()
        return hmac.new(self.key, normal, hashlib.sha256).hexdigest()[:32]
