"""GET/PUT /api/v1/notification-templates: a seller's customer notification templates (R-NOTE-2).

Owner and administrator keys only (`settings.manage`), as on the dashboard's settings page. The
kinds, channels and languages are the catalogue's (sellerdesk/custnotify/catalogue.py).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import Field, StrictBool

from sellerdesk.accounts.actors import Actor
from sellerdesk.custnotify import services
from sellerdesk.custnotify.catalogue import CHANNELS, KINDS, LANGUAGES
from sellerdesk.custnotify.sandbox import MAX_BODY, MAX_SUBJECT

from . import auth

router = Router(tags=["notification templates"])
# Reads of the seller's settings need more than `order.read`: the document names it (a 403 is possible).
SETTINGS_READ = auth.SETTINGS_READ

KindName = StrEnum("KindName", {k.code: k.code for k in KINDS})  # type: ignore[misc]  # from the catalogue
ChannelName = StrEnum("ChannelName", {c: c for c in CHANNELS})  # type: ignore[misc]  # from the catalogue
LanguageName = StrEnum("LanguageName", {lang: lang for lang in LANGUAGES})  # type: ignore[misc]  # from the catalogue


class TemplateOut(Schema):
    kind: str = Field(description="The kind of message (placed, confirmed, shipped, …)")
    channel: str = Field(description="email or sms")
    language: str = Field(description="en or ru")
    enabled: bool = Field(description="Whether this message is sent")
    subject: str = Field(description="The subject template (e-mail only; empty for SMS)")
    body: str = Field(description="The text template (Django template syntax, sandboxed)")
    custom: bool = Field(description="true: the seller's own text; false: the default text")


class TemplateIn(Schema):
    enabled: StrictBool = Field(description="Whether this message is sent")
    subject: str = Field(
        default="", max_length=MAX_SUBJECT, description="The subject template; empty: the default subject"
    )
    body: str = Field(min_length=1, max_length=MAX_BODY, description="The text template")


def _out(t: services.Effective) -> dict[str, Any]:
    return {
        "kind": t.kind.code,
        "channel": t.channel,
        "language": t.language,
        "enabled": t.enabled,
        "subject": t.subject,
        "body": t.body,
        "custom": t.custom,
    }


def _seller_id(request: HttpRequest) -> int:
    return int(auth.api_key(request).seller_id)


@router.get(
    "",
    response=list[TemplateOut],
    auth=auth.SETTINGS,
    summary="List customer templates (R-NOTE-2)",
    openapi_extra=SETTINGS_READ,
)
def list_templates(request: HttpRequest) -> list[dict[str, Any]]:
    """Every kind × channel × language, with the seller's text or the default."""
    return [_out(t) for t in services.table(_seller_id(request))]


@router.get(
    "/{kind}/{channel}/{language}",
    response=TemplateOut,
    auth=auth.SETTINGS,
    summary="One customer template (R-NOTE-2)",
    openapi_extra=SETTINGS_READ,
)
def get_template(
    request: HttpRequest, kind: KindName, channel: ChannelName, language: LanguageName
) -> dict[str, Any]:
    found = services.lookup(str(kind), str(channel), str(language))
    return _out(services.effective(_seller_id(request), found, str(channel), str(language)))


@router.put(
    "/{kind}/{channel}/{language}",
    response=TemplateOut,
    auth=auth.SETTINGS,
    summary="Set a customer template and its switch (R-NOTE-2)",
)
def put_template(
    request: HttpRequest, kind: KindName, channel: ChannelName, language: LanguageName, body: TemplateIn
) -> dict[str, Any]:
    """A template that does not parse in the sandbox, or fails on the sample order, is a 422
    `template_invalid` whose `errors` name the field."""
    saved = services.template_save(
        Actor.integration(auth.api_key(request)),
        seller_id=_seller_id(request),
        kind=str(kind),
        channel=str(channel),
        language=str(language),
        subject=body.subject,
        body=body.body,
        enabled=body.enabled,
    )
    return _out(saved)
