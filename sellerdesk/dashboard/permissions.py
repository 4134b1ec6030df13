"""Every dashboard view goes through `staff_view`: login, a seller, and (optionally) a permission."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseForbidden
from django.http.response import HttpResponseBase
from django.shortcuts import redirect

from sellerdesk.accounts.actors import Actor
from sellerdesk.accounts.roles import can


def staff_view(
    permission: str | None = None,
) -> Callable[[Callable[..., HttpResponseBase]], Callable[..., HttpResponseBase]]:
    """Require a logged-in staff member of a seller; with `permission`, also that their role holds it.

    Sets `request.seller` and `request.actor`. A missing permission is 403 (the UI hides such actions).
    """

    def decorate(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if user.seller_id is None:  # type: ignore[union-attr]  # authenticated above, so a User
                if user.is_operator and request.path == "/":  # type: ignore[union-attr]  # authenticated above, so a User
                    return redirect("dashboard:operator_home")
                return HttpResponseForbidden("This account belongs to no seller.")
            if permission and not can(user.role, permission):  # type: ignore[union-attr]  # authenticated above, so a User
                return HttpResponseForbidden("Your role may not do this.")
            request.seller = user.seller  # type: ignore[union-attr, attr-defined]  # staff_view sets request.seller and request.actor
            request.actor = Actor.staff(user)  # type: ignore[arg-type, attr-defined]  # staff_view sets request.seller and request.actor
            return view(request, *args, **kwargs)

        return wrapper

    return decorate


def operator_view(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Require the signed-in operator of a marketplace; sets `request.marketplace_id`.

    Seller staff get 403, as for any page their account may not open; every id in an operator page
    is resolved within `request.marketplace_id` (another marketplace's is a 404).
    """

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not user.is_operator:  # type: ignore[union-attr]  # authenticated above, so a User
            return HttpResponseForbidden("Only the marketplace operator may open this page.")
        request.marketplace_id = user.operator_of_id  # type: ignore[union-attr, attr-defined]  # operator_view sets request.marketplace_id
        return view(request, *args, **kwargs)

    return wrapper


def user_id_of(request: HttpRequest) -> int:
    """The signed-in staff member's id (`staff_view` lets no anonymous request through)."""
    pk = request.user.pk
    if pk is None:
        raise PermissionDenied
    return int(pk)
