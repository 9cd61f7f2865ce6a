"""Who is asking: a signed session cookie for people, an API key for partners.

The cookie holds only the member's id and role, signed with `SECRET_KEY` and
timestamped, so it cannot be forged or kept past its age. Sign-in links and API
keys themselves are checked by the membership service, which stores them hashed."""

import logging
from dataclasses import dataclass, field
from pathlib import Path

from itsdangerous import BadSignature, URLSafeTimedSerializer
from nameko.extensions import DependencyProvider
from werkzeug.wrappers import Request, Response

from infra import devsecret

logger = logging.getLogger(__name__)

COOKIE = "coprod_session"
ROLES = ("anonymous", "member", "coordinator", "partner")
_DEV_SECRET_FILE = Path("var/gateway-secret")


@dataclass(frozen=True)
class Identity:
    role: str = "anonymous"
    member_id: str | None = None
    scopes: frozenset[str] = field(default_factory=frozenset)
    partner_id: str | None = None  # set for role `partner`, from its API key

    @property
    def is_person(self) -> bool:
        return self.role in ("member", "coordinator")


ANONYMOUS = Identity()


def offered_api_key(request: Request) -> str | None:
    """The API key in `Authorization: Bearer <key>` or `X-API-Key`, if any."""
    scheme, _, credentials = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "bearer" and credentials.strip():
        return credentials.strip()
    return request.headers.get("X-API-Key", "").strip() or None


def development_secret() -> str:
    """A key for a developer's machine, kept under var/ so that every gateway copy
    started by `make run` shares it. Production sets SECRET_KEY."""
    return devsecret.development_secret(_DEV_SECRET_FILE)


class SessionCookies:
    """Signs a person's identity into the session cookie and reads it back."""

    def __init__(self, secret: str, max_age: int, secure: bool):
        self.serializer = URLSafeTimedSerializer(secret, salt="session")
        self.max_age, self.secure = max_age, secure

    def read(self, request: Request) -> Identity:
        token = request.cookies.get(COOKIE)
        if not token:
            return ANONYMOUS
        try:
            data = self.serializer.loads(token, max_age=self.max_age)
        except BadSignature:
            return ANONYMOUS
        if data.get("role") not in ("member", "coordinator"):
            return ANONYMOUS
        return Identity(role=data["role"], member_id=data["member_id"])

    def start(self, response: Response, identity: Identity) -> None:
        token = self.serializer.dumps(
            {"member_id": identity.member_id, "role": identity.role}
        )
        response.set_cookie(
            COOKIE,
            token,
            max_age=self.max_age,
            httponly=True,
            samesite="Lax",
            secure=self.secure,
        )

    def end(self, response: Response) -> None:
        response.delete_cookie(COOKIE, httponly=True, samesite="Lax")


def secret_key(config: dict) -> str:
    """SECRET_KEY from the environment; on a developer's machine, the one under var/."""
    secret = str(config.get("SECRET_KEY") or "")
    if secret:
        return secret
    if str(config.get("ENVIRONMENT", "development")) != "development":
        raise RuntimeError("SECRET_KEY must be set outside development.")
    return development_secret()


class Sessions(DependencyProvider):
    """Gives each worker the gateway's `SessionCookies`, keyed by `SECRET_KEY`."""

    def setup(self) -> None:
        config = self.container.config
        self.cookies = SessionCookies(
            secret_key(config),
            max_age=int(config.get("SESSION_MAX_AGE", 14 * 24 * 3600)),
            secure=str(config.get("ENVIRONMENT", "development")) != "development",
        )

    def get_dependency(self, worker_ctx) -> SessionCookies:
        return self.cookies
