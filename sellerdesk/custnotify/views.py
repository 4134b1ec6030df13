"""The "Customer notifications" settings (R-NOTE-2): the list of kinds with their switches, the
editor with its preview. Owners and administrators only (the `settings.manage` permission)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from sellerdesk.core.errors import DomainError, NotFound
from sellerdesk.dashboard.forms import error_list
from sellerdesk.dashboard.permissions import staff_view
from sellerdesk.orders.models import Order

from . import services
from .catalogue import CHANNEL_LABELS, CHANNELS, KINDS, LANGUAGES, SMS
from .context import VARIABLES, customer_context, sample_context

PERMISSION = services.PERMISSION
LANGUAGE_NAMES = {"en": "English", "ru": "Русский"}


class TemplateForm(forms.Form):
    enabled = forms.BooleanField(label=gettext_lazy("Send this message"), required=False)
    subject = forms.CharField(label=gettext_lazy("Subject"), required=False, max_length=200)
    body = forms.CharField(
        label=gettext_lazy("Text"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 12, "spellcheck": "true"}),
        help_text=gettext_lazy("Django template syntax: {{ number }}, {% if … %}, {% for … %}."),
    )

    def __init__(self, *args: Any, channel: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.channel = channel
        if channel == SMS:
            del self.fields["subject"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        problems = services.template_errors(
            channel=self.channel, subject=data.get("subject", "") or "", body=data.get("body", "") or ""
        )
        for field, message in problems.items():
            if field in self.fields:
                self.add_error(field, message)
        return data


class LanguageForm(forms.Form):
    default_language = forms.ChoiceField(
        label=gettext_lazy("Language for customers whose language is unknown"),
        choices=[(code, LANGUAGE_NAMES[code]) for code in LANGUAGES],
    )


def _seller(request: HttpRequest) -> Any:
    return request.seller  # type: ignore[attr-defined]  # staff_view sets request.seller and request.actor


@staff_view(PERMISSION)
def settings_page(request: HttpRequest) -> HttpResponse:
    seller = _seller(request)
    if request.method == "POST":
        form = LanguageForm(request.POST)
        if form.is_valid():
            services.default_language_set(
                request.actor,  # type: ignore[attr-defined]  # staff_view sets request.seller and request.actor
                seller_id=seller.pk,
                language=form.cleaned_data["default_language"],
            )
            messages.success(request, _("Customer notification settings saved."))
            return redirect("dashboard:customer_notifications")
        status = 422
    else:
        form = LanguageForm(initial={"default_language": services.seller_default_language(seller)})
        status = 200
    cells = {(e.kind.code, e.channel, e.language): e for e in services.table(seller.pk)}
    rows = [
        {
            "kind": kind,
            "cells": [
                {
                    "template": cells[(kind.code, channel, language)],
                    "channel_label": CHANNEL_LABELS[channel],
                    "language_name": LANGUAGE_NAMES[language],
                }
                for channel in CHANNELS
                for language in LANGUAGES
            ],
        }
        for kind in KINDS
    ]
    columns = [
        {"channel": CHANNEL_LABELS[c], "language": LANGUAGE_NAMES[lang]}
        for c in CHANNELS
        for lang in LANGUAGES
    ]
    context = {"rows": rows, "columns": columns, "form": form, "errors": error_list(form)}
    return TemplateResponse(request, "custnotify/settings.html", context, status=status)


def _preview_context(seller: Any, kind: str, language: str) -> tuple[dict[str, Any], Order | None]:
    """The seller's latest real order seen as the customer would, or a labelled sample."""
    order = (
        Order.objects.filter(seller=seller, is_test=False)
        .select_related("seller")
        .order_by("-created_at", "-id")
        .first()
    )
    with translation.override(language):
        if order is None:
            return sample_context(store=seller.name, currency=seller.currency, language=language), None
        payload: dict[str, Any] = {}
        event_type = ""
        if kind == "out_for_delivery":
            first = order.shipments.order_by("number").values_list("number", flat=True).first()
            event_type, payload = "shipment_status_changed", {"shipment": first}
        elif kind == "refunded":
            event_type = "refund_recorded"
            payload = {"amount": str(order.refunded_amount or order.total)}
        elif kind == "amount_changed":
            payload = {"total": {"from": str(order.total + Decimal("1")), "to": str(order.total)}}
        elif kind == "cancelled":
            payload = {"reason": order.cancel_reason or "customer_request"}
        context = customer_context(order, language=language, event_type=event_type, payload=payload)
        if kind == "cancelled" and not context["cancel_reason"]:
            from sellerdesk.orders.methods import cancel_reason_label

            context["cancel_reason"] = str(cancel_reason_label(payload["reason"]))
    return context, order


