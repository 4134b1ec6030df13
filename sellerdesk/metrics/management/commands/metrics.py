"""`sellerdesk metrics [--seller SLUG] [--at YYYY-MM-DD] [--window 7|30|90]`: where each seller
stands (R-SLA-5) — the numbers of the metrics page, as of now or of the end of a day. After a
simulated week (`sellerdesk deadlines --at …`) it shows what that week did to the seller's standing."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sellerdesk.accounts.models import Seller
from sellerdesk.core.errors import DomainError
from sellerdesk.metrics.definitions import WINDOWS, Standing, shown
from sellerdesk.metrics.selectors import as_of, seller_metrics

MARK = {
    Standing.OK: "ok",
    Standing.WARNING: "WARNING",
    Standing.BREACH: "OVER THE LIMIT",
    Standing.NO_DATA: "no data",
}


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--at must be a date as YYYY-MM-DD (got {text!r}).") from None


class Command(BaseCommand):
    help = "Print the seller metrics (R-SLA-5) of every seller, or of one, as of now or of a day's end."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seller", help="the seller's slug (default: every seller)")
        parser.add_argument(
            "--at", type=_day, default=None, help="as of the end of this day (seller's time zone)"
        )
        parser.add_argument("--window", type=int, choices=WINDOWS, default=30, help="days (default 30)")

    def handle(self, *args: Any, **options: Any) -> None:
        sellers = Seller.objects.order_by("pk")
        if options["seller"]:
            sellers = sellers.filter(slug=options["seller"])
            if not sellers.exists():
                raise CommandError(f"No seller with the slug {options['seller']!r}.")
        window = options["window"]
        for seller in sellers:
            try:
                now = as_of(seller, options["at"])
            except DomainError as e:
                raise CommandError(e.detail) from None
            self.stdout.write(f"{seller.name} ({seller.slug}), the {window} days to {now.isoformat()}:")
            for r in seller_metrics(seller, now=now):
                reading = r.windows[window]
                value = shown(reading.value, r.unit) or "—"
                limit = ("≤ " if r.direction == "max" else "≥ ") + shown(r.limit, r.unit)
                self.stdout.write(
                    f"  {str(r.definition.label):<38} {value:>10}  limit {limit:<10} "
                    f"over {reading.count:>5}  {MARK[reading.status]}"
                )
