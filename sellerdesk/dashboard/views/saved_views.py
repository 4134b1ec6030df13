"""Saved views of the orders list: save, open (share by URL), rename, update the filter, delete."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from sellerdesk.core.errors import DomainError, NotFound
from sellerdesk.dashboard import selectors, services
from sellerdesk.dashboard.permissions import staff_view, user_id_of

from .orders_list import raw_params, read_filter


def _list_url(view_id: int | None, query: str) -> str:
    base = reverse("dashboard:orders")
    parts = [f"view={view_id}"] if view_id else []
    if query:
        parts.append(query)
    return f"{base}?{'&'.join(parts)}" if parts else base


def _clean_query(raw: str) -> str:
    """Keep only filter parameters, in a stable order; a filter that does not parse is refused."""
    lf = read_filter(QueryDict(raw or ""))
    if lf.errors:
        raise DomainError("invalid_filter", "; ".join(lf.errors.values()))
    return lf.query


@require_GET
@staff_view("order.read")
def open_view(request: HttpRequest, pk: int) -> HttpResponse:
    view = selectors.saved_view_get(
        seller_id=request.seller.pk,  # type: ignore[attr-defined]  # staff_view sets request.seller and request.actor
        user_id=user_id_of(request),
        view_id=pk,
    )
    if view is None:
        raise Http404(_("There is no such saved view."))
    return HttpResponseRedirect(_list_url(view.pk, view.query))


@require_POST
@staff_view("order.read")
def create(request: HttpRequest) -> HttpResponse:
    raw_query = request.POST.get("query", "")
    try:
        query = _clean_query(raw_query)
        view = services.saved_view_create(
            user=request.user,  # type: ignore[arg-type]  # staff_view admits only a signed-in User
            name=request.POST.get("name", ""),
            query=query,
            shared=request.POST.get("shared") == "1",
        )
    except DomainError as error:
        messages.error(request, _("The view was not saved: %(reason)s") % {"reason": error.detail})
        return HttpResponseRedirect(_list_url(None, read_filter(QueryDict(raw_query)).query))
    messages.success(request, _("View “%(name)s” saved.") % {"name": view.name})
    return HttpResponseRedirect(_list_url(view.pk, view.query))


@require_POST
@staff_view("order.read")
def update(request: HttpRequest, pk: int) -> HttpResponse:
    name = request.POST.get("name")
    query = request.POST.get("query")
    shared = (request.POST.get("shared") == "1") if request.POST.get("has_shared") else None
    try:
        view = services.saved_view_update(
            user=request.user,  # type: ignore[arg-type]  # staff_view admits only a signed-in User
            view_id=pk,
            name=name,
            query=_clean_query(query) if query is not None else None,
            shared=shared,
        )
    except NotFound:
        raise Http404(_("There is no such saved view.")) from None
    except DomainError as error:
        if error.status == 403:
            return HttpResponse(error.detail, status=403)
        messages.error(request, _("The view was not changed: %(reason)s") % {"reason": error.detail})
        return HttpResponseRedirect(reverse("dashboard:view", args=[pk]))
    messages.success(request, _("View “%(name)s” updated.") % {"name": view.name})
    return HttpResponseRedirect(_list_url(view.pk, view.query))


@require_POST
@staff_view("order.read")
def delete(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        services.saved_view_delete(user=request.user, view_id=pk)  # type: ignore[arg-type]  # staff_view admits only a signed-in User
    except NotFound:
        raise Http404(_("There is no such saved view.")) from None
    except DomainError as error:
        return HttpResponse(error.detail, status=error.status)
    messages.success(request, _("The view was deleted."))
    return HttpResponseRedirect(reverse("dashboard:orders"))


__all__ = ["create", "delete", "open_view", "raw_params", "update"]
