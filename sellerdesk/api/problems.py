"""problem+json (RFC 9457) responses."""

from __future__ import annotations

import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse

PROBLEM_BASE = "https://sellerdesk.dev/problems/"


def problem(
    http_status: int, code: str, title: str, detail: str, extra: dict[str, Any] | None = None
) -> HttpResponse:
    body: dict[str, Any] = dict(extra or {})
    body.update(
        {
            "type": PROBLEM_BASE + code.replace("_", "-"),
            "title": title,
            "status": http_status,
            "detail": detail,
            "code": code,
        }
    )
    return HttpResponse(
        json.dumps(body, cls=DjangoJSONEncoder),
        status=http_status,
        content_type="application/problem+json",
    )
