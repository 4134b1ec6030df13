"""Every dashboard view goes through `staff_view`: login, a seller, and (optionally) a permission."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseForbidden
from django.http.response import HttpResponseBase

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
                return HttpResponseForbidden("This account belongs to no seller.")
            if permission and not can(user.role, permission):  # type: ignore[union-attr]  # authenticated above, so a User
                return HttpResponseForbidden("Your role may not do this.")
            request.seller = user.seller  # type: ignore[union-attr, attr-defined]  # staff_view sets request.seller and request.actor
            request.actor = Actor.staff(user)  # type: ignore[arg-type, attr-defined]  # staff_view sets request.seller and request.actor
            return view(request, *args, **kwargs)

        return wrapper

    return decorate


def user_id_of(request: HttpRequest) -> int:
    """The signed-in staff member's id (`staff_view` lets no anonymous request through)."""
    pk = request.user.pk
    if pk is None:
        raise PermissionDenied
    return int(pk)
