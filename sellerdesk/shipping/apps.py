from django.apps import AppConfig


class ShippingConfig(AppConfig):
    name = "sellerdesk.shipping"
    label = "shipping"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from sellerdesk.accounts.models import Seller

        from . import events  # noqa: F401  (registers the shipping event types)
        from .accounts import open_sandbox_account

        # Every seller can ship through the sandbox carrier from the start: its account is written
        # with the seller (same transaction), so pages and the API only ever read it.
        post_save.connect(open_sandbox_account, sender=Seller, dispatch_uid="sandbox-account")
