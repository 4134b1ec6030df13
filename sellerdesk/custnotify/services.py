"""Reads and writes of a seller's customer templates, the language rule and message rendering."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from sellerdesk.accounts.actors import Actor
from sellerdesk.accounts.models import Seller
from sellerdesk.core.errors import InvalidInput, NotFound
from sellerdesk.orders.models import Order

from . import sandbox
from .catalogue import CHANNELS, DEFAULT_ON, KIND_BY_CODE, KINDS, LANGUAGES, SMS, Kind, default_texts
from .context import sample_context
from .models import CustomerNotifySettings, CustomerTemplate

_SAMPLE = sample_context(store="Store", currency="EUR", language="en")

PERMISSION = "settings.manage"  # who edits customer templates: owners and administrators

# The language of a delivery country's customers, when we have templates in it.
COUNTRY_LANGUAGES: dict[str, str] = {"RU": "ru", "BY": "ru", "KZ": "ru", "KG": "ru"}


def seller_default_language(seller: Seller) -> str:
    row = CustomerNotifySettings.objects.filter(seller=seller).first()
    if row and row.default_language in LANGUAGES:
        return row.default_language
    return COUNTRY_LANGUAGES.get(seller.country.upper(), "en")


def customer_language(order: Order) -> str:
    """Nothing stores a customer's language, so: the language of the delivery country when we have
    templates in it, else the seller's default language for customers."""
    address = order.shipping_address if isinstance(order.shipping_address, dict) else {}
    country = str(address.get("country") or "").upper()
    if country in COUNTRY_LANGUAGES:
        return COUNTRY_LANGUAGES[country]
    return seller_default_language(order.seller)


@dataclass(frozen=True)
class Effective:
    """What is sent for one (kind, channel, language): the seller's text or the default."""

    kind: Kind
    channel: str
    language: str
    enabled: bool
    subject: str
    body: str
    custom: bool  # the seller's own text (not the default)


def _effective(kind: Kind, channel: str, language: str, row: CustomerTemplate | None) -> Effective:
    with translation.override(language):
        subject, body = default_texts(kind, channel)
    custom = bool(row and (row.subject or row.body))
    return Effective(
        kind=kind,
        channel=channel,
        language=language,
        enabled=row.enabled if row else DEFAULT_ON[channel],
        subject=(row.subject if row and row.subject else subject) if channel != SMS else "",
        body=row.body if row and row.body else body,
        custom=custom,
    )


def effective(seller_id: int, kind: Kind, channel: str, language: str) -> Effective:
    row = CustomerTemplate.objects.filter(
        seller_id=seller_id, kind=kind.code, channel=channel, language=language
    ).first()
    return _effective(kind, channel, language, row)


def table(seller_id: int) -> list[Effective]:
    """Every (kind, channel, language) of the seller, in catalogue order, with one query."""
    rows = {(r.kind, r.channel, r.language): r for r in CustomerTemplate.objects.filter(seller_id=seller_id)}
    return [
        _effective(kind, channel, language, rows.get((kind.code, channel, language)))
        for kind in KINDS
        for channel in CHANNELS
        for language in LANGUAGES
    ]


def lookup(kind: str, channel: str, language: str) -> Kind:
    """The catalogue's kind; 404 for an unknown kind, channel or language."""
    found = KIND_BY_CODE.get(kind)
    if found is None or channel not in CHANNELS or language not in LANGUAGES:
        raise NotFound("template_not_found", f"There is no customer template {kind}/{channel}/{language}.")
    return found


_BAD_TAG = re.compile(r"Invalid block tag on line (\d+): '([^']+)'")
_BAD_FILTER = re.compile(r"Invalid filter: '([^']+)'")


def _explain(problem: str) -> str:
    """Django's parse error in the seller's terms (its own hint to "load" a tag does not apply here)."""
    if m := _BAD_TAG.search(problem):
        return _("line %(line)s: the tag “%(tag)s” is not available in customer templates") % {
            "line": m.group(1),
            "tag": m.group(2),
        }
    if m := _BAD_FILTER.search(problem):
        return _("the filter “%(name)s” is not available in customer templates") % {"name": m.group(1)}
    return problem


