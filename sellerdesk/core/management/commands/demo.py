from __future__ import annotations

from django.core.management.base import BaseCommand

from sellerdesk.accounts.models import Seller
from sellerdesk.core.demo import OPERATOR_EMAIL, PASSWORD, demo_api_key, load_demo


class Command(BaseCommand):
    help = "Load demo data: two sellers (north, south), staff of every role, about 200 orders."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]  # BaseCommand's own signature is untyped
        parser.add_argument("--if-empty", action="store_true", help="do nothing when sellers exist already")
        parser.add_argument("--orders", type=int, default=100, help="orders per seller (default 100)")

    def handle(self, *args, **opts):  # type: ignore[no-untyped-def]  # BaseCommand's own signature is untyped
        if Seller.objects.exists():
            if opts["if_empty"]:
                self.stdout.write("Demo data already loaded.")
                return
            self.stderr.write("There is data already; demo loads into an empty database.")
            raise SystemExit(2)
        self.stdout.write("Loading demo data…")
        load_demo(orders_per_seller=opts["orders"], out=self.stdout.write)
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        self.stdout.write(f"  logins: owner@north.example, viewer@south.example, … (password {PASSWORD!r})")
        self.stdout.write(f"  marketplace operator: {OPERATOR_EMAIL} (password {PASSWORD!r}) at /operator/")
        self.stdout.write(f"  API key (north): {demo_api_key('north')}")
