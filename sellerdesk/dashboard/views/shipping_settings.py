"""Shipping settings (owner and administrator): ship-from details, the R-PAY-7 policy, carrier
accounts (add a CDEK account, deactivate one) and each account's webhook address."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sellerdesk.core.errors import DomainError, NotFound
from sellerdesk.shipping import accounts
from sellerdesk.shipping.models import CarrierAccount
from sellerdesk.shipping.selectors import carrier_name

from ..forms import CarrierAccountForm, ShipFromForm, error_list
from ..permissions import staff_view

PERMISSION = "settings.manage"
ACCOUNT_PREFIX = "account"  # the two forms of the page both have a "name"


def _page(
    request: HttpRequest,
    *,
    ship_form: ShipFromForm | None = None,
    account_form: CarrierAccountForm | None = None,
    status: int = 200,
) -> HttpResponse:
    seller = request.seller  # type: ignore[attr-defined]  # staff_view sets request.seller and request.actor
    if ship_form is None:
        ship_form = ShipFromForm(
            initial={**(seller.ship_from or {}), "ship_unpaid_allowed": seller.ship_unpaid_allowed},
        )
    rows: list[dict[str, Any]] = [
        {
            "account": a,
            "carrier": carrier_name(a.carrier),
            "secret_set": bool(a.client_secret_encrypted),
            "webhook_url": request.build_absolute_uri(reverse("carrier_webhook", args=[a.webhook_token])),
        }
        for a in CarrierAccount.objects.filter(seller_id=seller.pk).order_by("-is_active", "id")
    ]
    context = {
        "ship_form": ship_form,
        "account_form": account_form
        or CarrierAccountForm(initial={"base_url": accounts.CDEK_BASE_URL}, prefix=ACCOUNT_PREFIX),
        "errors": error_list(ship_form, account_form),
        "accounts": rows,
    }
    return TemplateResponse(request, "dashboard/shipping/settings.html", context, status=status)


@staff_view(PERMISSION)
def shipping_settings(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _page(request)
    form = ShipFromForm(request.POST)
    if not form.is_valid():
        return _page(request, ship_form=form, status=422)
    data = dict(form.cleaned_data)
    unpaid = bool(data.pop("ship_unpaid_allowed"))
    accounts.shipping_settings_update(
        seller_id=request.seller.pk,  # type: ignore[attr-defined]  # staff_view sets request.seller and request.actor
        actor=request.actor,  # type: ignore[attr-defined]  # staff_view sets request.seller and request.actor
        ship_from=data,
        ship_unpaid_allowed=unpaid,
    )
    messages.success(request, _("Shipping settings saved."))
    return redirect("dashboard:shipping_settings")


@require_POST
@staff_view(PERMISSION)
def carrier_account_add(request: HttpRequest) -> HttpResponse:
    form = CarrierAccountForm(request.POST, prefix=ACCOUNT_PREFIX)
    if not form.is_valid():
        return _page(request, account_form=form, status=422)
    try:
        account = accounts.carrier_account_add(
            seller_id=request.seller.pk,  # type: ignore[attr-defined]  # staff_view sets request.seller and request.actor
            actor=request.actor,  # type: ignore[attr-defined]  # staff_view sets request.seller and request.actor
            carrier="cdek",
            **form.cleaned_data,
        )
    except DomainError as error:
        form.add_error(None, error.detail)
        return _page(request, account_form=form, status=422)
    messages.success(request, _("Carrier account “%(name)s” added.") % {"name": account.name})
    return redirect("dashboard:shipping_settings")


@require_POST
@staff_view(PERMISSION)
def carrier_account_deactivate(request: HttpRequest, account_id: int) -> HttpResponse:
    try:
        account = accounts.carrier_account_deactivate(
            seller_id=request.seller.pk,  # type: ignore[attr-defined]  # staff_view sets request.seller and request.actor
            actor=request.actor,  # type: ignore[attr-defined]  # staff_view sets request.seller and request.actor
            account_id=account_id,
        )
    except NotFound as error:
        return HttpResponse(error.detail, status=404, content_type="text/plain; charset=utf-8")
    messages.success(request, _("Carrier account “%(name)s” deactivated.") % {"name": account.name})
    return redirect("dashboard:shipping_settings")
