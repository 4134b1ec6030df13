from django.apps import AppConfig


class EarningsConfig(AppConfig):
    name = "sellerdesk.earnings"
    label = "earnings"

    def ready(self) -> None:
        from . import events  # noqa: F401  (registers the earnings and order-change event types)
