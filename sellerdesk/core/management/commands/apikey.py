from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from sellerdesk.accounts.models import ApiKey, Seller
from sellerdesk.accounts.roles import Role
from sellerdesk.accounts.services import apikey_create


class Command(BaseCommand):
    help = "Manage API keys: `apikey create --seller SLUG --role ROLE` prints a new key, alone, once."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]  # BaseCommand's own signature is untyped
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="create a key and print it on standard output")
        create.add_argument("--seller", required=True, help="the seller's slug")
        create.add_argument("--role", default=Role.MANAGER.value, choices=[r.value for r in Role])
        create.add_argument("--name", default="cli")
        lst = sub.add_parser("list", help="list a seller's keys (prefixes only)")
        lst.add_argument("--seller", required=True)

    def handle(self, *args, **opts):  # type: ignore[no-untyped-def]  # BaseCommand's own signature is untyped
        seller = Seller.objects.filter(slug=opts["seller"]).first()
        if seller is None:
            raise CommandError(f"No seller with slug {opts['seller']!r}.")
        if opts["action"] == "create":
            _, full = apikey_create(seller=seller, name=opts["name"], role=opts["role"])
            self.stdout.write(full)
        else:
            for key in ApiKey.objects.filter(seller=seller).order_by("id"):
                state = "revoked" if key.revoked_at else "active"
                self.stdout.write(f"sd_{key.prefix}_…  {key.role:<14} {state:<8} {key.name}")
