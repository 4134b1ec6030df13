"""The one rule for unguessable tokens: the parts of customers' links (tracking page, conversation
page), the carriers' webhook addresses and the secret of an API key.

256 random bits from the operating system's generator, URL-safe base64 without padding
(43 characters): safe in a path, a query and a header, and far beyond guessing.
"""

from __future__ import annotations

import secrets

TOKEN_BYTES = 32


def new_token() -> str:
    """A fresh token of `TOKEN_BYTES` random bytes, URL-safe (43 characters)."""
    return secrets.token_urlsafe(TOKEN_BYTES)
