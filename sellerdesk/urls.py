from django.urls import URLPattern, URLResolver, include, path

from sellerdesk.api.api import api
from sellerdesk.api.http import problem_urls
from sellerdesk.conversations.urls import customer_urlpatterns
from sellerdesk.payments.providers import BY_NAME
from sellerdesk.payments.views import payment_webhook
from sellerdesk.shipping import views as shipping_views

urlpatterns: list[URLPattern | URLResolver] = [
    path("api/v1/", problem_urls(api.urls)),
    # Carrier status webhooks (R-FUL-7) and the customer's tracking page (R-FUL-11): no login.
    path("webhooks/carriers/<str:token>", shipping_views.carrier_webhook, name="carrier_webhook"),
    path("track/<str:token>/", shipping_views.tracking_page, name="tracking_page"),
    *customer_urlpatterns,  # the customer's messages and feedback page (R-NOTE-4, R-NOTE-5): no login
    path("", include("sellerdesk.dashboard.urls")),
]
# One webhook address per online payment provider (R-PAY-2): /webhooks/payments/stripe, …/sandbox.
urlpatterns += [
    path(f"webhooks/payments/{name}", payment_webhook, {"provider": name}, name=f"payment_webhook_{name}")
    for name, provider in BY_NAME.items()
    if provider.online
]

# Unknown paths and unhandled errors under /api/ answer problem+json (R-SEC-4); others keep Django's pages.
handler404 = "sellerdesk.api.http.not_found"
handler500 = "sellerdesk.api.http.server_error"
