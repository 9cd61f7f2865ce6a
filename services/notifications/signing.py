"""Signing webhook deliveries as the Standard Webhooks specification describes.

The secret is `whsec_` followed by the base64 of 24 to 64 random bytes; those
bytes are the HMAC-SHA256 key. Each delivery carries `webhook-id` (the same on
every retry), `webhook-timestamp` (seconds since 1970) and `webhook-signature`:
`v1,` and the base64 of the HMAC of `{id}.{timestamp}.{body}`."""

import base64
import binascii
import hashlib
import hmac
import secrets

PREFIX = "whsec_"


def new_secret() -> str:
    return PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def key_of(secret: str) -> bytes:
    """The key inside a secret; ValueError when it is not one."""
    if not secret.startswith(PREFIX):
        raise ValueError("A secret starts with whsec_.")
    try:
        key = base64.b64decode(secret[len(PREFIX) :], validate=True)
    except (binascii.Error, ValueError) as error:
        raise ValueError("After whsec_ comes base64.") from error
    if not 24 <= len(key) <= 64:
        raise ValueError("The secret must hold 24 to 64 bytes.")
    return key


def signature(secret: str, message_id: str, timestamp: int, body: str) -> str:
    signed = f"{message_id}.{timestamp}.{body}".encode()
    digest = hmac.new(key_of(secret), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def headers(secret: str, message_id: str, timestamp: int, body: str) -> dict[str, str]:
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": signature(secret, message_id, timestamp, body),
        "content-type": "application/json",
    }
