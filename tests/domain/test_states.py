"""The lifecycle table and the derived axes (docs/requirements.md#order-states), tested as pure functions."""

from __future__ import annotations

import itertools
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sellerdesk.orders.states import (
    FINAL,
    RANK,
    Action,
    FulfillmentStatus,
    Ledger,
    LineQty,
    OrderFacts,
    PaymentStatus,
    Status,
    TransitionRefused,
    allowed_actions,
    available_actions,
    derive_fulfillment_status,
    derive_payment_status,
    transition,
)

S, A = Status, Action

# docs/requirements.md#lifecycle, written out independently of the implementation's table.
EXPECTED = {
    (S.PENDING, A.CONFIRM): S.CONFIRMED,
    (S.PENDING, A.CANCEL): S.CANCELLED,
    (S.CONFIRMED, A.PROCESS): S.PROCESSING,
    (S.CONFIRMED, A.CANCEL): S.CANCELLED,
    (S.CONFIRMED, A.SHIP): S.SHIPPED,
    (S.CONFIRMED, A.DELIVER): S.DELIVERED,
    (S.PROCESSING, A.CANCEL): S.CANCELLED,
    (S.PROCESSING, A.SHIP): S.SHIPPED,
    (S.PROCESSING, A.DELIVER): S.DELIVERED,
    (S.SHIPPED, A.DELIVER): S.DELIVERED,
    (S.DELIVERED, A.CLOSE): S.CLOSED,
}


def facts(
    status: Status,
    *,
    shipping: str = "digital",
    payment: str = "online",
    paid: PaymentStatus = PaymentStatus.PAID,
) -> OrderFacts:
    return OrderFacts(status=status, shipping_method=shipping, payment_method=payment, payment_status=paid)


@pytest.mark.parametrize(("status", "action"), list(itertools.product(Status, Action)))
def test_every_status_action_pair(status: Status, action: Action) -> None:
    """Allowed pairs lead where the lifecycle table says (guards satisfied); every other pair is refused with a reason."""
    if (status, action) in EXPECTED:
        assert transition(facts(status), action) == EXPECTED[(status, action)]
    else:
        with pytest.raises(TransitionRefused) as refused:
            transition(facts(status), action)
        assert refused.value.status == status
        assert refused.value.action == action
        assert status.value in refused.value.reason and action.value in refused.value.reason


def test_final_statuses_allow_nothing() -> None:
    assert {S.CLOSED, S.CANCELLED} == FINAL
    for status in FINAL:
        assert allowed_actions(status) == []
        assert (
            "none (final)"
            in pytest.raises(TransitionRefused, transition, facts(status), A.CLOSE).value.reason
        )


def test_no_transition_goes_back_in_rank() -> None:
    for (src, _), dst in EXPECTED.items():
        assert RANK[dst] > RANK[src]


@pytest.mark.parametrize("status", [S.CONFIRMED, S.PROCESSING])
@pytest.mark.parametrize("shipping", ["carrier", "local"])
def test_deliver_by_hand_only_for_digital_and_pickup(status: Status, shipping: str) -> None:
    with pytest.raises(TransitionRefused) as refused:
        transition(facts(status, shipping=shipping), A.DELIVER)
    assert "digital and pickup" in refused.value.reason
    # through its shipments a carrier order is delivered from shipped, whatever the method
    assert (
        transition(facts(S.SHIPPED, shipping=shipping, paid=PaymentStatus.UNPAID), A.DELIVER) == S.DELIVERED
    )


UNPAID_LIKE = [
    PaymentStatus.UNPAID,
    PaymentStatus.IN_PROGRESS,
    PaymentStatus.PARTIALLY_PAID,
    PaymentStatus.REFUNDED,
]


