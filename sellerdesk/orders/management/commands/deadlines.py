"""`sellerdesk deadlines [--at ISO-8601] [--dry-run]`: run the deadline engine (R-SLA-1..4) once,
as of now or of the given instant — the same function the worker runs every five minutes."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

SHOWN = 20  # order numbers printed per kind of change


def _instant(text: str) -> dt.datetime:
    try:
        at = dt.datetime.fromisoformat(text)
    except ValueError:
        raise CommandError(
            f"--at must be an ISO 8601 date-time, e.g. 2026-03-04T09:00:00+03:00 (got {text!r})."
        ) from None
    return at if timezone.is_aware(at) else at.replace(tzinfo=dt.UTC)


class Command(BaseCommand):
    help = "Run the deadline engine once: cancel or flag missed deadlines, close, warn."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--at", type=_instant, default=None, help="the instant (ISO 8601; UTC if no offset)"
        )
        parser.add_argument("--dry-run", action="store_true", help="show what would happen; change nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        from sellerdesk.accounts.models import Seller
        from sellerdesk.orders.sweeps import sweep

        at = options["at"] or timezone.now()
        report = sweep(at, dry_run=options["dry_run"])
        head = "would do" if report.dry_run else "did"
        self.stdout.write(f"deadlines as of {at.isoformat()} ({head}):")
        if not report.done:
            self.stdout.write("  nothing due")
        slugs = dict(Seller.objects.values_list("pk", "slug")) if report.done else {}
        many = len({seller for orders in report.done.values() for seller, _ in orders}) > 1
        for kind, orders in sorted(report.done.items()):
            # Order numbers are per seller: with several sellers, each number says whose it is.
            numbers = ", ".join(
                f"{slugs.get(seller, seller)} #{number}" if many else f"#{number}"
                for seller, number in orders[:SHOWN]
            )
            more = f" … and {len(orders) - SHOWN} more" if len(orders) > SHOWN else ""
            self.stdout.write(f"  {kind}: {len(orders)} ({numbers}{more})")
