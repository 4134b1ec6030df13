"""Deadline settings (R-SLA): the seller's business calendar and deadline policy. Everyone of the
seller reads them; owners and administrators change them (the writer: orders/policy.py)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sellerdesk.accounts.models import Seller
from sellerdesk.accounts.roles import can
from sellerdesk.core.errors import InvalidInput
from sellerdesk.orders import policy
from sellerdesk.orders.deadlines import DeadlinePolicy

from ..forms import WEEKDAY_CHOICES, DayOffForm, DeadlinePolicyForm, error_list
from ..permissions import staff_view


def _initial(seller: Seller) -> dict[str, object]:
    values: dict[str, object] = {name: getattr(seller, name) for name in policy.FIELDS}
    values["working_days"] = list(seller.working_days)
    return values


def _page(
    request: HttpRequest,
    *,
    form: DeadlinePolicyForm | None = None,
    day_form: DayOffForm | None = None,
    status: int = 200,
) -> HttpResponse:
    seller = request.seller  # type: ignore[attr-defined]  # staff_view sets request.seller and request.actor
    may_edit = can(request.user.role, policy.PERMISSION)  # type: ignore[union-attr]  # staff_view: a User
    deadlines = DeadlinePolicy.of(seller)
    context = {
        "form": form or DeadlinePolicyForm(initial=_initial(seller)),
        "day_form": day_form or DayOffForm(),
        "errors": error_list(form, day_form),
        "may_edit": may_edit,
        "seller": seller,
        "working": [str(label) for digit, label in WEEKDAY_CHOICES if int(digit) in deadlines.working_days],
        "upcoming": policy.upcoming_days_off(seller),
        "days_off": sorted(deadlines.days_off),
    }
    return TemplateResponse(request, "dashboard/deadline_settings.html", context, status=status)


@staff_view("order.read")
def deadline_settings(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _page(request)
    if not can(request.user.role, policy.PERMISSION):  # type: ignore[union-attr]  # staff_view: a User
        return HttpResponse(_("Your role may not do this."), status=403)
    form = DeadlinePolicyForm(request.POST)
    if not form.is_valid():
        return _page(request, form=form, status=422)
    try:
        policy.policy_update(
            seller_id=request.seller.pk,  # type: ignore[attr-defined]  # staff_view sets request.seller and request.actor
            actor=request.actor,  # type: ignore[attr-defined]  # staff_view sets request.seller and request.actor
            values=form.cleaned_data,
        )
    except InvalidInput as error:
        form.add_error(
            error.extra.get("field") if error.extra.get("field") in form.fields else None, error.detail
        )
        return _page(request, form=form, status=422)
    messages.success(
        request, _("Deadline settings saved. They apply to orders placed or confirmed from now on.")
    )
    return redirect("dashboard:deadline_settings")


@require_POST
@staff_view(policy.PERMISSION)
def day_off_add(request: HttpRequest) -> HttpResponse:
    form = DayOffForm(request.POST)
    if form.is_valid():
        try:
            policy.day_off_add(
                seller_id=request.seller.pk,  # type: ignore[attr-defined]  # staff_view sets request.seller and request.actor
                actor=request.actor,  # type: ignore[attr-defined]  # staff_view sets request.seller and request.actor
                day=form.cleaned_data["day"],
            )
        except InvalidInput as error:
            form.add_error("day", error.detail)
    if not form.is_valid():
        return _page(request, day_form=form, status=422)
    messages.success(request, _("Day off added."))
    return redirect("dashboard:deadline_settings")


@require_POST
@staff_view(policy.PERMISSION)
def day_off_remove(request: HttpRequest) -> HttpResponse:
    try:
        policy.day_off_remove(
            seller_id=request.seller.pk,  # type: ignore[attr-defined]  # staff_view sets request.seller and request.actor
            actor=request.actor,  # type: ignore[attr-defined]  # staff_view sets request.seller and request.actor
            day=request.POST.get("day", ""),
        )
    except InvalidInput as error:
        form = DayOffForm(data={"day": request.POST.get("day", "")})
        form.is_valid()
        form.add_error("day", error.detail)
        return _page(request, day_form=form, status=422)
    messages.success(request, _("Day off removed."))
    return redirect("dashboard:deadline_settings")
