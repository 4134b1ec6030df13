from __future__ import annotations

import os
import subprocess
import sys

from django.core.management.base import BaseCommand

from sellerdesk.accounts.models import Seller
from sellerdesk.core.demo import PASSWORD, demo_api_key


class Command(BaseCommand):
    help = "Start the production web server (gunicorn) and print the URL and demo logins."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", 8000)))
        parser.add_argument(
            "--workers",
            type=int,
            default=int(os.environ.get("WEB_WORKERS", 0)) or (os.cpu_count() or 1) * 2,
        )
        parser.add_argument(
            "--threads",
            type=int,
            default=int(os.environ.get("WEB_THREADS", 1)),
            help="threads per worker (more than 1 uses gunicorn's gthread workers)",
        )
        parser.add_argument(
            "--timeout",
            type=int,
            default=int(os.environ.get("WEB_TIMEOUT", 600)),
            help="seconds a request may take; a streamed export of a million orders takes about a minute",
        )

    def handle(self, *args, **opts):  # type: ignore[no-untyped-def]
        url = f"http://{opts['host']}:{opts['port']}/"
        self.stdout.write(self.style.SUCCESS(f"SellerDesk is starting at {url}"))
        self.stdout.write(f"  API docs:   {url}api/v1/docs")
        if Seller.objects.filter(slug="north").exists():
            self.stdout.write(
                f"  logins:     owner@north.example, admin@north.example, manager@north.example, "
                f"viewer@south.example … password {PASSWORD!r}"
            )
            self.stdout.write(f"  API key:    {demo_api_key('north')}  (seller north)")
            self.stdout.write(
                f"  try:        curl -H 'Authorization: Bearer {demo_api_key('north')}' {url}api/v1/orders"
            )
        sys.stdout.flush()
        cmd = [
            sys.executable,
            "-m",
            "gunicorn",
            "sellerdesk.wsgi:application",
            "--bind",
            f"{opts['host']}:{opts['port']}",
            "--workers",
            str(opts["workers"]),
            "--threads",
            str(opts["threads"]),
            "--timeout",
            str(opts["timeout"]),
            "--access-logfile",
            "-" if os.environ.get("ACCESS_LOG") else "/dev/null",
            "--log-level",
            "warning",
        ]
        web = subprocess.Popen(cmd)
        try:
            raise SystemExit(web.wait())
        except KeyboardInterrupt:
            web.terminate()
            web.wait()