@pytest.mark.parametrize("status", [S.CONFIRMED, S.PROCESSING])
@pytest.mark.parametrize("action", [A.DELIVER, A.SHIP])
@pytest.mark.parametrize("shipping", ["digital", "pickup"])
def test_leaving_needs_payment_unless_pay_on_delivery(status: Status, action: Action, shipping: str) -> None:
    """R-PAY-7: not paid → refused for prepaid methods; allowed for cash/POS on delivery."""
    for paid in UNPAID_LIKE:
        for payment in ("online", "bank_transfer"):
            with pytest.raises(TransitionRefused) as refused:
                transition(facts(status, shipping=shipping, payment=payment, paid=paid), action)
            assert "must be paid" in refused.value.reason
        for payment in ("cash_on_delivery", "pos_on_delivery"):
            assert (
                transition(facts(status, shipping=shipping, payment=payment, paid=paid), action)
                == EXPECTED[(status, action)]
            )
    for paid in (PaymentStatus.PAID, PaymentStatus.PARTIALLY_REFUNDED):
        assert transition(facts(status, shipping=shipping, paid=paid), action) == EXPECTED[(status, action)]


@given(
    status=st.sampled_from(Status),
    shipping=st.sampled_from(["carrier", "pickup", "digital", "local"]),
    payment=st.sampled_from(["online", "cash_on_delivery", "bank_transfer", "pos_on_delivery"]),
    paid=st.sampled_from(PaymentStatus),
)
def test_available_actions_are_exactly_those_that_pass(
    status: Status, shipping: str, payment: str, paid: PaymentStatus
) -> None:
    f = facts(status, shipping=shipping, payment=payment, paid=paid)
    passing = set()
    for action in Action:
        try:
            target = transition(f, action)
        except TransitionRefused as refused:
            assert refused.reason
        else:
            passing.add(action)
            assert target == EXPECTED[(status, action)]
    assert set(available_actions(f)) == passing
    assert passing <= set(allowed_actions(status))


# --- payment_status ------------------------------------------------------------

D = Decimal


@pytest.mark.parametrize(
    ("total", "paid", "refunded", "pending", "expected"),
    [
        ("10.00", "0", "0", False, PaymentStatus.UNPAID),
        ("10.00", "0", "0", True, PaymentStatus.IN_PROGRESS),
        ("10.00", "4.00", "0", False, PaymentStatus.PARTIALLY_PAID),
        ("10.00", "4.00", "0", True, PaymentStatus.PARTIALLY_PAID),
        ("10.00", "10.00", "0", False, PaymentStatus.PAID),
        ("10.00", "12.00", "0", False, PaymentStatus.PAID),
        ("10.00", "10.00", "3.00", False, PaymentStatus.PARTIALLY_REFUNDED),
        ("10.00", "10.00", "10.00", False, PaymentStatus.REFUNDED),
        ("10.00", "4.00", "4.00", False, PaymentStatus.REFUNDED),
        ("0", "0", "0", False, PaymentStatus.PAID),
        ("0", "0", "0", True, PaymentStatus.PAID),
    ],
)
def test_payment_status_cases(
    total: str, paid: str, refunded: str, pending: bool, expected: PaymentStatus
) -> None:
    assert derive_payment_status(Ledger(D(total), D(paid), D(refunded), pending)) == expected


money = st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False, allow_infinity=False)


@given(total=money, paid=money, refund_share=st.fractions(min_value=0, max_value=1), pending=st.booleans())
def test_payment_status_properties(total: Decimal, paid: Decimal, refund_share, pending: bool) -> None:
    refunded = (paid * refund_share.numerator / refund_share.denominator).quantize(D("0.01"))
    refunded = min(refunded, paid)
    status = derive_payment_status(Ledger(total, paid, refunded, pending))
    if refunded > 0:
        assert status in (PaymentStatus.REFUNDED, PaymentStatus.PARTIALLY_REFUNDED)
        assert (status == PaymentStatus.REFUNDED) == (refunded == paid)
    elif paid >= total:
        assert status == PaymentStatus.PAID
    elif paid > 0:
        assert status == PaymentStatus.PARTIALLY_PAID
    else:
        assert status == (PaymentStatus.IN_PROGRESS if pending else PaymentStatus.UNPAID)