def _editor(
    request: HttpRequest, kind: str, channel: str, language: str, form: TemplateForm | None, status: int = 200
) -> HttpResponse:
    seller = _seller(request)
    try:
        found = services.lookup(kind, channel, language)
    except NotFound as exc:
        raise Http404(exc.detail) from exc
    current = services.effective(seller.pk, found, channel, language)
    if form is None:
        form = TemplateForm(
            initial={"enabled": current.enabled, "subject": current.subject, "body": current.body},
            channel=channel,
        )
    preview = _preview(seller, current, form.data if form.is_bound else None)
    context = {
        "kind": found,
        "channel": channel,
        "channel_label": CHANNEL_LABELS[channel],
        "language": language,
        "language_name": LANGUAGE_NAMES[language],
        "current": current,
        "form": form,
        "errors": error_list(form),
        "variables": VARIABLES,
        "preview": preview,
    }
    return TemplateResponse(request, "custnotify/editor.html", context, status=status)


def _preview(seller: Any, current: services.Effective, data: Any) -> dict[str, Any]:
    subject = current.subject
    body = current.body
    if data is not None:
        subject = str(data.get("subject", "") or "") if current.channel != SMS else ""
        body = str(data.get("body", "") or "")
    problems = services.template_errors(channel=current.channel, subject=subject, body=body)
    context, order = _preview_context(seller, current.kind.code, current.language)
    out: dict[str, Any] = {"order": order.number if order else None, "errors": problems}
    if not problems:
        draft = services.Effective(
            kind=current.kind,
            channel=current.channel,
            language=current.language,
            enabled=current.enabled,
            subject=subject,
            body=body,
            custom=True,
        )
        out["subject"], out["body"] = services.render_message(draft, context)
    return out


@staff_view(PERMISSION)
def editor(request: HttpRequest, kind: str, channel: str, language: str) -> HttpResponse:
    if request.method != "POST":
        return _editor(request, kind, channel, language, None)
    form = TemplateForm(request.POST, channel=channel)
    if not form.is_valid():
        return _editor(request, kind, channel, language, form, status=422)
    try:
        services.template_save(
            request.actor,  # type: ignore[attr-defined]  # staff_view sets request.seller and request.actor
            seller_id=_seller(request).pk,
            kind=kind,
            channel=channel,
            language=language,
            subject=form.cleaned_data.get("subject", "") or "",
            body=form.cleaned_data["body"],
            enabled=bool(form.cleaned_data.get("enabled")),
        )
    except NotFound as exc:
        raise Http404(exc.detail) from exc
    except DomainError as exc:  # the form checked the same rules; kept for a race with a code change
        form.add_error(None, exc.detail)
        return _editor(request, kind, channel, language, form, status=422)
    messages.success(request, _("Template saved."))
    return redirect("dashboard:customer_notifications")


@require_POST
@staff_view(PERMISSION)
def preview(request: HttpRequest, kind: str, channel: str, language: str) -> HttpResponse:
    """The editor's preview of the text being typed (HTMX), before anything is saved."""
    seller = _seller(request)
    try:
        found = services.lookup(kind, channel, language)
    except NotFound as exc:
        raise Http404(exc.detail) from exc
    current = services.effective(seller.pk, found, channel, language)
    context = {"preview": _preview(seller, current, request.POST), "channel": channel}
    return TemplateResponse(request, "custnotify/_preview.html", context)


@require_POST
@staff_view(PERMISSION)
def switch(request: HttpRequest, kind: str, channel: str, language: str) -> HttpResponse:
    enabled = request.POST.get("enabled") == "1"
    try:
        services.template_switch(
            request.actor,  # type: ignore[attr-defined]  # staff_view sets request.seller and request.actor
            seller_id=_seller(request).pk,
            kind=kind,
            channel=channel,
            language=language,
            enabled=enabled,
        )
    except NotFound as exc:
        raise Http404(exc.detail) from exc
    messages.success(request, _("Switched on.") if enabled else _("Switched off."))
    return redirect("dashboard:customer_notifications")


@require_POST
@staff_view(PERMISSION)
def reset(request: HttpRequest, kind: str, channel: str, language: str) -> HttpResponse:
    try:
        services.template_reset(
            request.actor,  # type: ignore[attr-defined]  # staff_view sets request.seller and request.actor
            seller_id=_seller(request).pk,
            kind=kind,
            channel=channel,
            language=language,
        )
    except NotFound as exc:
        raise Http404(exc.detail) from exc
    messages.success(request, _("The default text is back."))
    return redirect("dashboard:customer_notification_edit", kind=kind, channel=channel, language=language)
