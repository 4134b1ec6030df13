"""Secrets at rest (carrier credentials): encrypted with a key derived from settings.

`SECRETS_KEY` (environment) is the key; without it, one is derived from SECRET_KEY. Values are
Fernet tokens (AES-128-CBC + HMAC-SHA256), so a changed key makes them unreadable, never wrong.
"""

from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings


def _fernet() -> Fernet:
    material = getattr(settings, "SECRETS_KEY", "") or settings.SECRET_KEY
    key = base64.urlsafe_b64encode(hashlib.sha256(f"sellerdesk-secrets:{material}".encode()).digest())
    return Fernet(key)


def encrypt(plain: str) -> str:
    return _fernet().encrypt(plain.encode()).decode() if plain else ""


def decrypt(token: str) -> str:
    """The plain value, or "" when there is none or the key changed (the account asks for it again)."""
    if not token:
        return ""
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        return ""
