"""Statements on hot paths use an index on both databases (docs/requirements.md#performance-targets), checked on the real plan."""

from __future__ import annotations

import pytest
from django.db import connection

from sellerdesk.customers.models import Customer

pytestmark = pytest.mark.django_db


def _plan(qs) -> str:  # type: ignore[no-untyped-def]
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cur:
        if connection.vendor == "sqlite":
            cur.execute("EXPLAIN QUERY PLAN " + sql, params)
            return "\n".join(str(row[-1]) for row in cur.fetchall())
        cur.execute("SET enable_seqscan = off")  # an empty test table would be scanned anyway
        try:
            cur.execute("EXPLAIN " + sql, params)
            return "\n".join(row[0] for row in cur.fetchall())
        finally:
            cur.execute("SET enable_seqscan = on")


def test_r_in_1_placement_finds_a_customer_by_email_through_the_unique_index(marketplace) -> None:  # type: ignore[no-untyped-def]
    """The lookup `order_place` makes for every order with an e-mail (was a full scan on SQLite)."""
    qs = Customer.objects.exclude(email="").filter(marketplace_id=marketplace.pk, email="anna@example.com")
    plan = _plan(qs)
    if connection.vendor == "sqlite":
        assert "customer_unique_email" in plan, plan  # the partial index, not SCAN customers_customer
    else:  # PostgreSQL picks among its indexes by cost; on an empty table any is as good
        assert "Seq Scan" not in plan and "Index" in plan, plan
