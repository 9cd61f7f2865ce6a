"""Secrets we must keep but never in the clear: a single-use link's token until
its e-mail has gone, a partner's webhook secret. Sealed with Fernet (AES and
HMAC) under a key derived from the service's SECRET_KEY."""

import base64
from functools import cache

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

__all__ = ["InvalidToken", "seal", "unseal"]


@cache
def _fernet(secret_key: str) -> Fernet:
    derive = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"notifications.seal"
    )
    return Fernet(base64.urlsafe_b64encode(derive.derive(secret_key.encode())))


def seal(secret_key: str, text: str) -> str:
    return _fernet(secret_key).encrypt(text.encode()).decode()


def unseal(secret_key: str, sealed: str) -> str:
    """The text back; `InvalidToken` if it was sealed under another key."""
    return _fernet(secret_key).decrypt(sealed.encode()).decode()
