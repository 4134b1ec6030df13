"""Webhook settings (R-NOTE-7, owner and administrator): subscribe endpoints, edit, disable or
enable, rotate the secret (shown once), queue a test delivery, and each subscription's delivery log
with replay. Sending happens in the worker, never in these requests."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sellerdesk.core.errors import DomainError, InvalidInput, NotFound
from sellerdesk.webhooks import selectors, services
from sellerdesk.webhooks.models import WebhookDelivery, WebhookSubscription

from ..forms import WebhookForm, error_list
from ..permissions import staff_view

PERMISSION = services.PERMISSION


def _not_found(error: NotFound) -> HttpResponse:
    return HttpResponse(error.detail, status=404, content_type="text/plain; charset=utf-8")


def _form_error(form: WebhookForm, error: DomainError) -> None:
    field = error.extra.get("field") if isinstance(error, InvalidInput) else None
    form.add_error(field if field in form.fields else None, error.detail)


def _list_page(
    request: HttpRequest, *, form: WebhookForm | None = None, secret: str = "", status: int = 200
) -> HttpResponse:
    seller_id = request.seller.pk  # type: ignore[attr-defined]  # staff_view sets request.seller and request.actor
    subs = list(WebhookSubscription.objects.filter(seller_id=seller_id))
    context: dict[str, Any] = {
        "form": form or WebhookForm(),
        "errors": error_list(form),
        "subscriptions": subs,
        "stopped": selectors.stopped_by_the_system(seller_id),
        "secret": secret,
        "max_subscriptions": services.MAX_SUBSCRIPTIONS,
    }
    return TemplateResponse(request, "dashboard/webhooks/list.html", context, status=status)


@staff_view(PERMISSION)
def webhooks(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _list_page(request)
    form = WebhookForm(request.POST)
    if not form.is_valid():
        return _list_page(request, form=form, status=422)
    try:
        created = services.subscription_create(
            seller_id=request.seller.pk,  # type: ignore[attr-defined]  # staff_view sets request.seller and request.actor
            actor=request.actor,  # type: ignore[attr-defined]  # staff_view sets request.seller and request.actor
            url=form.cleaned_data["url"],
            event_types=form.cleaned_data["event_types"],
            description=form.cleaned_data["description"],
        )
    except DomainError as error:
        _form_error(form, error)
        return _list_page(request, form=form, status=422)
    # Answered, not redirected: the secret is on this page only.
    return _detail_page(request, created.subscription, secret=created.secret, status=201)


def _detail_page(
    request: HttpRequest,
    sub: WebhookSubscription,
    *,
    form: WebhookForm | None = None,
    secret: str = "",
    status: int = 200,
) -> HttpResponse:
    deliveries = WebhookDelivery.objects.filter(subscription=sub).prefetch_related("attempt_log")
    page = Paginator(deliveries, 25).get_page(request.GET.get("page"))
    context: dict[str, Any] = {
        "sub": sub,
        "form": form
        or WebhookForm(
            initial={"url": sub.url, "description": sub.description, "event_types": sub.event_types}
        ),
        "errors": error_list(form),
        "secret": secret,
        "rotating_until": sub.rotating_until(timezone.now()),
        "page": page,
        "stopped": not sub.is_active and sub.disabled_reason in selectors.SYSTEM_REASONS,
    }
    return TemplateResponse(request, "dashboard/webhooks/detail.html", context, status=status)


def _get(request: HttpRequest, webhook_id: int) -> WebhookSubscription:
    return services.subscription_get(seller_id=request.seller.pk, webhook_id=webhook_id)  # type: ignore[attr-defined]  # staff_view sets request.seller and request.actor


@staff_view(PERMISSION)
def webhook(request: HttpRequest, webhook_id: int) -> HttpResponse:
    try:
        sub = _get(request, webhook_id)
    except NotFound as error:
        return _not_found(error)
    if request.method != "POST":
        return _detail_page(request, sub)
    form = WebhookForm(request.POST)
    if not form.is_valid():
        return _detail_page(request, sub, form=form, status=422)
    try:
        services.subscription_update(
            seller_id=request.seller.pk,  # type: ignore[attr-defined]  # staff_view sets request.seller and request.actor
            actor=request.actor,  # type: ignore[attr-defined]  # staff_view sets request.seller and request.actor
            webhook_id=sub.pk,
            url=form.cleaned_data["url"],
            event_types=form.cleaned_data["event_types"],
            description=form.cleaned_data["description"],
        )
    except DomainError as error:
        _form_error(form, error)
        return _detail_page(request, sub, form=form, status=422)
    messages.success(request, _("Webhook saved."))
    return redirect("dashboard:webhook", webhook_id=sub.pk)


def _action(request: HttpRequest, webhook_id: int, run: Any, done: str) -> HttpResponse:
    try:
        run(
            seller_id=request.seller.pk,  # type: ignore[attr-defined]  # staff_view sets request.seller and request.actor
            actor=request.actor,  # type: ignore[attr-defined]  # staff_view sets request.seller and request.actor
            webhook_id=webhook_id,
        )
    except NotFound as error:
        return _not_found(error)
    except DomainError as error:
        messages.error(request, error.detail)
        return redirect("dashboard:webhook", webhook_id=webhook_id)
    messages.success(request, done)
    return redirect("dashboard:webhook", webhook_id=webhook_id)


@require_POST
@staff_view(PERMISSION)
def webhook_toggle(request: HttpRequest, webhook_id: int) -> HttpResponse:
    enable = request.POST.get("enable") == "1"

    def run(**kw: Any) -> WebhookSubscription:
        return services.subscription_update(is_active=enable, **kw)

    return _action(request, webhook_id, run, _("Webhook enabled.") if enable else _("Webhook disabled."))


@require_POST
@staff_view(PERMISSION)
def webhook_test(request: HttpRequest, webhook_id: int) -> HttpResponse:
    return _action(
        request,
        webhook_id,
        services.test_send,
        _("A test delivery is queued; it appears in the log below once sent."),
    )


@require_POST
@staff_view(PERMISSION)
def webhook_rotate(request: HttpRequest, webhook_id: int) -> HttpResponse:
    try:
        created = services.subscription_rotate(
            seller_id=request.seller.pk,  # type: ignore[attr-defined]  # staff_view sets request.seller and request.actor
            actor=request.actor,  # type: ignore[attr-defined]  # staff_view sets request.seller and request.actor
            webhook_id=webhook_id,
        )
    except NotFound as error:
        return _not_found(error)
    return _detail_page(request, created.subscription, secret=created.secret)


@require_POST
@staff_view(PERMISSION)
def webhook_delete(request: HttpRequest, webhook_id: int) -> HttpResponse:
    try:
        services.subscription_delete(
            seller_id=request.seller.pk,  # type: ignore[attr-defined]  # staff_view sets request.seller and request.actor
            actor=request.actor,  # type: ignore[attr-defined]  # staff_view sets request.seller and request.actor
            webhook_id=webhook_id,
        )
    except NotFound as error:
        return _not_found(error)
    messages.success(request, _("Webhook deleted."))
    return redirect("dashboard:webhooks")


@require_POST
@staff_view(PERMISSION)
def webhook_replay(request: HttpRequest, webhook_id: int, webhook_delivery_id: int) -> HttpResponse:
    try:
        services.delivery_replay(
            seller_id=request.seller.pk,  # type: ignore[attr-defined]  # staff_view sets request.seller and request.actor
            actor=request.actor,  # type: ignore[attr-defined]  # staff_view sets request.seller and request.actor
            webhook_id=webhook_id,
            delivery_id=webhook_delivery_id,
        )
    except NotFound as error:
        return _not_found(error)
    except DomainError as error:
        messages.error(request, error.detail)
        return redirect("dashboard:webhook", webhook_id=webhook_id)
    messages.success(request, _("The delivery is queued to be sent again with the same webhook-id."))
    return redirect("dashboard:webhook", webhook_id=webhook_id)
