"""Partner systems' API keys. A key reads `cpn_<prefix>_<secret>`: the prefix
finds its row, and only the SHA-256 of the secret is kept, compared in
constant time. The whole key is shown once, when it is made."""

import hashlib
import hmac
import logging
import re
import secrets
import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.membership.exceptions import ApiKeyNotFound, ApiKeyNotValid
from services.membership.members import paged
from services.membership.models import ApiKey

logger = logging.getLogger(__name__)

_SHAPE = re.compile(r"^cpn_([0-9a-f]{12})_([A-Za-z0-9_-]{20,100})$")


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create(session: Session, form: dict, created_by: str | None) -> dict[str, Any]:
    """Make a key; the answer carries the whole key, which is never kept."""
    prefix, secret = secrets.token_hex(6), secrets.token_urlsafe(32)
    key = ApiKey(
        id=str(uuid.uuid4()),
        prefix=prefix,
        secret_hash=_hash(secret),
        created_by=created_by,
        created_at=datetime.now(UTC),
        **form,
    )
    with session.begin():
        session.add(key)
    logger.info("api_key.created key=%s partner=%s", key.id, key.partner)
    return {"key": key, "secret": f"cpn_{prefix}_{secret}"}


def authenticate(session: Session, offered: str) -> ApiKey:
    """The live key that `offered` is, or `ApiKeyNotValid`."""
    shape = _SHAPE.match(offered or "")
    if shape is None:
        raise ApiKeyNotValid("This API key is not valid.")
    prefix, secret = shape.groups()
    with session.begin():
        key = session.scalar(select(ApiKey).where(ApiKey.prefix == prefix))
    known = key.secret_hash if key else _hash("")
    if not hmac.compare_digest(known, _hash(secret)) or key is None:
        raise ApiKeyNotValid("This API key is not valid.")
    if key.revoked_at is not None:
        raise ApiKeyNotValid("This API key was revoked.")
    return key


def revoke(session: Session, key_id: str) -> ApiKey:
    with session.begin():
        key = session.get(ApiKey, key_id, with_for_update=True)
        if key is None:
            raise ApiKeyNotFound(f"No API key {key_id}.")
        key.revoked_at = key.revoked_at or datetime.now(UTC)
    logger.info("api_key.revoked key=%s partner=%s", key.id, key.partner)
    return key


def keys(
    session: Session, partner: str | None, revoked: bool, page: int, per_page: int
) -> dict[str, Any]:
    query = select(ApiKey)
    if partner:
        query = query.where(ApiKey.partner == partner)
    if not revoked:
        query = query.where(ApiKey.revoked_at.is_(None))
    with session.begin():
        return paged(
            session, query, (ApiKey.created_at.desc(), ApiKey.id), page, per_page
        )
