from django.urls import include, path

from sellerdesk.api.api import api
from sellerdesk.api.http import problem_urls
from sellerdesk.shipping import views as shipping_views

urlpatterns = [
    path("api/v1/", problem_urls(api.urls)),
    # Carrier status webhooks (R-FUL-7) and the customer's tracking page (R-FUL-11): no login.
    path("webhooks/carriers/<str:token>", shipping_views.carrier_webhook, name="carrier_webhook"),
    path("track/<str:token>/", shipping_views.tracking_page, name="tracking_page"),
    path("", include("sellerdesk.dashboard.urls")),
]

# Unknown paths and unhandled errors under /api/ answer problem+json (R-SEC-4); others keep Django's pages.
handler404 = "sellerdesk.api.http.not_found"
handler500 = "sellerdesk.api.http.server_error"
