from django.urls import include, path

from sellerdesk.api.api import api
from sellerdesk.api.http import problem_urls

urlpatterns = [
    path("api/v1/", problem_urls(api.urls)),
    path("", include("sellerdesk.dashboard.urls")),
]

# Unknown paths and unhandled errors under /api/ answer problem+json (R-SEC-4); others keep Django's pages.
handler404 = "sellerdesk.api.http.not_found"
handler500 = "sellerdesk.api.http.server_error"
