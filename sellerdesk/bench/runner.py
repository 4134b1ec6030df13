"""The performance targets (docs/requirements.md) measured over real HTTP against the production server (`sellerdesk serve`)."""

from __future__ import annotations

import contextlib
import datetime as dt
import http.client
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.db import connection
from django.utils import timezone

from sellerdesk.accounts.models import Seller
from sellerdesk.accounts.roles import Role
from sellerdesk.accounts.services import apikey_create
from sellerdesk.catalog.models import Product
from sellerdesk.orders.models import Order
from sellerdesk.outbox.models import OutboxEvent

from .generate import ADDRESSES, PASSWORD
from .http import Client
from .names import person

HOST = "127.0.0.1"
# The figures, in the order they run (`--only` takes these keys).
STEPS = ("placement", "list", "page", "export", "bulk", "fulfil", "slips", "tracking", "sweep")


@dataclass
class Result:
    """One figure of the report."""

    name: str
    unit: str
    value: float | None = None  # throughput, seconds or MB; for latencies: p95
    p50: float | None = None
    p95: float | None = None
    p99: float | None = None
    target: str = ""
    ok: bool | None = None
    n: int = 0
    errors: int = 0
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def latency_result(name: str, seconds: list[float], errors: int, limit_ms: float | None, **kw: Any) -> Result:
    ms = [s * 1000 for s in seconds]
    r = Result(
        name=name,
        unit="ms",
        p50=round(percentile(ms, 0.5), 1),
        p95=round(percentile(ms, 0.95), 1),
        p99=round(percentile(ms, 0.99), 1),
        n=len(ms),
        errors=errors,
        **kw,
    )
    r.value = r.p95
    if limit_ms is not None:
        r.target = f"p95 ≤ {limit_ms:g} ms"
        r.ok = errors == 0 and r.p95 is not None and r.p95 <= limit_ms
    return r


# --- the server ----------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def _children(pid: int) -> list[int]:
    out = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                parts = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(parts[1]) == pid:
            out.append(int(entry))
    return out


