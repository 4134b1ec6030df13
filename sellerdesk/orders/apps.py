from django.apps import AppConfig


class OrdersConfig(AppConfig):
    name = "sellerdesk.orders"
    label = "orders"

    def ready(self) -> None:
        from . import events  # noqa: F401  (registers the order event types)
