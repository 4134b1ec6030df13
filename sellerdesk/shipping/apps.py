from django.apps import AppConfig


class ShippingConfig(AppConfig):
    name = "sellerdesk.shipping"
    label = "shipping"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import events  # noqa: F401  (registers the shipping event types)
