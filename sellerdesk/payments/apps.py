from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "sellerdesk.payments"
    label = "payments"

    def ready(self) -> None:
        from . import events  # noqa: F401  (registers the payment event types)
