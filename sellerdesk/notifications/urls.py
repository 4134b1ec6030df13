"""Routes of the notification pages; included into the dashboard's namespace with one line."""

from django.urls import path

from . import views

urlpatterns = [
    path("notifications/", views.alerts_page, name="notifications"),
    path("notifications/bell/", views.bell, name="notifications_bell"),
    path("notifications/<int:alert_id>/read/", views.alert_read, name="notification_read"),
    path("notifications/push/subscribe/", views.push_subscribe, name="push_subscribe"),
    path("notifications/push/unsubscribe/", views.push_unsubscribe, name="push_unsubscribe"),
    path("settings/notifications/", views.settings_page, name="notification_settings"),
    path(
        "orders/<int:number>/deliveries/<int:delivery_id>/resend/",
        views.delivery_resend,
        name="order_delivery_resend",
    ),
]