# --- fulfillment_status --------------------------------------------------------

F = FulfillmentStatus


def L(quantity: int, fulfilled: int = 0, cancelled: int = 0, returned: int = 0) -> LineQty:  # noqa: N802
    return LineQty(quantity, fulfilled, cancelled, returned)


@pytest.mark.parametrize(
    ("status", "shipping", "lines", "expected"),
    [
        (S.PENDING, "carrier", [L(2), L(1)], F.UNFULFILLED),
        (S.PROCESSING, "carrier", [L(2, fulfilled=1), L(1)], F.PARTIALLY_FULFILLED),
        (S.SHIPPED, "carrier", [L(2, fulfilled=2), L(1, fulfilled=1)], F.FULFILLED),
        (S.SHIPPED, "carrier", [L(2, fulfilled=1, cancelled=1)], F.FULFILLED),
        (S.DELIVERED, "carrier", [L(2, fulfilled=2)], F.DELIVERED),
        (S.CLOSED, "local", [L(2, fulfilled=2)], F.DELIVERED),
        (S.DELIVERED, "pickup", [L(2, fulfilled=2)], F.PICKED_UP),
        (S.DELIVERED, "carrier", [L(2, fulfilled=2, returned=1)], F.PARTIALLY_RETURNED),
        (S.CLOSED, "carrier", [L(2, fulfilled=2, returned=2)], F.RETURNED),
        (S.CANCELLED, "carrier", [L(2), L(1)], F.CANCELED),
        (S.PROCESSING, "carrier", [L(2, cancelled=2)], F.CANCELED),
        (S.CANCELLED, "carrier", [L(2, fulfilled=1)], F.PARTIALLY_FULFILLED),
    ],
)
def test_fulfillment_status_cases(status: Status, shipping: str, lines: list[LineQty], expected: F) -> None:
    assert derive_fulfillment_status(status, shipping, lines) == expected


@st.composite
def line_qty(draw: st.DrawFn) -> LineQty:
    quantity = draw(st.integers(1, 20))
    fulfilled = draw(st.integers(0, quantity))
    cancelled = draw(st.integers(0, quantity - fulfilled))
    returned = draw(st.integers(0, fulfilled))
    return LineQty(quantity, fulfilled, cancelled, returned)


@given(
    status=st.sampled_from(Status),
    shipping=st.sampled_from(["carrier", "pickup", "digital", "local"]),
    lines=st.lists(line_qty(), min_size=1, max_size=5),
)
def test_fulfillment_status_properties(status: Status, shipping: str, lines: list[LineQty]) -> None:
    result = derive_fulfillment_status(status, shipping, lines)
    live = sum(x.quantity - x.cancelled for x in lines)
    fulfilled = sum(x.fulfilled for x in lines)
    returned = sum(x.returned for x in lines)
    if live == 0:
        assert result == F.CANCELED
    elif result == F.UNFULFILLED:
        assert fulfilled == 0 and status != S.CANCELLED
    elif result in (F.RETURNED, F.PARTIALLY_RETURNED):
        assert returned > 0
        assert (result == F.RETURNED) == (returned >= fulfilled)
    elif result in (F.DELIVERED, F.PICKED_UP):
        assert status in (S.DELIVERED, S.CLOSED) and fulfilled >= live
        assert (result == F.PICKED_UP) == (shipping == "pickup")
    elif result == F.PARTIALLY_FULFILLED:
        assert 0 < fulfilled < live
    elif result == F.FULFILLED:
        assert fulfilled >= live
    else:
        assert result == F.CANCELED and status == S.CANCELLED and fulfilled == 0
    # the line invariants the derivation relies on are never broken by the generator
    for x in lines:
        assert x.fulfilled + x.cancelled <= x.quantity and x.returned <= x.fulfilled
