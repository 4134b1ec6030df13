from django.apps import AppConfig


class ConversationsConfig(AppConfig):
    name = "sellerdesk.conversations"
    label = "conversations"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import events  # noqa: F401  (registers the conversation event types)
