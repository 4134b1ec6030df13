"""The read replica (issue 11, scale-out): list, search and export reads go to DATABASE_REPLICA_URL.

Run with DATABASE_REPLICA_URL set to the PostgreSQL URL (scripts/test.sh has a leg for it): the
"replica" alias is then a second connection to the same server, mirroring the test database.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import connections, transaction
from django.test.utils import CaptureQueriesContext

from sellerdesk.orders import exports, selectors
from tests.conftest import place

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif("replica" not in settings.DATABASES, reason="needs DATABASE_REPLICA_URL"),
    pytest.mark.django_db(transaction=True, databases=["default", "replica"]),
]


def _orders_sql(ctx: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in ctx.captured_queries if '"orders_order"' in q["sql"]]


def test_list_search_count_and_export_read_from_the_replica_and_writes_stay_on_default(seller) -> None:
    with (
        CaptureQueriesContext(connections["replica"]) as replica,
        CaptureQueriesContext(connections["default"]) as default,
    ):
        placed = place(seller)
        flt = selectors.parse_filter({"q": placed.customer_name})
        rows, _ = selectors.order_list(seller_id=seller.pk, flt=flt)
        count, _ = selectors.order_count(seller_id=seller.pk, flt=flt)
        exported = list(exports.rows(exports.export_queryset(seller_id=seller.pk, flt=flt)))
    assert [o.number for o in rows] == [placed.number] and count == 1
    assert [r[0] for r in exported] == [placed.number]
    on_replica = _orders_sql(replica)
    assert len(on_replica) >= 3, on_replica  # the page, the count, the export stream
    assert not any(
        sql.startswith(("INSERT", "UPDATE", "DELETE")) for sql in [q["sql"] for q in replica.captured_queries]
    )
    assert any(sql.startswith('INSERT INTO "orders_order"') for sql in _orders_sql(default))
    # the page's SELECT went through the replica, not the primary
    assert not any("LIMIT 51" in sql for sql in _orders_sql(default))
    assert any("LIMIT 51" in sql for sql in on_replica)


def test_inside_a_transaction_the_list_reads_the_primary(seller) -> None:
    with CaptureQueriesContext(connections["replica"]) as replica, transaction.atomic():
        placed = place(seller)
        rows, _ = selectors.order_list(seller_id=seller.pk, flt=selectors.parse_filter({}))
        assert placed.number in [o.number for o in rows]  # its own uncommitted write is visible
    assert _orders_sql(replica) == []


def test_other_reads_stay_on_default(seller) -> None:
    placed = place(seller)
    with CaptureQueriesContext(connections["replica"]) as replica:
        assert selectors.order_get(seller_id=seller.pk, number=placed.number).pk == placed.pk
    assert replica.captured_queries == []
