"""R-SLA-5: metrics computed from a constructed history match values worked out by hand.

The orders are placed through the real service; their historical timestamps (placed two months
ago, confirmed six hours later, …) are then written onto the rows directly, because every writer
stamps "now" and a history cannot be lived through in a test. Shipments are written directly for
the same reason. The expected values below are computed by hand in the comments.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from sellerdesk.accounts.models import Seller
from sellerdesk.metrics.definitions import METRICS, Metric, Standing, status_of
from sellerdesk.metrics.models import MetricLimit
from sellerdesk.metrics.selectors import seller_metrics
from sellerdesk.orders.models import Order
from sellerdesk.shipping.models import Shipment, TrackingEvent
from tests.conftest import place

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 6, 15, 12, 0, tzinfo=dt.UTC)
H = dt.timedelta(hours=1)
D = dt.timedelta(days=1)


def order(seller: Seller, placed: dt.datetime, **stamps: Any) -> Order:
    o = place(seller)
    fields = {"created_at": placed, "ship_by": placed + 48 * H, **stamps}
    Order.objects.filter(pk=o.pk).update(**fields)
    o.refresh_from_db()
    return o


def shipment(o: Order, n: int = 1, *, scans: int = 0, **kw: Any) -> Shipment:
    kw.setdefault("handed_over_at", o.shipped_at or o.created_at)
    s = Shipment.objects.create(
        order=o, seller_id=o.seller_id, number=n, currency="EUR", created_at=o.created_at, **kw
    )
    for i in range(scans):
        TrackingEvent.objects.create(shipment=s, raw_code=f"C{i}", status="in_transit", occurred_at=NOW)
    return s


@pytest.fixture
def history(seller: Seller, other_seller: Seller) -> Seller:
    Seller.objects.filter(pk=seller.pk).update(time_zone="UTC")
    seller.refresh_from_db()
    t = NOW - 2 * D - H  # A: confirmed in 6 h, shipped in 30 h, ship-by at NOW - 1 h: on time
    a = order(seller, t, confirmed_at=t + 6 * H, shipped_at=t + 30 * H)
    t = NOW - 3 * D  # B: confirmed in 12 h, shipped in 60 h, ship-by NOW - 1 d: late
    b = order(seller, t, confirmed_at=t + 12 * H, shipped_at=t + 60 * H)
    t = NOW - 4 * D  # C: confirmed in 30 h, never shipped, ship-by NOW - 2 d: late
    order(seller, t, confirmed_at=t + 30 * H)
    t = NOW - 5 * D  # D: cancelled out of stock before its ship-by: seller-caused, never due
    order(seller, t, cancelled_at=t + 10 * H, cancel_reason="out_of_stock", status="cancelled")
    t = NOW - 6 * D  # E: the customer cancelled: not seller-caused, never due
    order(seller, t, cancelled_at=t + 5 * H, cancel_reason="customer_request", status="cancelled")
    order(seller, NOW - H)  # H: placed an hour ago, due in 47 h: counts as placed only
    t = NOW - 20 * D  # F: confirmed in 2 h, shipped in 20 h: on time
    f = order(seller, t, confirmed_at=t + 2 * H, shipped_at=t + 20 * H)
    t = NOW - 60 * D  # G: confirmed in 48 h, shipped in 72 h: late
    g = order(seller, t, confirmed_at=t + 48 * H, shipped_at=t + 72 * H)

    # A: scanned carrier parcel delivered a day early; its voided first label never counts.
    shipment(a, 1, kind="carrier", tracking_number="VOID", status="canceled", voided_at=NOW)
    shipment(
        a, 2, kind="carrier", tracking_number="TRK-A", scans=1, status="delivered",
        expected_delivery=NOW.date(), delivered_at=NOW - D,
    )  # fmt: skip
    # B: manual with a number, delivered today, expected yesterday: late.
    shipment(
        b, kind="manual", tracking_number="M-B", status="delivered",
        expected_delivery=(NOW - D).date(), delivered_at=NOW,
    )  # fmt: skip
    # F: carrier label never scanned (not valid), expected 10 days ago, still not delivered: late.
    shipment(
        f, kind="carrier", tracking_number="TRK-F", status="shipped", expected_delivery=(NOW - 10 * D).date()
    )
    # G: manual without a tracking number (not valid), no expected date (not in on-time).
    shipment(g, kind="manual", status="delivered", delivered_at=t + 100 * H)

    # Test orders and the other seller's orders are terrible — and must never count.
    t = NOW - D
    test = order(seller, t, confirmed_at=t + 100 * H, is_test=True, ship_by=t - D)
    shipment(test, kind="manual", status="shipped", expected_delivery=(NOW - 5 * D).date())
    order(seller, t, is_test=True, cancelled_at=t + H, cancel_reason="out_of_stock", status="cancelled")
    for _ in range(3):
        o = order(other_seller, t, confirmed_at=t + 200 * H, ship_by=t - D,
                  cancelled_at=t + H, cancel_reason="out_of_stock")  # fmt: skip
        shipment(
            o, kind="carrier", tracking_number="X", status="shipped", expected_delivery=(NOW - 5 * D).date()
        )
    return seller


def values(seller: Seller, window: int) -> dict[Metric, tuple[Decimal | None, int, Standing]]:
    return {
        r.metric: (r.windows[window].value, r.windows[window].count, r.windows[window].status)
        for r in seller_metrics(seller, now=NOW)
    }


def test_seven_days_by_hand(history: Seller) -> None:
    v = values(history, 7)
    assert v[Metric.CONFIRM_TIME] == (Decimal("16.0"), 3, Standing.OK)  # (6 + 12 + 30) / 3
    assert v[Metric.SHIP_TIME] == (Decimal("45.0"), 2, Standing.OK)  # (30 + 60) / 2
    assert v[Metric.CANCELLATION] == (Decimal("16.67"), 6, Standing.BREACH)  # D of A B C D E H
    assert v[Metric.LATE_SHIPMENT] == (Decimal("66.67"), 3, Standing.BREACH)  # B, C of A B C
    assert v[Metric.VALID_TRACKING] == (Decimal("100.00"), 2, Standing.OK)  # A-2, B
    assert v[Metric.ON_TIME_DELIVERY] == (Decimal("50.00"), 2, Standing.BREACH)  # A-2 of A-2, B
    assert v[Metric.FEEDBACK] == (None, 0, Standing.NO_DATA)


def test_thirty_days_by_hand(history: Seller) -> None:
    v = values(history, 30)
    assert v[Metric.CONFIRM_TIME][:2] == (Decimal("12.5"), 4)  # (6 + 12 + 30 + 2) / 4
    assert v[Metric.SHIP_TIME][:2] == (Decimal("36.7"), 3)  # (30 + 60 + 20) / 3
    assert v[Metric.CANCELLATION][:2] == (Decimal("14.29"), 7)  # 1 / 7
    assert v[Metric.LATE_SHIPMENT][:2] == (Decimal("50.00"), 4)  # B, C of A B C F
    assert v[Metric.VALID_TRACKING][:2] == (Decimal("66.67"), 3)  # F was never scanned
    assert v[Metric.ON_TIME_DELIVERY][:2] == (Decimal("33.33"), 3)  # F is overdue


def test_ninety_days_by_hand(history: Seller) -> None:
    v = values(history, 90)
    assert v[Metric.CONFIRM_TIME] == (Decimal("19.6"), 5, Standing.WARNING)  # 98 / 5; warning at 18
    assert v[Metric.SHIP_TIME][:2] == (Decimal("45.5"), 4)  # 182 / 4
    assert v[Metric.CANCELLATION][:2] == (Decimal("12.50"), 8)
    assert v[Metric.LATE_SHIPMENT][:2] == (Decimal("60.00"), 5)  # B, C, G of A B C F G
    assert v[Metric.VALID_TRACKING][:2] == (Decimal("50.00"), 4)  # G has no number
    assert v[Metric.ON_TIME_DELIVERY][:2] == (Decimal("33.33"), 3)  # G has no expected date


def test_weekly_series(history: Seller) -> None:
    confirm = next(r for r in seller_metrics(history, now=NOW) if r.metric == Metric.CONFIRM_TIME)
    assert len(confirm.series) == 13
    assert confirm.series[-1].period.end == NOW
    assert [(p.reading.value, p.reading.count) for p in confirm.series] == (
        [(None, 0)] * 4 + [(Decimal("48.0"), 1)] + [(None, 0)] * 5 + [(Decimal("2.0"), 1)]  # G, F
        + [(None, 0), (Decimal("16.0"), 3)]  # A B C
    )  # fmt: skip


def test_another_seller_sees_only_theirs(history: Seller, other_seller: Seller) -> None:
    v = values(other_seller, 7)
    assert v[Metric.CONFIRM_TIME][:2] == (Decimal("200.0"), 3)
    assert v[Metric.CANCELLATION][:2] == (Decimal("100.00"), 3)


def test_a_seller_without_orders_has_no_data(seller: Seller) -> None:
    for r in seller_metrics(seller, now=NOW):
        for reading in [*r.windows.values(), *(p.reading for p in r.series)]:
            assert (reading.value, reading.count, reading.status) == (None, 0, Standing.NO_DATA)


def test_queries_do_not_grow_with_orders(history: Seller, django_assert_num_queries: Any) -> None:
    with django_assert_num_queries(5):  # the seller's limits, then four aggregates
        seller_metrics(history, now=NOW)


def test_own_limits_replace_the_defaults(history: Seller) -> None:
    MetricLimit.objects.create(
        seller=history, metric=Metric.LATE_SHIPMENT, limit=Decimal("70"), warning=Decimal("60")
    )
    assert values(history, 7)[Metric.LATE_SHIPMENT][2] == Standing.WARNING  # 66.67 ≥ 60, ≤ 70
    assert values(history, 30)[Metric.LATE_SHIPMENT][2] == Standing.OK  # 50 < 60
    # Other metrics keep the defaults.
    assert values(history, 90)[Metric.CONFIRM_TIME][2] == Standing.WARNING


@pytest.mark.parametrize(
    ("value", "direction", "expected"),
    [
        ("2.9", "max", Standing.OK),
        ("3", "max", Standing.WARNING),
        ("4", "max", Standing.WARNING),  # at the limit is still within it
        ("4.01", "max", Standing.BREACH),
        ("97", "min", Standing.OK),
        ("96", "min", Standing.WARNING),
        ("95", "min", Standing.WARNING),
        ("94.99", "min", Standing.BREACH),
    ],
)
def test_status_against_limit_and_warning(value: str, direction: str, expected: Standing) -> None:
    limit, warning = (Decimal("4"), Decimal("3")) if direction == "max" else (Decimal("95"), Decimal("96"))
    assert status_of(Decimal(value), direction, limit, warning) == expected  # type: ignore[arg-type]  # the parametrized str is one of the two literals


def test_every_warning_lies_before_its_limit() -> None:
    for d in METRICS.values():
        assert d.warning < d.limit if d.direction == "max" else d.warning > d.limit


def test_an_order_handed_over_by_hand_left_when_it_was_delivered(make_seller) -> None:  # type: ignore[no-untyped-def]
    """Pickup and digital orders are never shipped, they are handed over (delivered): that is when
    they left, for the late shipment rate. One on time, one late, one not yet handed over (late)."""
    seller = make_seller(time_zone="UTC")
    t = NOW - 4 * D  # ship-by at NOW - 2 d
    order(seller, t, confirmed_at=t + 2 * H, delivered_at=t + 20 * H, shipping_method="pickup")
    order(seller, t, confirmed_at=t + 2 * H, delivered_at=t + 60 * H, shipping_method="pickup")
    order(seller, t, confirmed_at=t + 2 * H, shipping_method="digital")
    assert values(seller, 7)[Metric.LATE_SHIPMENT][:2] == (Decimal("66.67"), 3)
