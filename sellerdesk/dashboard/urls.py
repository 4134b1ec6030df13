"""Routes of the dashboard: login, home, the orders list and its views, export, bulk actions, the
shipment upload and the shipping settings."""

from django.urls import include, path

from .views import (
    auth,
    bulk,
    deadline_settings,
    export,
    home,
    metrics,
    orders_list,
    saved_views,
    settings_index,
    shipment_import,
    shipping_settings,
    webhooks,
)

app_name = "dashboard"

urlpatterns = [
    path("login/", auth.login_view, name="login"),
    path("logout/", auth.logout_view, name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", home.home, name="home"),
    path("alerts/", home.alerts, name="alerts"),
    path("orders/", orders_list.orders, name="orders"),
    path("orders/columns/", orders_list.columns, name="columns"),
    path("orders/export.csv", export.export_csv, name="export_csv"),
    path("orders/export.xlsx", export.export_xlsx, name="export_xlsx"),
    path("orders/bulk/", bulk.bulk, name="bulk"),
    path("orders/shipments/import/", shipment_import.shipment_import, name="shipment_import"),
    path(
        "orders/shipments/import/confirm/",
        shipment_import.shipment_import_confirm,
        name="shipment_import_confirm",
    ),
    path("settings/", settings_index.settings_index, name="settings"),
    path("settings/shipping/", shipping_settings.shipping_settings, name="shipping_settings"),
    path("settings/shipping/accounts/", shipping_settings.carrier_account_add, name="carrier_account_add"),
    path(
        "settings/shipping/accounts/<int:account_id>/deactivate/",
        shipping_settings.carrier_account_deactivate,
        name="carrier_account_deactivate",
    ),
    path("settings/webhooks/", webhooks.webhooks, name="webhooks"),
    path("settings/webhooks/<int:webhook_id>/", webhooks.webhook, name="webhook"),
    path("settings/webhooks/<int:webhook_id>/toggle/", webhooks.webhook_toggle, name="webhook_toggle"),
    path("settings/webhooks/<int:webhook_id>/test/", webhooks.webhook_test, name="webhook_test"),
    path("settings/webhooks/<int:webhook_id>/rotate/", webhooks.webhook_rotate, name="webhook_rotate"),
    path("settings/webhooks/<int:webhook_id>/delete/", webhooks.webhook_delete, name="webhook_delete"),
    path(
        "settings/webhooks/<int:webhook_id>/deliveries/<int:webhook_delivery_id>/replay/",
        webhooks.webhook_replay,
        name="webhook_replay",
    ),
    path("settings/deadlines/", deadline_settings.deadline_settings, name="deadline_settings"),
    path("settings/deadlines/days-off/", deadline_settings.day_off_add, name="day_off_add"),
    path("settings/deadlines/days-off/remove/", deadline_settings.day_off_remove, name="day_off_remove"),
    path("metrics/", metrics.metrics, name="metrics"),
    path("metrics/limits/", metrics.metric_limits, name="metric_limits"),
    path("views/", saved_views.create, name="view_create"),
    path("views/<int:pk>/", saved_views.open_view, name="view"),
    path("views/<int:pk>/update/", saved_views.update, name="view_update"),
    path("views/<int:pk>/delete/", saved_views.delete, name="view_delete"),
    path("", include("sellerdesk.dashboard.urls_order")),
    path("", include("sellerdesk.dashboard.urls_operator")),
    path("", include("sellerdesk.conversations.urls")),
    path(
        "", include("sellerdesk.notifications.urls")
    ),  # alerts, the bell, settings, resend (R-NOTE-1, R-NOTE-3)
    path("", include("sellerdesk.custnotify.urls")),  # customer notification settings (R-NOTE-2)
]