def template_errors(*, channel: str, subject: str, body: str) -> dict[str, str]:
    """Per-field problems of a template (a parse error, a text too long); {} when it is fine."""
    errors: dict[str, str] = {}
    if channel != SMS and len(subject) > sandbox.MAX_SUBJECT:
        errors["subject"] = _("At most %(n)s characters.") % {"n": sandbox.MAX_SUBJECT}
    if len(body) > sandbox.MAX_BODY:
        errors["body"] = _("At most %(n)s characters.") % {"n": sandbox.MAX_BODY}
    for field, source in (("subject", subject if channel != SMS else ""), ("body", body)):
        if field in errors:
            continue
        problem = sandbox.check(source)
        if problem:
            errors[field] = _("This template cannot be read: %(error)s") % {"error": _explain(problem)}
            continue
        try:  # filled in with the sample order: a template that fails there fails on real orders too
            sandbox.render(source, _SAMPLE)
        except sandbox.TemplateRenderError as exc:
            errors[field] = _("This template fails when it is filled in: %(error)s") % {"error": exc}
    return errors


def _row(seller_id: int, kind: Kind, channel: str, language: str) -> CustomerTemplate:
    row, _created = CustomerTemplate.objects.select_for_update().get_or_create(
        seller_id=seller_id,
        kind=kind.code,
        channel=channel,
        language=language,
        defaults={"enabled": DEFAULT_ON[channel]},
    )
    return row


def template_save(
    actor: Actor,
    *,
    seller_id: int,
    kind: str,
    channel: str,
    language: str,
    subject: str,
    body: str,
    enabled: bool,
) -> Effective:
    """Store the seller's text and switch. A template that does not parse is refused (422)."""
    actor.require(PERMISSION)
    found = lookup(kind, channel, language)
    errors = template_errors(channel=channel, subject=subject, body=body)
    if errors:
        raise InvalidInput(
            "template_invalid", "; ".join(errors.values()), field=next(iter(errors)), errors=errors
        )
    with translation.override(language):
        default_subject, default_body = default_texts(found, channel)
    with transaction.atomic():
        row = _row(seller_id, found, channel, language)
        # The default text saved unchanged stays "the default" (it follows the catalogue's wording).
        row.subject = "" if subject.strip() == default_subject.strip() or channel == SMS else subject
        row.body = "" if body.strip() == default_body.strip() else body
        row.enabled = enabled
        row.updated_by = actor.user
        row.save()
    return _effective(found, channel, language, row)


def template_switch(
    actor: Actor, *, seller_id: int, kind: str, channel: str, language: str, enabled: bool
) -> Effective:
    actor.require(PERMISSION)
    found = lookup(kind, channel, language)
    with transaction.atomic():
        row = _row(seller_id, found, channel, language)
        row.enabled = enabled
        row.updated_by = actor.user
        row.save()
    return _effective(found, channel, language, row)


def template_reset(actor: Actor, *, seller_id: int, kind: str, channel: str, language: str) -> Effective:
    """Back to the default text; the on/off switch is kept."""
    actor.require(PERMISSION)
    found = lookup(kind, channel, language)
    with transaction.atomic():
        row = _row(seller_id, found, channel, language)
        row.subject = ""
        row.body = ""
        row.updated_by = actor.user
        row.save()
    return _effective(found, channel, language, row)


def default_language_set(actor: Actor, *, seller_id: int, language: str) -> None:
    actor.require(PERMISSION)
    if language not in LANGUAGES:
        raise InvalidInput("language_invalid", f"Choose one of {', '.join(LANGUAGES)}.")
    with transaction.atomic():
        CustomerNotifySettings.objects.update_or_create(
            seller_id=seller_id, defaults={"default_language": language}
        )


_SPACES = re.compile(r"\s+")


def render_message(template: Effective, context: dict[str, Any]) -> tuple[str, str]:
    """(subject, body) of `template` for `context`, under the template's language.

    A stored text that no longer parses (saved before a tag left the sandbox) or fails on this
    order's values falls back to the default text rather than failing the delivery.
    """
    with translation.override(template.language):
        default_subject, default_body = default_texts(template.kind, template.channel)
        try:
            subject = sandbox.render(template.subject, context) if template.subject else ""
        except (sandbox.TemplateSyntaxError, sandbox.TemplateRenderError):
            subject = sandbox.render(default_subject, context) if default_subject else ""
        try:
            body = sandbox.render(template.body, context)
        except (sandbox.TemplateSyntaxError, sandbox.TemplateRenderError):
            body = sandbox.render(default_body, context)
    return _SPACES.sub(" ", subject).strip()[: sandbox.MAX_SUBJECT], body.strip()
