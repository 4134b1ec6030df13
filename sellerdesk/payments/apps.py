from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "sellerdesk.payments"
    label = "payments"
