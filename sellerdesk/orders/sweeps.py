"""The deadline engine (R-SLA-1..4): one function, `sweep(now)`, run by the worker's periodic job
(`run_deadlines`, with now()) and by `sellerdesk deadlines --at` (with any instant).

Set-based: for each kind of change the due order ids are selected with one query (the deadline
filters of deadlines.py), then handled in chunks of `CHUNK`: one transaction per chunk locks the
rows in id order, re-checks each against the lifecycle table through `_transit` (the one status
writer), and writes the chunk with one UPDATE of the orders per set of new values (a chunk of one
kind of change mostly shares them: status, stock state, timestamp, reason), one of the products
(stock moves are batched), one INSERT of notices and one INSERT of events. The number of statements depends on the
number of chunks, never on the number of orders in one.

Idempotent: a cancelled or closed order is no longer due; a warning or a flag is a `DeadlineNotice`
row unique per (order, kind, deadline, stage), so a retried or concurrent sweep does nothing twice.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Exists, Max, OuterRef, Q
from django.utils import timezone

from sellerdesk.accounts.actors import Actor
from sellerdesk.accounts.models import Seller, User
from sellerdesk.accounts.roles import Role
from sellerdesk.catalog.services import stock_moves_batched
from sellerdesk.core.errors import DomainError
from sellerdesk.core.events import Event
from sellerdesk.earnings.ledger import postings_batched

from .deadlines import (
    DEADLINE_FIELDS,
    LIVE_DEADLINE,
    DeadlineKind,
    DeadlinePolicy,
    MissAction,
    live_deadline,
    manager_else_admins,
    overdue_q,
)
from .events import DeadlineMissed, DeadlineWarning, record_events
from .methods import CancelReason
from .models import DeadlineNotice, Order
from .services.lifecycle import LIFECYCLE_FIELDS, _transit
from .states import Action, Status

CHUNK = 500
ACTOR = Actor.system(label="SellerDesk deadlines")
MISS_REASON = {
    DeadlineKind.CONFIRM: CancelReason.CONFIRM_DEADLINE_MISSED,
    DeadlineKind.SHIP: CancelReason.SHIP_DEADLINE_MISSED,
}
WARNED, MISSED = "warning", "missed"
CLOSE = "close"


@dataclass
class SweepReport:
    """What a sweep did: per kind of change, the orders it changed (seller id, number)."""

    at: dt.datetime
    dry_run: bool = False
    done: dict[str, list[tuple[int, int]]] = field(default_factory=lambda: defaultdict(list))

    def counts(self) -> dict[str, int]:
        return {kind: len(orders) for kind, orders in sorted(self.done.items())}

    def as_dict(self) -> dict[str, Any]:
        return {"at": self.at.isoformat(), "dry_run": self.dry_run, "counts": self.counts()}


def _not_noticed(kind: str, stage: str, due_field: str) -> Q:
    return ~Q(
        Exists(
            DeadlineNotice.objects.filter(
                order=OuterRef("pk"), kind=kind, stage=stage, due=OuterRef(due_field)
            )
        )
    )


class _Sellers(dict[int, tuple[Seller, DeadlinePolicy]]):
    """Sellers and their policies, loaded once per sweep for the sellers a chunk needs."""

    def need(self, orders: Iterable[Order]) -> None:
        missing = {o.seller_id for o in orders} - set(self)
        for seller in Seller.objects.filter(pk__in=missing):
            self[seller.pk] = (seller, DeadlinePolicy.of(seller))


Handle = Callable[[Order, Seller, DeadlinePolicy], "tuple[str, list[Event], DeadlineNotice | None] | None"]


def _run_chunks(
    ids: list[int],
    sellers: _Sellers,
    handle: Handle,
    report: SweepReport,
    *,
    prefetch: tuple[str, ...] = ("lines",),
    closes: bool = False,
) -> None:
    """`prefetch`: what the lifecycle check reads of each order (its lines; a delivered order's
    fulfilment is derived from its shipments too)."""
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        with transaction.atomic(), stock_moves_batched():
            qs = Order.objects.select_for_update(of=("self",)).filter(pk__in=chunk).order_by("id")
            orders = list(qs.prefetch_related(*prefetch))
            sellers.need(orders)
            # closing charges the commission (R-PAY-8): the chunk's earnings are posted together
            postings: AbstractContextManager[None] = postings_batched(orders) if closes else nullcontext()
            with postings:
                _handle_chunk(orders, sellers, handle, report)


def _handle_chunk(orders: list[Order], sellers: _Sellers, handle: Handle, report: SweepReport) -> None:
    # The orders changed, grouped by what changed (field → new value): one UPDATE per
    # group. The orders of one kind of change mostly share their new values (status,
    # stock state, timestamp, reason), so a chunk is written with one or a few statements.
    changed: dict[tuple[tuple[str, Any], ...], list[int]] = defaultdict(list)
    notices: list[DeadlineNotice] = []
    events: list[tuple[Order, Event]] = []
    for order in orders:
        seller, policy = sellers[order.seller_id]
        before = {f: getattr(order, f) for f in LIFECYCLE_FIELDS}
        outcome = handle(order, seller, policy)
        if outcome is None:
            continue
        what, order_events, notice = outcome
        if notice is None:
            diff = tuple((f, getattr(order, f)) for f in LIFECYCLE_FIELDS if getattr(order, f) != before[f])
            changed[diff].append(order.pk)
        else:
            notices.append(notice)
        events.extend((order, e) for e in order_events)
        report.done[what].append((order.seller_id, order.number))
    for diff, group in changed.items():
        Order.objects.filter(pk__in=group).update(**dict(diff))
    if notices:
        DeadlineNotice.objects.bulk_create(notices)
    record_events(ACTOR, events)


def _missed(kind: DeadlineKind, now: dt.datetime) -> Handle:
    def handle(order: Order, seller: Seller, policy: DeadlinePolicy) -> Any:
        live = live_deadline(order)
        if live is None or live.kind != kind or not live.overdue(now):
            return None  # changed since it was selected: no longer due
        why = "policy"
        if policy.on_miss(kind) == MissAction.CANCEL:
            reason = MISS_REASON[kind].value
            before = (order.cancel_reason, order.cancel_comment)
            order.cancel_reason, order.cancel_comment = reason, ""
            try:
                return (
                    f"{kind}_cancelled",
                    _transit(order, Action.CANCEL, seller, now=now, reason=reason),
                    None,
                )
            except DomainError:  # units already in a shipment: the lifecycle refuses; flag instead
                order.cancel_reason, order.cancel_comment = before
                why = "in_shipments"
        notice = DeadlineNotice(order=order, kind=kind.value, due=live.due, stage=MISSED, created_at=now)
        return f"{kind}_flagged", [DeadlineMissed(kind=kind.value, due=live.due.isoformat(), why=why)], notice

    return handle


def _close(now: dt.datetime) -> Handle:
    def handle(order: Order, seller: Seller, policy: DeadlinePolicy) -> Any:
        if order.status != Status.DELIVERED or order.close_by is None or order.close_by >= now:
            return None
        return "closed", _transit(order, Action.CLOSE, seller, now=now), None

    return handle


def _upcoming(order: Order, kind: str) -> dt.datetime | None:
    """The deadline of `kind` the order is heading for: its live confirm-by or ship-by, or the
    close-by of a delivered order (auto-close, R-SLA-3)."""
    if kind == CLOSE:
        return order.close_by if order.status == Status.DELIVERED else None
    live = live_deadline(order)
    return live.due if live is not None and live.kind == kind else None


def _warn(kind: str, now: dt.datetime, admins: dict[int, list[int]]) -> Handle:
    def handle(order: Order, seller: Seller, policy: DeadlinePolicy) -> Any:
        due = _upcoming(order, kind)
        if due is None or due < now or due - policy.warn_before(kind) > now:
            return None
        recipients = manager_else_admins(order.manager_id, admins.get(order.seller_id, []))
        notice = DeadlineNotice(order=order, kind=kind, due=due, stage=WARNED, created_at=now)
        event = DeadlineWarning(kind=kind, due=due.isoformat(), recipient_ids=recipients)
        return f"{kind}_warned", [event], notice

    return handle


def _ids(q: Q) -> list[int]:
    return list(Order.objects.filter(q).order_by("id").values_list("id", flat=True))


def _sweep(now: dt.datetime, report: SweepReport) -> None:
    sellers = _Sellers()
    for kind in (DeadlineKind.CONFIRM, DeadlineKind.SHIP):
        due = overdue_q(now, [kind]) & _not_noticed(kind.value, MISSED, DEADLINE_FIELDS[kind])
        _run_chunks(_ids(due), sellers, _missed(kind, now), report)
    _run_chunks(
        _ids(Q(status=Status.DELIVERED, close_by__lt=now)),
        sellers,
        _close(now),
        report,
        prefetch=("lines", "shipments__lines"),
        closes=True,
    )
    # Warnings (R-SLA-4), before each deadline: orders whose deadline falls within the longest lead
    # time any seller uses; each seller's own lead time is applied per order.
    longest = _longest_leads()
    admins: dict[int, list[int]] = defaultdict(list)
    warned: list[tuple[str, str, list[Status]]] = [
        (kind.value, DEADLINE_FIELDS[kind], [s for s, k in LIVE_DEADLINE.items() if k == kind])
        for kind in (DeadlineKind.CONFIRM, DeadlineKind.SHIP)
    ]
    warned.append((CLOSE, "close_by", [Status.DELIVERED]))
    for name, field_name, statuses in warned:
        due = Q(status__in=statuses, **{f"{field_name}__gte": now, f"{field_name}__lte": now + longest[name]})
        ids = _ids(due & _not_noticed(name, WARNED, field_name))
        if ids and not admins:
            for user_id, seller_id in User.objects.filter(
                role__in=[Role.OWNER, Role.ADMINISTRATOR], is_active=True, seller__isnull=False
            ).values_list("id", "seller_id"):
                admins[seller_id].append(user_id)
        _run_chunks(ids, sellers, _warn(name, now, admins), report, prefetch=())


def _longest_leads() -> dict[str, dt.timedelta]:
    row = Seller.objects.aggregate(
        c=Max("confirm_warn_hours"), s=Max("ship_warn_hours"), x=Max("close_warn_hours")
    )
    return {
        DeadlineKind.CONFIRM.value: dt.timedelta(hours=row["c"] or 0),
        DeadlineKind.SHIP.value: dt.timedelta(hours=row["s"] or 0),
        CLOSE: dt.timedelta(hours=row["x"] or 0),
    }


class _DryRun(Exception):
    pass


def sweep(now: dt.datetime, *, dry_run: bool = False) -> SweepReport:
    """Run the deadline engine as of `now`. With dry_run, everything is rolled back at the end."""
    report = SweepReport(at=now, dry_run=dry_run)
    if not dry_run:
        _sweep(now, report)
        return report
    try:
        with transaction.atomic():
            _sweep(now, report)
            raise _DryRun
    except _DryRun:
        pass
    return report


def run_deadlines() -> dict[str, Any]:
    """The worker's periodic job (outbox/periodic.py PERIODIC)."""
    return sweep(timezone.now()).as_dict()
