from django.apps import AppConfig


class CustnotifyConfig(AppConfig):
    """Customer notifications (R-NOTE-2): the catalogue of kinds, the sellers' templates, the sandbox."""

    name = "sellerdesk.custnotify"
    label = "custnotify"
    default_auto_field = "django.db.models.BigAutoField"
