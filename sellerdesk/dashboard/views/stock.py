"""Stock per SKU (R-INV-3): on hand, reserved, available; editable inline by roles with stock.write."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sellerdesk.accounts.roles import can
from sellerdesk.catalog.selectors import product_get, product_list
from sellerdesk.catalog.services import product_set_stock
from sellerdesk.core.errors import DomainError, NotFound

from ..forms import StockForm, error_list
from ..permissions import staff_view

PAGE = 500


def _page(
    request: HttpRequest, *, q: str = "", bad: tuple[str, StockForm] | None = None, status: int = 200
) -> HttpResponse:
    seller = request.seller  # type: ignore[attr-defined]  # staff_view sets request.seller and request.actor
    products = list(product_list(seller_id=seller.pk, q=q)[: PAGE + 1])
    more = len(products) > PAGE
    products = products[:PAGE]
    return TemplateResponse(
        request,
        "dashboard/stock/list.html",
        {
            "products": products,
            "more": more,
            "q": q,
            "may_write": can(request.user.role, "stock.write"),  # type: ignore[union-attr]  # staff_view admits only a signed-in User
            "bad_sku": bad[0] if bad else None,
            "bad_form": bad[1] if bad else None,
            "errors": error_list(bad[1]) if bad else [],
        },
        status=status,
    )


@staff_view("order.read")
def stock_list(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:64]
    return _page(request, q=q)


@require_POST
@staff_view("stock.write")
def stock_edit(request: HttpRequest, sku: str) -> HttpResponse:
    seller = request.seller  # type: ignore[attr-defined]  # staff_view sets request.seller and request.actor
    product = product_get(seller_id=seller.pk, sku=sku)
    if product is None:
        raise Http404(_("There is no such product."))
    form = StockForm(request.POST, prefix=f"s-{product.pk}")
    saved = False
    if form.is_valid():
        try:
            product = product_set_stock(
                seller_id=seller.pk,
                sku=sku,
                actor=request.actor,  # type: ignore[attr-defined]  # set by the staff_view decorator
                stock=form.cleaned_data["stock"],  # type: ignore[attr-defined]  # cleaned_data exists once is_valid() passed
            )
            saved = True
        except NotFound:
            raise Http404(_("There is no such product.")) from None
        except DomainError as error:
            form.add_error("stock", error.detail)
    if getattr(request, "htmx", False):
        return TemplateResponse(
            request,
            "dashboard/stock/row.html",
            {"p": product, "may_write": True, "form": None if saved else form, "saved": saved},
        )
    if saved:
        messages.success(request, _("Stock of %(sku)s set to %(n)s.") % {"sku": sku, "n": product.stock})
        return redirect("dashboard:stock")
    return _page(request, bad=(sku, form), status=422)
