from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "sellerdesk.catalog"
    label = "catalog"
