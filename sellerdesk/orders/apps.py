from django.apps import AppConfig


class OrdersConfig(AppConfig):
    name = "sellerdesk.orders"
    label = "orders"
