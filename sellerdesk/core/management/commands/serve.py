from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from types import FrameType

from django.conf import settings
from django.core.management.base import BaseCommand

from sellerdesk.accounts.models import Seller
from sellerdesk.core.demo import OPERATOR_EMAIL, PASSWORD, demo_api_key
from sellerdesk.orders.models import Order


class Command(BaseCommand):
    help = "Start the web server (gunicorn), optionally with the worker; print the URL (and demo logins in development)."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]  # BaseCommand's own signature is untyped
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
        parser.add_argument(
            "--with-worker",
            action="store_true",
            help="also start a background worker (`sellerdesk worker`); SIGTERM or Ctrl-C stops both",
        )

    def handle(self, *args, **opts):  # type: ignore[no-untyped-def]  # BaseCommand's own signature is untyped
        url = f"http://{opts['host']}:{opts['port']}/"
        self.stdout.write(self.style.SUCCESS(f"SellerDesk is starting at {url}"))
        self.stdout.write(f"  API docs:   {url}api/v1/docs")
        # The demo's logins are a development convenience: never printed by a production server.
        if settings.DEBUG and Seller.objects.filter(slug="north").exists():
            self.stdout.write(
                f"  logins:     owner@north.example, admin@north.example, manager@north.example, "
                f"viewer@south.example … password {PASSWORD!r}"
            )
            self.stdout.write(
                f"  operator:   {OPERATOR_EMAIL} … password {PASSWORD!r}  (the marketplace, {url}operator/)"
            )
            self.stdout.write(f"  API key:    {demo_api_key('north')}  (seller north)")
            self.stdout.write(
                f"  try:        curl -H 'Authorization: Bearer {demo_api_key('north')}' {url}api/v1/orders"
            )
            self.stdout.write(f"  to ship:    {url}orders/?view=to_ship")
            self.stdout.write(f"  tracking:   {url}orders/shipments/import/  (confirm shipments from a file)")
            self.stdout.write(f"  settings:   {url}settings/shipping/  (owner, administrator)")
            shipped = (
                Order.objects.filter(seller__slug="north", shipments__isnull=False)
                .order_by("-number")
                .values_list("tracking_token", flat=True)
                .first()
            )
            if shipped:
                self.stdout.write(f"  customer:   {url}track/{shipped}/  (a shipped order's tracking page)")
        if opts["with_worker"]:
            self.stdout.write("  worker:     started beside the web server (outbox jobs, periodic jobs)")
        sys.stdout.flush()
        grace = float(settings.WORKER_GRACE_SECONDS)
        web_cmd = [
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
            "--graceful-timeout",
            str(int(grace)),
            "--access-logfile",
            "-" if os.environ.get("ACCESS_LOG") else "/dev/null",
            "--log-level",
            "warning",
        ]
        # Children in their own process group: Ctrl-C in the terminal reaches only this process,
        # which passes one SIGTERM on (a second signal would make the worker abandon its job).
        children = [subprocess.Popen(web_cmd, process_group=0)]
        if opts["with_worker"]:
            children.append(subprocess.Popen([sys.executable, "-m", "sellerdesk", "worker"], process_group=0))
        raise SystemExit(supervise(children, grace))


def supervise(children: list[subprocess.Popen[bytes]], grace: float) -> int:
    """Wait for the children; SIGTERM/SIGINT or any child's exit stops them all.

    Each child gets SIGTERM and `grace` seconds to finish what is in flight, then SIGKILL: no
    process outlives this one (systemd and container runtimes stop services with SIGTERM).
    """
    stopping = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stopping.set()

    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, on_signal)
    code = 0
    while not stopping.is_set():
        exited = [c for c in children if c.poll() is not None]
        if exited:
            code = exited[0].returncode or 0
            break
        stopping.wait(0.2)
    for child in children:
        if child.poll() is None:
            child.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + grace + 5
    for child in children:
        try:
            child.wait(max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
    return code
