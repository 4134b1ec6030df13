"""The order list through GET /api/v1/orders: order, keyset pages, search and filters
(R-LIST-1, R-LIST-2, R-LIST-3, R-LIST-4)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from sellerdesk.orders import services
from tests.conftest import actor, place, staff

from .conftest import assert_problem, placed

T0 = dt.datetime(2025, 3, 10, 12, 0, tzinfo=dt.UTC)


def _numbers(resp) -> list[str]:  # type: ignore[no-untyped-def]
    assert resp.status_code == 200, resp.content
    return [o["number"] for o in resp.json()["items"]]


def _walk(api, limit: int, **params) -> list[dict]:  # type: ignore[no-untyped-def]
    """Every page of a listing, following next_cursor to the end."""
    out: list[dict] = []
    cursor = ""
    for _ in range(1000):
        resp = api.get("/orders", limit=limit, cursor=cursor, **params)
        assert resp.status_code == 200, resp.content
        page = resp.json()
        assert len(page["items"]) <= limit
        out.extend(page["items"])
        cursor = page["next_cursor"]
        if cursor is None:
            return out
        assert page["items"], "a cursor after an empty page"
    raise AssertionError("pagination never ended")


def test_r_list_1_newest_first_by_default(api, seller):
    old = place(seller, created_at=T0)
    mid = place(seller, created_at=T0 + dt.timedelta(hours=1))
    new = placed(api)["number"]
    assert _numbers(api.get("/orders")) == [new, str(mid.number), str(old.number)]
    assert _numbers(api.get("/orders", sort="created_at")) == [str(old.number), str(mid.number), new]


@pytest.fixture
def many(seller):  # type: ignore[no-untyped-def]
    """23 orders: three totals that tie, several with one created_at, mixed payment states."""
    orders = []
    for i in range(23):
        qty = 1 + i % 3  # totals tie in groups
        same_time = T0 + dt.timedelta(minutes=i // 4)  # created_at ties in groups of four
        orders.append(
            place(seller, lines=[services.LineIn(sku="MUG-01", quantity=qty)], created_at=same_time)
        )
    for o in orders[::5]:
        services.order_mark_paid(seller_id=seller.pk, number=o.number, actor=actor(seller))
    return orders


@pytest.mark.parametrize(
    "sort",
    [
        "-created_at",
        "created_at",
        "total",
        "-total",
        "payment_status",
        "-payment_status",
        "number",
        "-number",
        "fulfillment_status",
    ],
)
def test_r_list_4_keyset_pages_walk_every_order_once(api, many, sort):
    full = api.get("/orders", sort=sort, limit=200).json()
    assert full["next_cursor"] is None
    expected = [o["number"] for o in full["items"]]
    assert sorted(expected) == sorted(str(o.number) for o in many)
    for limit in (1, 6):
        walked = [o["number"] for o in _walk(api, limit, sort=sort)]
        assert walked == expected, (sort, limit)
        assert len(set(walked)) == len(walked) == len(many)
    key = sort.lstrip("-")
    values = [o[key] if key != "total" else Decimal(o[key]) for o in full["items"]]
    if key == "number":
        values = [int(v) for v in values]
    if key == "created_at":
        values = [dt.datetime.fromisoformat(v.replace("Z", "+00:00")) for v in values]
    assert values == sorted(values, reverse=sort.startswith("-"))


def test_r_list_1_pagination_with_filter_and_search(api, many):
    expected = _numbers(api.get("/orders", q="petrova", total_min="20", limit=200))
    assert expected
    walked = [o["number"] for o in _walk(api, 3, q="petrova", total_min="20")]
    assert walked == expected


def test_r_list_1_limit_is_clamped(api, many):
    assert len(api.get("/orders", limit=0).json()["items"]) == 1
    assert len(api.get("/orders", limit=-5).json()["items"]) == 1
    assert len(api.get("/orders", limit=10_000).json()["items"]) == len(many)


# --- search (R-LIST-2) ------------------------------------------------------------------


@pytest.fixture
def people(seller):  # type: ignore[no-untyped-def]
    return {
        "anna": place(seller, name="Anna Petrova", email="anna@example.com", phone="+7 912 345-67-89"),
        "ivan": place(seller, name="Иван Сидоров", email="ivan.s@mail.ru", phone="+7 (495) 111-22-33"),
        "olga": place(seller, name="Ольга Ёлкина", email="olga@yandex.ru", phone="8 903 000 11 22"),
        "jan": place(seller, name="Jan Novák", email="jan@seznam.cz", phone=""),
    }


def _q(api, q: str) -> set[str]:  # type: ignore[no-untyped-def]
    return set(_numbers(api.get("/orders", q=q)))


def _n(*orders) -> set[str]:  # type: ignore[no-untyped-def]
    return {str(o.number) for o in orders}


@pytest.mark.parametrize(
    "q,who",
    [
        ("petrov", ["anna"]),
        ("PETROVA", ["anna"]),
        ("anna p", ["anna"]),
        ("сидор", ["ivan"]),
        ("СИДОРОВ", ["ivan"]),
        ("иван", ["ivan"]),
        ("ИВАН С", ["ivan"]),
        ("ёлк", ["olga"]),
        ("ЁЛК", ["olga"]),
        ("ив", ["ivan"]),
        ("ИВ", ["ivan"]),
        ("Ов", ["ivan"]),
        ("novák", ["jan"]),
        ("@example.com", ["anna"]),
        ("ivan.s@", ["ivan"]),
        ("YANDEX", ["olga"]),
        (".ru", ["ivan", "olga"]),
        ("nobody-like-this", []),
    ],
)
def test_r_list_2_search_name_and_email_fragments(api, people, q, who):
    assert _q(api, q) == _n(*(people[w] for w in who))


@pytest.mark.parametrize(
    "q", ["8 (912) 345 67 89", "9123456789", "+79123456789", "912-345-67", "345 67 89", "+7 912 345-67-89"]
)
def test_r_list_2_search_phone_in_any_formatting(api, people, q):
    assert _q(api, q) == _n(people["anna"])


def test_r_list_2_search_phone_stored_with_trunk_prefix(api, people):
    assert _q(api, "+7 903 000-11-22") == _n(people["olga"])
    assert _q(api, "(495) 111 22 33") == _n(people["ivan"])


def test_r_list_2_search_order_number(api, people):
    n = people["ivan"].number
    assert _q(api, str(n)) == _n(people["ivan"])
    assert _q(api, f"#{n}") == _n(people["ivan"])


def test_r_list_2_total_range(api, seller):
    small = place(seller, lines=[services.LineIn(sku="MUG-01", quantity=1)])  # 16.50
    mid = place(seller, lines=[services.LineIn(sku="BOWL-01", quantity=1)])  # 28.90
    big = place(seller, lines=[services.LineIn(sku="BOWL-01", quantity=4)])  # 103.60
    assert set(_numbers(api.get("/orders", total_min="16.50", total_max="28.90"))) == _n(small, mid)
    assert set(_numbers(api.get("/orders", total_min="28.91"))) == _n(big)
    assert set(_numbers(api.get("/orders", total_max="16.49"))) == set()


# --- filters (R-LIST-3) -----------------------------------------------------------------


def test_r_list_3_status_comma_list_and_payment_and_fulfillment(api, seller):
    a = place(seller)
    b = place(seller)
    c = place(seller)
    d = place(seller, shipping_method="digital", lines=[services.LineIn(sku="EBOOK-01", quantity=1)])
    who = actor(seller)
    services.order_confirm(seller_id=seller.pk, number=b.number, actor=who)
    services.order_cancel(seller_id=seller.pk, number=c.number, actor=who, reason="customer_request")
    services.order_mark_paid(seller_id=seller.pk, number=d.number, actor=who)
    services.order_confirm(seller_id=seller.pk, number=d.number, actor=who)
    services.order_deliver(seller_id=seller.pk, number=d.number, actor=who)
    assert set(_numbers(api.get("/orders", status="pending"))) == _n(a)
    assert set(_numbers(api.get("/orders", status="pending,confirmed"))) == _n(a, b)
    assert set(_numbers(api.get("/orders", status="cancelled, delivered"))) == _n(c, d)
    assert set(_numbers(api.get("/orders", payment_status="paid"))) == _n(d)
    assert set(_numbers(api.get("/orders", payment_status="unpaid", status="pending"))) == _n(a)
    assert set(_numbers(api.get("/orders", fulfillment_status="canceled"))) == _n(c)
    assert set(_numbers(api.get("/orders", fulfillment_status="delivered,canceled"))) == _n(c, d)
    assert set(_numbers(api.get("/orders", fulfillment_status="unfulfilled"))) == _n(a, b)


def test_r_list_3_created_date_range(api, seller):
    d1 = place(seller, created_at=T0)  # 2025-03-10
    d2 = place(seller, created_at=T0 + dt.timedelta(days=1))
    d3 = place(seller, created_at=T0 + dt.timedelta(days=2))
    assert set(_numbers(api.get("/orders", created_after="2025-03-11"))) == _n(d2, d3)
    assert set(_numbers(api.get("/orders", created_before="2025-03-11"))) == _n(d1, d2)  # inclusive day
    assert set(_numbers(api.get("/orders", created_after="2025-03-11", created_before="2025-03-11"))) == _n(
        d2
    )
    after = (T0 + dt.timedelta(days=1, hours=1)).isoformat()
    assert set(_numbers(api.get("/orders", created_after=after))) == _n(d3)


def test_r_list_3_manager_filter(api, seller):
    a = place(seller)
    b = place(seller)
    m = staff(seller, "manager")
    services.order_assign_manager(seller_id=seller.pk, number=a.number, actor=actor(seller), manager_id=m.pk)
    assert set(_numbers(api.get("/orders", manager=str(m.pk)))) == _n(a)
    assert set(_numbers(api.get("/orders", manager=m.email))) == _n(a)
    assert set(_numbers(api.get("/orders", manager="none"))) == _n(b)


def test_r_list_3_is_test_and_sku(api, seller):
    t = placed(api, is_test=True)["number"]
    mug = place(seller)
    bowl = place(seller, lines=[services.LineIn(sku="BOWL-01", quantity=1)])
    both = place(
        seller,
        lines=[services.LineIn(sku="BOWL-01", quantity=1), services.LineIn(sku="MUG-01", quantity=1)],
    )
    assert _numbers(api.get("/orders", is_test="true")) == [t]
    assert set(_numbers(api.get("/orders", is_test="false"))) == _n(mug, bowl, both)
    assert set(_numbers(api.get("/orders", sku="BOWL-01"))) == _n(bowl, both)
    assert set(_numbers(api.get("/orders", sku="MUG-01", is_test="false"))) == _n(mug, both)
    assert set(_numbers(api.get("/orders", sku="NOPE"))) == set()


def test_r_list_3_overdue_and_methods(api, seller):
    late = place(seller, created_at=timezone.now() - dt.timedelta(days=3))
    fresh = place(seller, payment_method="cash_on_delivery", shipping_method="pickup")
    assert set(_numbers(api.get("/orders", overdue="true"))) == _n(late)
    assert set(_numbers(api.get("/orders", payment_method="cash_on_delivery"))) == _n(fresh)
    assert set(_numbers(api.get("/orders", shipping_method="pickup"))) == _n(fresh)


def test_r_list_2_list_items_have_the_summary_fields(api):
    placed(api)
    [item] = api.get("/orders").json()["items"]
    assert {
        "number",
        "status",
        "payment_status",
        "fulfillment_status",
        "total",
        "currency",
        "customer_name",
        "customer_email",
        "customer_phone",
        "manager",
        "is_test",
        "created_at",
    } <= set(item)
    assert item["total"] == "29.00" and item["customer_name"] == "Anna Petrova"


def test_r_list_3_unknown_status_names_the_allowed_values(api):
    problem = assert_problem(api.get("/orders", status="shipped,lost"), 422, "invalid_status")
    assert "lost" in problem["detail"] and "pending" in problem["detail"]


def test_r_list_3_sku_filter_pages_newest_first_with_each_order_once(api, seller, other_seller):
    """On PostgreSQL the SKU filter is read from the lines' index; on both databases it lists each
    matching order once (two lines of the SKU in one order included), in order, across cursor pages,
    combined with other filters, and never another seller's order with the same SKU."""
    mug = services.LineIn(sku="MUG-01", quantity=1)
    bowl = services.LineIn(sku="BOWL-01", quantity=1)
    same_time = T0 + dt.timedelta(hours=5)
    expected = []
    for i in range(9):
        lines = [mug, mug] if i % 3 == 0 else [bowl, mug] if i % 3 == 1 else [mug]
        when = same_time if i in (4, 5, 6) else T0 + dt.timedelta(hours=i)  # ties broken by id
        expected.append(place(seller, lines=lines, created_at=when))
        place(seller, lines=[bowl], created_at=when)  # not matching
        place(other_seller, lines=[mug], created_at=when)  # another seller's MUG-01
    services.order_confirm(seller_id=seller.pk, number=expected[2].number, actor=actor(seller))
    newest = sorted(expected, key=lambda o: (o.created_at, o.pk), reverse=True)
    want = [str(o.number) for o in newest]
    for limit in (1, 2, 4, 50):
        assert [o["number"] for o in _walk(api, limit, sku="MUG-01")] == want, limit
    oldest = [o["number"] for o in _walk(api, 2, sku="MUG-01", sort="created_at")]
    assert oldest == want[::-1]
    assert [o["number"] for o in _walk(api, 2, sku="MUG-01", status="pending")] == [
        n for n in want if n != str(expected[2].number)
    ]
    by_total = sorted(expected, key=lambda o: (o.total, o.pk), reverse=True)  # the EXISTS path
    assert [o["number"] for o in _walk(api, 3, sku="MUG-01", sort="-total")] == [
        str(o.number) for o in by_total
    ]


@pytest.mark.parametrize(
    "q",
    [
        "8(912)",  # the start, with the national prefix
        "8 (912) 345",
        "8(912)345",
        "+7 912",
        "+7(912)34",
        "912 345",  # the middle, as remembered
        "345-67",
        "456",  # three digits are enough
        "67-89",
    ],
)
def test_r_list_2_search_part_of_a_phone_number(api, people, q):
    assert _q(api, q) == _n(people["anna"])


def test_r_list_2_phone_fragment_with_the_national_prefix_finds_those_numbers(api, people):
    assert _q(api, "8 (903)") == _n(people["olga"])
    assert _q(api, "8(495) 111") == _n(people["ivan"])
    assert _q(api, "000-11") == _n(people["olga"])
    assert _q(api, "8(999)") == set()


def test_readme_first_search_example_finds_the_order(api, people):
    """The README's first example: GET /api/v1/orders?q=8(912)&limit=5."""
    resp = api.get("/orders", q="8(912)", limit=5)
    assert resp.status_code == 200
    assert {item["number"] for item in resp.json()["items"]} == _n(people["anna"])