def descendants(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        kids = _children(todo.pop())
        found += kids
        todo += kids
    return found


def rss_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


class Server:
    """`sellerdesk serve` in its own process group, the way `make run` starts it."""

    def __init__(self, port: int, workers: int | None, threads: int | None, api_key: str) -> None:
        self.port, self.api_key = port, api_key
        cmd = [sys.executable, "-m", "sellerdesk", "serve", "--host", HOST, "--port", str(port)]
        if workers:
            cmd += ["--workers", str(workers)]
        if threads:
            cmd += ["--threads", str(threads)]
        env = dict(os.environ)
        env.setdefault("SECRET_KEY", "bench-" + os.urandom(16).hex())
        env["DEBUG"] = "0"
        # The server's log goes to a file, never to a pipe nobody reads (a full pipe blocks the
        # worker that writes to it, and the figure waiting on that worker hangs).
        self.log = tempfile.NamedTemporaryFile(prefix="sellerdesk-bench-server-", suffix=".log", delete=False)  # noqa: SIM115  (kept open for the server's life)
        self.proc = subprocess.Popen(
            cmd, env=env, start_new_session=True, stdout=subprocess.DEVNULL, stderr=self.log
        )

    def log_text(self) -> str:
        with open(self.log.name, encoding="utf-8", errors="replace") as f:
            return f.read()

    def wait_ready(self, timeout: float = 90) -> None:
        client = Client(HOST, self.port, {"Authorization": f"Bearer {self.api_key}"}, timeout=10)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the server exited ({self.proc.returncode}):\n{self.log_text()[-3000:]}")
            with contextlib.suppress(OSError, http.client.HTTPException):
                status, _, _, _ = client.request("GET", "/api/v1/orders", params={"limit": 1})
                if status == 200:
                    client.close()
                    return
            time.sleep(0.3)
        raise RuntimeError("the server did not answer in time")

    def workers(self) -> list[int]:
        return [p for p in descendants(self.proc.pid) if rss_mb(p) > 0]

    def stop(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()


# --- the runner ------------------------------------------------------------------


class Runner:
    def __init__(
        self,
        *,
        requests: int = 100,
        place: int = 1000,
        port: int | None = None,
        workers: int | None = None,
        threads: int | None = None,
        seed: int = 7,
        only: list[str] | None = None,
        out: Callable[[str], None] = print,
    ) -> None:
        self.requests, self.place_n = requests, place
        self.only = set(only or [])
        unknown = self.only - set(STEPS)
        if unknown:
            raise ValueError(f"unknown figures: {', '.join(sorted(unknown))}")
        self.rng = random.Random(seed)
        self.say = out
        self.results: list[Result] = []
        self.pg = connection.vendor == "postgresql"
        self.seller = Seller.objects.filter(slug="bench-north").first()
        if self.seller is None:
            raise RuntimeError("no benchmark data set: run the generator first")
        _, self.key = apikey_create(
            seller=self.seller, name=f"bench {timezone.now():%Y-%m-%d %H:%M}", role=Role.MANAGER
        )
        self.port = port or free_port()
        self.workers, self.threads = workers, threads
        self.server: Server | None = None

    # helpers
    def api(self) -> Client:
        return Client(HOST, self.port, {"Authorization": f"Bearer {self.key}", "Accept": "application/json"})

    def add(self, r: Result) -> None:
        self.results.append(r)
        shown = (
            f"p50 {r.p50} / p95 {r.p95} / p99 {r.p99} ms"
            if r.unit == "ms"
            else f"{r.value} {r.unit}"
            if r.value is not None
            else "—"
        )
        flag = "" if r.ok is None else "  ok" if r.ok else "  MISSED"
        self.say(f"  {r.name:<38} {shown}{flag}{'  (' + r.note + ')' if r.note else ''}")

    def run(self) -> list[Result]:
        self.server = Server(self.port, self.workers, self.threads, self.key)
        try:
            self.server.wait_ready()
            self.say(f"server up on :{self.port} with {len(self.server.workers()) - 1} workers")
            steps: list[Any] = [
                step
                for key, step in [
                    ("placement", self.placement),
                    ("list", self.list_and_search),
                    ("page", self.order_page),
                    ("export", self.export_csv),
                    ("bulk", self.bulk_confirm),
                    ("fulfil", self.fulfil),
                    ("slips", self.packing_slips),
                    ("tracking", self.tracking_page),
                    ("sweep", self.deadline_sweep),
                ]
                if not self.only or key in self.only
            ]
            for step in steps:
                try:
                    step()
                except Exception as exc:  # one broken figure must not hide the others
                    self.add(
                        Result(name=step.__name__, unit="", note=f"failed: {type(exc).__name__}: {exc}"[:300])
                    )
        finally:
            self.server.stop()
            errors = self.server.log_text().count("Internal Server Error")
            if errors:
                self.say(f"  the server logged {errors} internal errors: see {self.server.log.name}")
            else:
                os.unlink(self.server.log.name)  # nothing worth keeping
        return self.results

    # 1. placement -------------------------------------------------------------
    def _order_body(self, rng: random.Random, skus: list[str], serial: int, payment: str = "") -> bytes:
        p = person(rng, 10_000_000 + serial)
        address = dict(rng.choice(ADDRESSES["RU"][:5]))
        address["line1"] += f", {rng.randint(1, 99)}"
        return json.dumps(
            {
                "customer": {"name": p.name, "email": p.email, "phone": p.phone},
                "lines": [{"sku": s, "quantity": rng.randint(1, 2)} for s in rng.sample(skus, 3)],
                "shipping_address": address,
                "shipping_method": "carrier",
                "shipping_price": "350",
                "payment_method": payment or rng.choice(["online", "cash_on_delivery"]),
                "currency": "RUB",
            }
        ).encode()

    def _place(
        self, clients: int, total: int, payment: str = ""
    ) -> tuple[float, list[float], int, list[int]]:
        skus = list(
            Product.objects.filter(seller=self.seller)
            .exclude(sku__startswith="DIG")
            .values_list("sku", flat=True)
        )
        base = self.rng.randrange(1 << 30)
        per = [total // clients + (1 if i < total % clients else 0) for i in range(clients)]
        latencies: list[float] = []
        errors = [0]
        numbers: list[int] = []
        lock = threading.Lock()
        start = threading.Barrier(clients + 1)

        def worker(i: int) -> None:
            rng = random.Random(base + i)
            c = self.api()
            bodies = [self._order_body(rng, skus, base + i * 1_000_000 + k, payment) for k in range(per[i])]
            mine, bad, made = [], 0, []
            start.wait()
            for body in bodies:
                status, data, secs, _ = c.request(
                    "POST", "/api/v1/orders", body=body, headers={"Content-Type": "application/json"}
                )
                mine.append(secs)
                if status == 201:
                    made.append(int(json.loads(data)["number"]))
                else:
                    bad += 1
                    if bad <= 3:
                        self.say(f"    placement answered {status}: {data[:200]!r}")
            c.close()
            with lock:
                latencies.extend(mine)
                errors[0] += bad
                numbers.extend(made)

        threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
        for t in threads:
            t.start()
        start.wait()
        t0 = time.perf_counter()
        for t in threads:
            t.join()
        return time.perf_counter() - t0, latencies, errors[0], numbers

    def placement(self) -> None:
        # a short warm-up so that every worker has its imports and connection
        self._place(4, 20)
        for clients in (1, 4):
            n = self.place_n if clients == 4 else max(self.place_n // 2, 20)
            outbox_before = OutboxEvent.objects.count()
            wall, lat, errors, _ = self._place(clients, n)
            outbox_rows = OutboxEvent.objects.count() - outbox_before
            rate = (n - errors) / wall
            r = Result(
                name=f"placement, {clients} client{'s' if clients > 1 else ''}",
                unit="orders/s",
                value=round(rate, 1),
                n=n,
                errors=errors,
                p50=round(percentile(lat, 0.5) * 1000, 1),
                p95=round(percentile(lat, 0.95) * 1000, 1),
                note=f"{n} orders in {wall:.1f} s; latency p50 {percentile(lat, 0.5) * 1000:.0f} ms, "
                f"p95 {percentile(lat, 0.95) * 1000:.0f} ms; {outbox_rows} outbox rows written",
            )
            if clients == 4:
                r.target = "≥ 500 orders/s (PostgreSQL)"
                r.ok = (rate >= 500 and errors == 0) if self.pg else None
            self.add(r)

    # 2. list and search -------------------------------------------------------
    def _samples(self, k: int) -> list[Order]:
        """k orders of the seller, drawn at random over the whole table (by number)."""
        lo, hi = 1001, self.seller.next_order_number - 1  # type: ignore[union-attr]  # the seller is loaded before any step runs
        picks = [self.rng.randint(lo, hi) for _ in range(k * 2)]
        rows = list(Order.objects.filter(seller=self.seller, number__in=picks))
        self.rng.shuffle(rows)
        return rows

    def _queries(self, n: int) -> dict[str, list[dict[str, Any]]]:
        orders = self._samples(max(n, 50) * 3)
        span_start = timezone.now() - dt.timedelta(days=730)
        rng = self.rng

        def pick(pred: Callable[[Order], bool]) -> list[Order]:
            got = [o for o in orders if pred(o)]
            return [got[i % len(got)] for i in range(n)] if got else []

        def other_format(digits: str) -> str:
            # stored +7 912 345-67-89 → searched the way a person types it, another way
            body = digits[1:]
            return rng.choice(
                [
                    f"8 ({body[:3]}) {body[3:6]}-{body[6:8]}-{body[8:]}",
                    f"8{body}",
                    f"+7 {body[:3]} {body[3:6]} {body[6:8]} {body[8:]}",
                    f"+7({body[:3]}){body[3:]}",
                ]
            )

        def part_of(digits: str) -> str:
            # stored +7 912 345-67-89 → the start or the middle, as a person remembers it
            body = digits[1:]
            return rng.choice(
                [
                    f"8({body[:3]})",
                    f"8({body[:3]}){body[3:6]}",
                    f"{body[:3]} {body[3:6]}",
                    f"{body[3:6]}-{body[6:8]}",
                    f"{body[6:8]}-{body[8:]}",
                ]
            )

        def window() -> dict[str, str]:
            start = span_start + dt.timedelta(days=rng.randint(0, 700))
            return {
                "created_after": f"{start:%Y-%m-%d}",
                "created_before": f"{start + dt.timedelta(days=30):%Y-%m-%d}",
            }

        def fragment(email: str) -> str:
            local = email.split("@")[0]
            if rng.random() < 0.5 or len(local) < 8:
                return local
            i = rng.randint(0, len(local) - 6)
            return local[i : i + 6]

        ru_phones = pick(
            lambda o: len(o.customer_phone_digits) == 11 and o.customer_phone_digits.startswith("79")
        )
        totals = [o.total for o in orders]
        skus = list(Product.objects.filter(seller=self.seller).values_list("sku", flat=True))
        return {
            "list: newest page": [{} for _ in range(n)],
            "search: customer name": [
                {"q": o.customer_name.split()[-1]} for o in pick(lambda o: bool(o.customer_name))
            ],
            "search: e-mail fragment": [
                {"q": fragment(o.customer_email)} for o in pick(lambda o: bool(o.customer_email))
            ],
            "search: phone, another format": [
                {"q": other_format(o.customer_phone_digits)} for o in ru_phones
            ],
            "search: part of a phone": [{"q": part_of(o.customer_phone_digits)} for o in ru_phones],
            "search: order number": [
                {"q": rng.choice(["", "#"]) + str(o.number)} for o in pick(lambda o: True)
            ],
            "search: total range": [
                {"total_min": str(t), "total_max": str((t * Decimal("1.05")).quantize(Decimal("1")))}
                for t in (totals[i % len(totals)] for i in range(n))
            ],
            "filter: status + created dates": [
                {"status": rng.choice(["confirmed", "closed", "cancelled", "pending,confirmed"]), **window()}
                for _ in range(n)
            ],
            "filter: payment + fulfillment status": [
                {
                    "payment_status": rng.choice(["unpaid", "paid", "refunded"]),
                    "fulfillment_status": rng.choice(["unfulfilled", "delivered", "canceled"]),
                }
                for _ in range(n)
            ],
            "filter: SKU": [{"sku": rng.choice(skus)} for _ in range(n)],
            "deep page via cursor": [
                {
                    "cursor": None,
                    "_before": f"{span_start + dt.timedelta(days=rng.uniform(1, 729)):%Y-%m-%dT%H:%M:%S}Z",
                }
                for _ in range(n)
            ],
        }

    def list_and_search(self) -> None:
        limit = 150 if not self.pg else 50
        queries = self._queries(self.requests)
        c = self.api()
        # deep pages: ask for a cursor somewhere in the two years (untimed), then page from it
        for params in queries["deep page via cursor"]:
            before = params.pop("_before")
            status, body, _ = c.get_json("/api/v1/orders", {"created_before": before, "limit": 1})
            params["cursor"] = body.get("next_cursor") if status == 200 and body else None
        queries["deep page via cursor"] = [p for p in queries["deep page via cursor"] if p["cursor"]]
        for name, plist in queries.items():
            if not plist:
                self.add(Result(name=name, unit="ms", note="no sample data for this search"))
                continue
            for params in plist[:5]:  # warm
                c.get_json("/api/v1/orders", {**params, "limit": 50})
            lat, errors, found = [], 0, []
            for params in plist:
                status, body, secs = c.get_json("/api/v1/orders", {**params, "limit": 50})
                lat.append(secs)
                if status != 200:
                    errors += 1
                    if errors <= 2:
                        self.say(f"    {name} answered {status}: {str(body)[:200]}")
                else:
                    found.append(len(body["items"]))
            self.add(
                latency_result(
                    name,
                    lat,
                    errors,
                    limit,
                    note=f"mean {statistics.mean(found) if found else 0:.1f} rows/page",
                    extra={"example": urlencode(plist[0])[:120]},
                )
            )
        c.close()

    # 3. the order page --------------------------------------------------------
    def login(self) -> Client | None:
        c = Client(HOST, self.port)
        c.request("GET", "/login/")
        token = c.cookies.get("csrftoken", "")
        email = f"manager@{self.seller.slug}.example"  # type: ignore[union-attr]  # the seller is loaded before any step runs
        status, body, _, _ = c.request(
            "POST",
            "/login/",
            body=urlencode({"email": email, "password": PASSWORD, "csrfmiddlewaretoken": token}).encode(),
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Referer": f"http://{HOST}:{self.port}/login/",
            },
        )
        if status not in (302, 303) or "sessionid" not in c.cookies:
            self.say(f"    login failed ({status}); HTML figures are skipped")
            return None
        return c

    def order_page(self) -> None:
        numbers = [o.number for o in self._samples(self.requests)][: self.requests]
        c = self.api()
        for n in numbers[:5]:
            c.request("GET", f"/api/v1/orders/{n}")
        lat, errors = [], 0
        for n in numbers:
            status, _, secs, _ = c.request("GET", f"/api/v1/orders/{n}")
            lat.append(secs)
            errors += status != 200
        self.add(latency_result("order page: API", lat, errors, 50))
        html = self.login()
        if html is None:
            self.add(Result(name="order page: HTML", unit="ms", note="login to the dashboard failed"))
            return
        self.html = html
        for n in numbers[:5]:
            html.request("GET", f"/orders/{n}/")
        lat, errors = [], 0
        for n in numbers:
            status, _, secs, _ = html.request("GET", f"/orders/{n}/")
            lat.append(secs)
            errors += status != 200
        self.add(latency_result("order page: HTML", lat, errors, 50))

    # 4. CSV export -------------------------------------------------------------
    def export_csv(self) -> None:
        html = getattr(self, "html", None) or self.login()
        if html is None:
            self.add(Result(name="CSV export of all orders", unit="s", note="login to the dashboard failed"))
            return
        assert self.server is not None
        workers = [p for p in self.server.workers()]
        base = {p: rss_mb(p) for p in workers}
        peak = dict(base)
        stop = threading.Event()

        def sample() -> None:
            while not stop.is_set():
                for p in workers:
                    peak[p] = max(peak[p], rss_mb(p))
                time.sleep(0.05)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        try:
            status, size, lines, secs = html.stream("/orders/export.csv")
        finally:
            stop.set()
            sampler.join()
        total = Order.objects.filter(seller=self.seller).count()
        top = max(workers, key=lambda p: peak[p] - base[p]) if workers else None
        peak_mb = round(peak[top], 1) if top else None
        ok = status == 200 and lines >= total
        self.add(
            Result(
                name="CSV export of all orders",
                unit="s",
                value=round(secs, 1),
                target="≤ 60 s",
                ok=ok and secs <= 60,
                n=lines - 1,
                errors=0 if ok else 1,
                note=f"HTTP {status}, {lines - 1:,} rows of {total:,}, {size / 1e6:.0f} MB",
            )
        )
        self.add(
            Result(
                name="CSV export: peak worker memory",
                unit="MB RSS",
                value=peak_mb,
                target="≤ 200 MB",
                ok=peak_mb is not None and peak_mb <= 200,
                note=f"before the export {base[top]:.0f} MB" if top else "",
            )
        )

    # 5. bulk confirm -----------------------------------------------------------
    def _bulk(
        self, action: str, numbers: list[int], *, htmx: bool = False
    ) -> tuple[int, bytes, float] | None:
        """One `POST /orders/bulk/` of the dashboard as a signed-in manager: (status, body, seconds),
        or None when the login fails."""
        html = getattr(self, "html", None) or self.login()
        if html is None:
            return None
        self.html = html
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "X-CSRFToken": html.cookies.get("csrftoken", ""),
            "Referer": f"http://{HOST}:{self.port}/orders/",
        }
        if htmx:
            headers["HX-Request"] = "true"
        body = urlencode(
            [("action", action), ("query", ""), *[("numbers", str(n)) for n in numbers]]
        ).encode()
        status, data, secs, _ = html.request("POST", "/orders/bulk/", body=body, headers=headers)
        return status, data, secs

    def bulk_confirm(self, count: int = 1000) -> None:
        numbers = list(
            Order.objects.filter(seller=self.seller, status="pending")
            .order_by("-created_at")
            .values_list("number", flat=True)[:count]
        )
        if len(numbers) < count:
            _, _, _, made = self._place(4, count - len(numbers))
            numbers += made
        answer = self._bulk("confirm", numbers, htmx=True)
        if answer is None:
            self.add(
                Result(name=f"bulk confirm of {count:,}", unit="s", note="login to the dashboard failed")
            )
            return
        status, data, secs = answer
        confirmed = Order.objects.filter(seller=self.seller, number__in=numbers, status="confirmed").count()
        self.add(
            Result(
                name=f"bulk confirm of {len(numbers):,}",
                unit="s",
                value=round(secs, 2),
                target="≤ 10 s",
                ok=status == 200 and confirmed == len(numbers) and secs <= 10,
                n=len(numbers),
                errors=len(numbers) - confirmed,
                note=f"HTTP {status}, POST /orders/bulk/, {confirmed:,} confirmed",
            )
        )

    # 6. fulfilment through the API (R-FUL-2) -------------------------------------------------
    def _to_ship(self, count: int) -> list[int]:
        """`count` confirmed orders paid on delivery (R-PAY-7 lets them leave unpaid), made untimed."""
        from sellerdesk.accounts.actors import Actor
        from sellerdesk.orders.services import order_confirm

        Product.objects.filter(seller=self.seller).update(stock=10_000_000)  # stock is not measured here
        _, _, _, numbers = self._place(4, count, payment="cash_on_delivery")
        actor = Actor.staff(self.seller.staff.get(email=f"manager@{self.seller.slug}.example"))  # type: ignore[union-attr]  # the seller is loaded before any step runs
        for n in numbers:
            order_confirm(seller_id=self.seller.pk, number=n, actor=actor)  # type: ignore[union-attr]  # the seller is loaded before any step runs
        return numbers

    def fulfil(self, clients: int = 4) -> None:
        count = max(self.place_n // 2, 40)
        numbers = self._to_ship(count + 20)
        warm, numbers = numbers[:20], numbers[20:]
        body = json.dumps(
            {"shipping_point": "local", "carrier": "Courier", "tracking_number": "BENCH"}
        ).encode()
        queues = [numbers[i::clients] for i in range(clients)]
        latencies: list[float] = []
        errors = [0]
        lock = threading.Lock()
        start = threading.Barrier(clients + 1)

        def worker(mine: list[int]) -> None:
            c = self.api()
            lat, bad = [], 0
            start.wait()
            for n in mine:
                status, data, secs, _ = c.request(
                    "POST",
                    f"/api/v1/orders/{n}/fulfillments",
                    body=body,
                    headers={"Content-Type": "application/json"},
                )
                lat.append(secs)
                if status != 201:
                    bad += 1
                    if bad <= 3:
                        self.say(f"    fulfilment answered {status}: {data[:200]!r}")
            c.close()
            with lock:
                latencies.extend(lat)
                errors[0] += bad

        c = self.api()
        for n in warm:  # every worker has its imports and connection
            c.request(
                "POST",
                f"/api/v1/orders/{n}/fulfillments",
                body=body,
                headers={"Content-Type": "application/json"},
            )
        c.close()
        threads = [threading.Thread(target=worker, args=(q,)) for q in queues]
        for t in threads:
            t.start()
        start.wait()
        t0 = time.perf_counter()
        for t in threads:
            t.join()
        wall = time.perf_counter() - t0
        shipped = Order.objects.filter(seller=self.seller, number__in=numbers, status="shipped").count()
        rate = shipped / wall
        self.shipped_numbers = numbers
        self.add(
            Result(
                name=f"fulfilment (manual, all lines), {clients} clients",
                unit="orders/s",
                value=round(rate, 1),
                n=len(numbers),
                errors=len(numbers) - shipped,
                p50=round(percentile(latencies, 0.5) * 1000, 1),
                p95=round(percentile(latencies, 0.95) * 1000, 1),
                target="≥ 100 orders/s (PostgreSQL)",
                ok=(rate >= 100 and shipped == len(numbers)) if self.pg else None,
                note=f"{len(numbers)} orders in {wall:.1f} s, POST /api/v1/orders/{{number}}/fulfillments; "
                f"latency p50 {percentile(latencies, 0.5) * 1000:.0f} ms, p95 {percentile(latencies, 0.95) * 1000:.0f} ms; "
                f"{shipped} shipped",
            )
        )

    # 7. a bulk PDF of packing slips (R-FUL-8) -------------------------------------------------
    def packing_slips(self, count: int = 500) -> None:
        numbers = list(
            Order.objects.filter(seller=self.seller, status__in=["confirmed", "processing"])
            .order_by("-created_at")
            .values_list("number", flat=True)[:count]
        )
        if len(numbers) < count:
            numbers += self._to_ship(count - len(numbers))
        answer = self._bulk("print_slips", numbers)
        if answer is None:
            self.add(Result(name=f"packing slips of {count}", unit="s", note="login to the dashboard failed"))
            return
        status, data, secs = answer
        pages = data.count(b"/Type /Page") - data.count(b"/Type /Pages") if status == 200 else 0
        ok = status == 200 and data.startswith(b"%PDF")
        self.add(
            Result(
                name=f"packing slips of {len(numbers)}, one PDF",
                unit="s",
                value=round(secs, 2),
                target="seconds",
                ok=ok and secs <= 10,
                n=len(numbers),
                errors=0 if ok else 1,
                note=f"HTTP {status}, POST /orders/bulk/ action=print_slips, {len(data) / 1e6:.1f} MB, ~{pages} pages",
            )
        )

    # 8. the customer's tracking page (R-FUL-11) ----------------------------------------------
    def tracking_page(self) -> None:
        numbers = getattr(self, "shipped_numbers", None)
        orders = Order.objects.filter(seller=self.seller)
        orders = orders.filter(number__in=numbers) if numbers else orders.filter(shipments__isnull=False)
        tokens = list(orders.values_list("tracking_token", flat=True)[: self.requests])
        if not tokens:
            self.add(Result(name="tracking page", unit="ms", note="no shipped order to track"))
            return
        c = Client(HOST, self.port)
        for t in tokens[:5]:
            c.request("GET", f"/track/{t}/")
        lat, errors = [], 0
        for i in range(self.requests):
            status, _, secs, _ = c.request("GET", f"/track/{tokens[i % len(tokens)]}/")
            lat.append(secs)
            errors += status != 200
        c.close()
        self.add(latency_result("tracking page (customer)", lat, errors, None))

    # 6. the deadline sweep -------------------------------------------------------
    def deadline_sweep(self, due: int = 10_000) -> None:
        """R-SLA-1, R-SLA-2: `due` open orders of the data set miss their deadline at an instant at
        which nothing else is due; the sweep (the worker's function) handles them. Measured inside a
        transaction rolled back afterwards, so the data set stays reusable."""
        from django.db import transaction
        from django.db.models import Min

        from sellerdesk.orders.deadlines import LIVE_DEADLINE, DeadlineKind
        from sellerdesk.orders.sweeps import sweep

        pending = [s for s, k in LIVE_DEADLINE.items() if k == DeadlineKind.CONFIRM]
        shipping = [s for s, k in LIVE_DEADLINE.items() if k == DeadlineKind.SHIP]
        firsts = [
            Order.objects.filter(status__in=pending).aggregate(m=Min("confirm_by"))["m"],
            Order.objects.filter(status__in=shipping).aggregate(m=Min("ship_by"))["m"],
            Order.objects.filter(status="delivered").aggregate(m=Min("close_by"))["m"],
        ]
        at = min([f for f in firsts if f is not None] or [timezone.now()]) - dt.timedelta(seconds=1)
        # the open orders first (they cancel: stock moves, events), then delivered ones (they close)
        picked = list(
            Order.objects.filter(status__in=[*pending, *shipping])
            .order_by("id")
            .values_list("id", "status")[:due]
        )
        picked += list(
            Order.objects.filter(status="delivered")
            .order_by("id")
            .values_list("id", "status")[: due - len(picked)]
        )
        total = Order.objects.count()
        with transaction.atomic():
            Order.objects.filter(pk__in=[i for i, s in picked if s in pending]).update(
                confirm_by=at - dt.timedelta(hours=1)
            )
            Order.objects.filter(pk__in=[i for i, s in picked if s in shipping]).update(
                ship_by=at - dt.timedelta(hours=1)
            )
            Order.objects.filter(pk__in=[i for i, s in picked if s == "delivered"]).update(
                close_by=at - dt.timedelta(hours=1)
            )
            t0 = time.perf_counter()
            report = sweep(at)
            secs = time.perf_counter() - t0
            transaction.set_rollback(True)
        counts = report.counts()
        handled = sum(v for k, v in counts.items() if not k.endswith("_warned"))
        self.add(
            Result(
                name=f"deadline sweep, {len(picked):,} due",
                unit="s",
                value=round(secs, 2),
                target="≤ 10 s",
                ok=handled == len(picked) and secs <= 10,
                n=handled,
                errors=len(picked) - handled,
                note=f"{len(picked):,} due among {total:,} orders; "
                + ", ".join(f"{k} {v:,}" for k, v in counts.items()),
            )
        )
