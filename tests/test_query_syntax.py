"""The search syntax of the orders list: tokens to filter parameters, words stay free text."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sellerdesk.orders.query_syntax import SyntaxProblem, parse
from sellerdesk.orders.selectors import parse_filter


def test_the_example_of_the_issue():
    p = parse("status:confirmed payment:unpaid sku:MUG-01 total:>50 manager:anna")
    assert p.params == {
        "status": "confirmed",
        "payment_status": "unpaid",
        "sku": "MUG-01",
        "total_min": "50.0001",
        "manager": "anna",
    }
    assert p.text == ""


def test_plain_words_stay_free_text():
    p = parse("anna petrova status:pending")
    assert p.text == "anna petrova" and p.params == {"status": "pending"}
    assert parse("+7 (912) 345-67-89").text == "+7 (912) 345-67-89"
    assert parse('"anna k" 1042').text == "anna k 1042"


@pytest.mark.parametrize(
    "query,expected",
    [
        ("total:10..20", {"total_min": "10", "total_max": "20"}),
        ("total:>=10", {"total_min": "10"}),
        ("total:<20", {"total_max": "19.9999"}),
        ("total:<=20", {"total_max": "20"}),
        ("total:15", {"total_min": "15", "total_max": "15"}),
        ("total:..20", {"total_max": "20"}),
        ("total:12,5", {"total_min": "12.5", "total_max": "12.5"}),
        ("created:>2026-01-01", {"created_after": "2026-01-02"}),
        ("created:>=2026-01-01", {"created_after": "2026-01-01"}),
        ("created:<2026-01-10", {"created_before": "2026-01-09"}),
        ("created:2026-01-01..2026-01-31", {"created_after": "2026-01-01", "created_before": "2026-01-31"}),
        ("created:2026-03-05", {"created_after": "2026-03-05", "created_before": "2026-03-05"}),
        ("test:yes overdue:yes", {"is_test": "true", "overdue": "true"}),
        ("test:no", {"is_test": "false"}),
        ("status:pending,confirmed status:processing", {"status": "pending,confirmed,processing"}),
        ("STATUS:Pending", {"status": "pending"}),
        ('manager:"anna k"', {"manager": "anna k"}),
        (
            "shipping:pickup method:cash_on_delivery",
            {"shipping_method": "pickup", "payment_method": "cash_on_delivery"},
        ),
        ("fulfillment:unfulfilled", {"fulfillment_status": "unfulfilled"}),
    ],
)
def test_tokens(query, expected):
    assert parse(query).params == expected


@pytest.mark.parametrize(
    "query,key",
    [
        ("colour:red", "colour"),
        ("status:", "status"),
        ("total:abc", "total"),
        ("total:..", "total"),
        ("created:yesterday", "created"),
        ("test:maybe", "test"),
    ],
)
def test_bad_tokens_say_what_is_wrong(query, key):
    with pytest.raises(SyntaxProblem) as info:
        parse(query)
    assert info.value.key == key
    assert key in info.value.message


def test_unknown_key_lists_the_known_ones():
    with pytest.raises(SyntaxProblem, match="Known keys: .*status"):
        parse("colour:red")


def test_the_result_is_what_parse_filter_reads():
    p = parse(
        "status:confirmed payment:unpaid total:10..20 created:>=2026-01-01 test:no overdue:yes sku:MUG-01"
    )
    flt = parse_filter(p.params)
    assert flt.status == ["confirmed"] and flt.payment_status == ["unpaid"]
    assert str(flt.total_min) == "10" and str(flt.total_max) == "20"
    assert flt.created_after is not None and flt.created_after.date().isoformat() == "2026-01-01"
    assert flt.is_test is False and flt.overdue is True and flt.sku == "MUG-01"


@given(st.text(max_size=80))
def test_never_crashes_otherwise(text):
    with contextlib.suppress(SyntaxProblem):
        parse(text)
