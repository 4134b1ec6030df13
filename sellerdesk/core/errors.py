"""One application error type with a stable code.

The API renders it as problem+json (RFC 9457); the dashboard as a message.
"""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A refused operation. `code` is stable and documented; `status` is the HTTP status."""

    status = 400
    title = "Bad request"

    def __init__(self, code: str, detail: str, **extra: Any) -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail
        self.extra = extra


class InvalidInput(DomainError):
    status = 422
    title = "Invalid input"


class NotFound(DomainError):
    status = 404
    title = "Not found"


class Forbidden(DomainError):
    status = 403
    title = "Forbidden"


class Conflict(DomainError):
    """The request is valid but the current state refuses it (a refused transition, no stock)."""

    status = 409
    title = "Conflict"
