"""The bell (in-app alerts), the alerts page, the notification settings, resending a delivery."""

from __future__ import annotations

import json

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sellerdesk.accounts.models import User
from sellerdesk.core.errors import Conflict, NotFound
from sellerdesk.dashboard.permissions import staff_view

from . import push, selectors, services, staff
from .forms import SettingsForm
from .models import PushSubscription


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]  # staff_view: a signed-in staff member


def _bell(request: HttpRequest) -> HttpResponse:
    return render(request, "notifications/_bell.html", {"unread": selectors.unread_count(_user(request).pk)})


@require_GET
@staff_view()
def bell(request: HttpRequest) -> HttpResponse:
    """Polled by the header every 15 s: the bell with the unread count."""
    return _bell(request)


@require_http_methods(["GET", "POST"])
@staff_view()
def alerts_page(request: HttpRequest) -> HttpResponse:
    """The staff member's alerts, newest first; POST marks them all read."""
    if request.method == "POST":
        services.alerts_read_all(user=request.user)  # type: ignore[arg-type]  # staff_view: a User
        return redirect("dashboard:notifications")
    items = selectors.alerts_of(_user(request).pk, limit=100)
    return render(
        request,
        "notifications/alerts.html",
        {"alerts": items, "unread": sum(a.read_at is None for a in items)},
    )


@require_POST
@staff_view()
def alert_read(request: HttpRequest, alert_id: int) -> HttpResponse:
    """Mark one alert read, then open its order (or go back to the list)."""
    try:
        alert = services.alert_read(user=request.user, alert_id=alert_id)  # type: ignore[arg-type]  # staff_view: a User
    except NotFound:
        raise Http404 from None
    if request.POST.get("open") and alert.order is not None:
        return redirect("dashboard:order", alert.order.number)
    return redirect("dashboard:notifications")


@require_http_methods(["GET", "POST"])
@staff_view()
def settings_page(request: HttpRequest) -> HttpResponse:
    user = request.user
    current = staff.settings_of(user)  # type: ignore[arg-type]  # staff_view: a User
    region = request.seller.country  # type: ignore[attr-defined]  # staff_view sets request.seller
    form = SettingsForm(request.POST or None, staff_settings=current, region=region)
    if request.method == "POST" and form.is_valid():
        services.settings_save(
            user=user,  # type: ignore[arg-type]  # staff_view: a User
            channels=form.channels(),
            phone=form.cleaned_data["phone"],
            language=form.cleaned_data["language"],
        )
        messages.success(request, _("Notification settings saved."))
        return redirect("dashboard:notification_settings")
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        "notifications/settings.html",
        {
            "form": form,
            "rows": form.rows(),
            "push_subscribed": PushSubscription.objects.filter(user=_user(request)).exists(),
            "vapid_public_key": push.public_key(),
        },
        status=status,
    )


@require_POST
@staff_view("delivery.resend")
def delivery_resend(request: HttpRequest, number: int, delivery_id: int) -> HttpResponse:
    try:
        services.delivery_resend(
            seller_id=request.seller.pk,  # type: ignore[attr-defined]  # staff_view sets request.seller
            number=number,
            delivery_id=delivery_id,
            actor=request.actor,  # type: ignore[attr-defined]  # staff_view sets request.actor
        )
    except NotFound:
        raise Http404 from None
    except Conflict:
        messages.error(request, _("Only a failed delivery or one of unknown outcome can be resent."))
    else:
        messages.success(request, _("The message was queued again."))
    return redirect(reverse("dashboard:order", args=[number]) + "#deliveries")


def _json_error(status: int, detail: str) -> JsonResponse:
    return JsonResponse({"detail": detail}, status=status)


@require_POST
@staff_view()
def push_subscribe(request: HttpRequest) -> HttpResponse:
    """Store this browser's push subscription (the PushSubscription JSON of the Push API) for me."""
    try:
        data = json.loads(request.body or b"{}")
        endpoint = str(data["endpoint"])
        p256dh = str(data["keys"]["p256dh"])
        auth = str(data["keys"]["auth"])
    except (ValueError, KeyError, TypeError):
        return _json_error(400, _("Send the browser's push subscription: endpoint and keys."))
    if len(endpoint) > 1000 or not push.allowed_endpoint(endpoint) or not (p256dh and auth):
        return _json_error(400, _("This push endpoint is not accepted."))
    if len(p256dh) > 200 or len(auth) > 100:
        return _json_error(400, _("This push endpoint is not accepted."))
    services.push_subscribe(user=_user(request), endpoint=endpoint, p256dh=p256dh, auth=auth)
    return JsonResponse({"subscribed": True}, status=201)


@require_POST
@staff_view()
def push_unsubscribe(request: HttpRequest) -> HttpResponse:
    try:
        endpoint = str(json.loads(request.body or b"{}")["endpoint"])
    except (ValueError, KeyError, TypeError):
        return _json_error(400, _("Send the endpoint to unsubscribe."))
    services.push_unsubscribe(user=_user(request), endpoint=endpoint)
    return HttpResponse(status=204)
