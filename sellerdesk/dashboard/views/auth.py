"""Log in and out: session auth with CSRF, Argon2 hashes (settings), and throttled failures (R-SEC-3)."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth import authenticate, login, logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_http_methods, require_POST

from sellerdesk.dashboard import services

from ..forms import error_list


class LoginForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("E-mail"), max_length=254)
    password = forms.CharField(label=gettext_lazy("Password"), strip=False, max_length=512)


def client_ip(request: HttpRequest) -> str:
    # Behind a proxy, the deployment sets REMOTE_ADDR correctly (e.g. gunicorn --forwarded-allow-ips).
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return settings.LOGIN_REDIRECT_URL


@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated and request.method == "GET":
        return HttpResponseRedirect(_safe_next(request))
    form = LoginForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            email = form.cleaned_data["email"].strip().lower()
            ip = client_ip(request)
            if not services.login_attempt(email=email, ip=ip):
                form.add_error(
                    None,
                    _(
                        "Too many failed attempts for this e-mail. Wait 15 minutes and try again, "
                        "or ask your administrator to reset the password."
                    ),
                )
                status = 429
            else:
                user = authenticate(request, username=email, password=form.cleaned_data["password"])
                # Seller staff, or a marketplace's operator; nobody else has a desk to sign in to.
                desk = getattr(user, "seller_id", None) or getattr(user, "operator_of_id", None)
                if user is None or desk is None:
                    form.add_error(None, _("The e-mail or the password is wrong."))
                    status = 400
                else:
                    services.login_succeeded(email=email, ip=ip)
                    login(request, user)
                    return HttpResponseRedirect(_safe_next(request))
        else:
            status = 400
    return render(
        request,
        "dashboard/login.html",
        {
            "form": form,
            "errors": error_list(form),
            "next": request.POST.get("next") or request.GET.get("next", ""),
        },
        status=status,
    )


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return HttpResponseRedirect(settings.LOGOUT_REDIRECT_URL)
