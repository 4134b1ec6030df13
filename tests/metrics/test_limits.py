"""R-SLA-5: a seller's own limits — set on the metrics page by owners and administrators, checked."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from sellerdesk.accounts.models import Seller
from sellerdesk.core.errors import InvalidInput
from sellerdesk.metrics.models import MetricLimit
from sellerdesk.metrics.services import metric_limit_set
from tests.conftest import staff

pytestmark = pytest.mark.django_db


def post(seller: Seller, role: str, **data: str):  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(staff(seller, role))
    return client.post("/metrics/limits/", {"window": "7", **data})


def test_an_administrator_sets_and_resets_a_limit(seller: Seller, other_seller: Seller) -> None:
    r = post(seller, "administrator", metric="late_shipment_rate", limit="5", warning="4.5")
    assert r.status_code == 302 and r["Location"] == "/metrics/?window=7"
    row = MetricLimit.objects.get(seller=seller)
    assert (row.metric, row.limit, row.warning) == ("late_shipment_rate", Decimal("5"), Decimal("4.5"))
    assert not MetricLimit.objects.filter(seller=other_seller).exists()
    client = Client()
    client.force_login(staff(seller, "viewer"))
    html = client.get("/metrics/").content.decode()
    assert "at most 5.00 % · warning from 4.50 % (your own)" in html
    assert "Change the limit" not in html  # a viewer gets no form
    r = post(seller, "owner", metric="late_shipment_rate", limit="", warning="", reset="1")
    assert r.status_code == 302
    assert not MetricLimit.objects.exists()


def test_a_manager_may_not(seller: Seller) -> None:
    r = post(seller, "manager", metric="late_shipment_rate", limit="5", warning="4")
    assert r.status_code == 403
    assert not MetricLimit.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"metric": "late_shipment_rate", "limit": "5", "warning": "6"}, "must lie below the limit"),
        ({"metric": "valid_tracking_rate", "limit": "95", "warning": "94"}, "must lie above the limit"),
        ({"metric": "late_shipment_rate", "limit": "150", "warning": "4"}, "between 0 and 100"),
        ({"metric": "late_shipment_rate", "limit": "5", "warning": ""}, "both the limit and the warning"),
        ({"metric": "speed", "limit": "5", "warning": "4"}, "There is no metric"),
        ({"metric": "late_shipment_rate", "limit": "abc", "warning": "4"}, "Enter a number"),
    ],
)
def test_bad_limits_are_refused_with_a_reason(seller: Seller, data: dict[str, str], message: str) -> None:
    r = post(seller, "owner", **data)
    assert r.status_code == 422
    assert message in r.content.decode()
    assert not MetricLimit.objects.exists()


def test_the_service_checks_the_same(seller: Seller) -> None:
    with pytest.raises(InvalidInput) as e:
        metric_limit_set(seller_id=seller.pk, metric="confirm_time", limit=Decimal(10), warning=Decimal(12))
    assert e.value.code == "warning_after_limit"
    row = metric_limit_set(seller_id=seller.pk, metric="confirm_time", limit=Decimal(12), warning=Decimal(10))
    assert row is not None and row.limit == Decimal(12)
