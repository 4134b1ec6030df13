"""Routes of the customer notification settings, included into the dashboard's URL conf."""

from django.urls import path

from . import views

_T = "settings/customer-notifications/<str:kind>/<str:channel>/<str:language>/"

urlpatterns = [
    path("settings/customer-notifications/", views.settings_page, name="customer_notifications"),
    path(_T, views.editor, name="customer_notification_edit"),
    path(_T + "preview/", views.preview, name="customer_notification_preview"),
    path(_T + "switch/", views.switch, name="customer_notification_switch"),
    path(_T + "reset/", views.reset, name="customer_notification_reset"),
]
