from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "sellerdesk.dashboard"
    label = "dashboard"
