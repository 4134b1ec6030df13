"""`sellerdesk shipping poll`: ask the carriers for news now (what the worker does every minute)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Shipping: `poll` asks carriers about waiting registrations and tracking, once."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["poll"])

    def handle(self, *args: Any, **options: Any) -> None:
        from sellerdesk.shipping.tasks import poll_carriers

        counts = poll_carriers()
        self.stdout.write(
            f"registrations checked: {counts['registrations']}, shipments tracked: {counts['tracked']}, "
            f"status changes: {counts['moved']}, carrier errors: {counts['errors']}"
        )
