"""`sellerdesk bench`: build or reuse the data set, then measure the performance targets (docs/requirements.md) over real HTTP."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from sellerdesk.bench import generate, report
from sellerdesk.bench.runner import STEPS, Runner


class Command(BaseCommand):
    help = (
        "The benchmark of the performance targets (docs/requirements.md) on the configured database (DATABASE_URL): generates the data set "
        "in bulk (or reuses it), starts the production server and measures placement, list and search, "
        "the order page, CSV export, bulk confirm, fulfilment, a bulk PDF of packing slips, the tracking page and the deadline sweep. "
        "Prints a table and writes bench-results/*.json."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]  # BaseCommand's own signature is untyped
        parser.add_argument("--orders", type=int, default=1_000_000, help="orders in the data set")
        parser.add_argument("--customers", type=int, default=200_000, help="customers in the data set")
        parser.add_argument(
            "--requests", type=int, default=200, help="timed requests per list/search/page figure"
        )
        parser.add_argument(
            "--place", type=int, default=2000, help="orders placed with 4 clients (half with 1)"
        )
        parser.add_argument("--seed", type=int, default=42)
        parser.add_argument("--port", type=int, default=0, help="server port (default: a free one)")
        parser.add_argument("--workers", type=int, default=0, help="server workers (default: serve's own)")
        parser.add_argument("--threads", type=int, default=0, help="threads per worker (gthread)")
        parser.add_argument("--generate-only", action="store_true", help="build the data set and stop")
        parser.add_argument("--no-generate", action="store_true", help="measure whatever data set exists")
        parser.add_argument(
            "--only",
            default="",
            help=f"comma-separated figures to measure: {','.join(STEPS)} (default: all)",
        )
        parser.add_argument(
            "--markdown", metavar="JSON", help="print a written result file as a Markdown table and stop"
        )
        parser.add_argument("--output", default="bench-results", help="directory of the JSON results")

    def handle(self, *args, **opts):  # type: ignore[no-untyped-def]  # BaseCommand's own signature is untyped
        err = sys.stderr
        if opts["markdown"]:
            self.stdout.write(report.markdown(json.loads(Path(opts["markdown"]).read_text())))
            return
        call_command("migrate", interactive=False, verbosity=0, skip_checks=True)
        have = generate.existing_orders()
        dataset: dict[str, object] = {
            "orders_requested": opts["orders"],
            "customers_requested": opts["customers"],
        }
        if opts["no_generate"] or (have and have >= opts["orders"]):
            if not have:
                raise CommandError("There is no benchmark data set; run without --no-generate.")
            self.stdout.write(f"Reusing the data set: {have:,} benchmark orders on {connection.vendor}.")
            dataset["generated"] = False
        elif have:
            raise CommandError(
                f"This database holds a smaller benchmark data set ({have:,} orders). "
                "Use a fresh database (DATABASE_URL) for another size."
            )
        else:
            self.stdout.write(
                f"Generating {opts['orders']:,} orders and {opts['customers']:,} customers on {connection.vendor} …"
            )
            counts = generate.generate(
                orders=opts["orders"], customers=opts["customers"], seed=opts["seed"], out=err
            )
            self.stdout.write(
                f"  generated in {counts['seconds']} s: "
                + ", ".join(f"{v:,} {k}" for k, v in counts.items() if k != "seconds")
            )
            dataset.update(counts)
            dataset["generated"] = True
        dataset["orders"] = generate.existing_orders()
        if opts["generate_only"]:
            return
        connection.close()  # the server gets the database to itself while we measure
        runner = Runner(
            requests=opts["requests"],
            place=opts["place"],
            port=opts["port"] or None,
            workers=opts["workers"] or None,
            threads=opts["threads"] or None,
            seed=opts["seed"],
            only=[s.strip() for s in opts["only"].split(",") if s.strip()],
            out=lambda msg: (self.stdout.write(msg), self.stdout.flush()),
        )
        self.stdout.write("Measuring (warm, real HTTP on loopback) …")
        before = report.machine()["load_average"]
        results = runner.run()
        rec = report.record(
            results,
            dataset,
            {k: opts[k] for k in ("requests", "place", "workers", "threads", "seed")}
            | {"load_before": before},
        )
        self.stdout.write("")
        self.stdout.write(report.table(results))
        path = report.write_json(Path(opts["output"]), rec)
        self.stdout.write(f"\nWritten to {path}")
