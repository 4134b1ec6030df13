"""Staff notifications (R-NOTE-1, R-PROC-2): who hears of what, by which channels, in which language."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.utils import timezone

from sellerdesk.accounts.models import User
from sellerdesk.notifications import deliveries, handlers, staff
from sellerdesk.notifications.models import Alert, Delivery, StaffSettings
from sellerdesk.orders import services
from sellerdesk.orders.models import OrderEvent
from sellerdesk.outbox import publish
from sellerdesk.outbox.models import OutboxEvent
from sellerdesk.outbox.worker import OutboxWorker
from tests.conftest import actor, place
from tests.conftest import staff as staff_of

# The worker closes its connection between jobs: these tests commit for real (on PostgreSQL a
# test transaction would not survive it).
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _staff_handlers_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests count staff messages: the customer's own (R-NOTE-2, tested in tests/custnotify)
    are left out of the handler table for them."""
    from sellerdesk.custnotify.handlers import notify_customer
    from sellerdesk.outbox import handlers as table

    staff_only = {t: tuple(h for h in hs if h is not notify_customer) for t, hs in table.HANDLERS.items()}
    monkeypatch.setattr(table, "HANDLERS", staff_only)


def run_worker() -> None:
    OutboxWorker(batch=True, interval=0).run()


def recipients(smtp_server) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    return sorted((m["To"], m["Subject"]) for m in smtp_server.messages)


def test_a_new_order_emails_the_owner_and_the_administrators_once(seller, smtp_server) -> None:
    order = place(seller)
    run_worker()  # runs the handler, then the deliveries it queued
    run_worker()  # nothing left to do: the handler ran once
    assert deliveries.send_due() == 0
    assert Delivery.objects.filter(status="sent").count() == 4  # e-mail + in-app, owner and administrator
    subject = f"New order #{order.number}"
    assert recipients(smtp_server) == [
        ("administrator@north.test", subject),
        ("owner@north.test", subject),
    ]
    body = smtp_server.messages[0].get_content()
    assert f"/orders/{order.number}/" in body and "29.00 EUR" in body
    # the in-app alerts are there too, for the same two people
    assert sorted(Alert.objects.values_list("user__email", flat=True)) == [
        "administrator@north.test",
        "owner@north.test",
    ]
    assert set(Delivery.objects.values_list("kind", flat=True)) == {"new_order"}
    assert all(d.order_id == order.pk for d in Delivery.objects.all())


def test_a_staff_member_who_turned_an_event_off_does_not_hear_of_it(seller, smtp_server) -> None:
    owner = staff_of(seller, "owner")
    StaffSettings.objects.create(user=owner, channels={"new_order": ["inapp"]})
    admin = staff_of(seller, "administrator")
    StaffSettings.objects.create(user=admin, channels={"new_order": []})
    place(seller)
    run_worker()
    deliveries.send_due()
    assert smtp_server.messages == []
    assert list(Delivery.objects.values_list("user__email", "channel")) == [("owner@north.test", "inapp")]


def test_the_assigned_manager_gets_an_email_in_their_language(seller, smtp_server) -> None:
    manager = staff_of(seller, "manager")
    StaffSettings.objects.create(user=manager, language="ru")
    order = place(seller)
    services.order_assign_manager(
        seller_id=seller.pk, number=order.number, actor=actor(seller, "owner"), manager_id=manager.pk
    )
    run_worker()
    deliveries.send_due()
    (msg,) = [m for m in smtp_server.messages if m["To"] == "manager@north.test"]
    assert msg["Subject"] == f"Заказ №{order.number} назначен вам"
    assert msg["Content-Language"] == "ru"
    # nobody is told about their own assignment
    services.order_assign_manager(
        seller_id=seller.pk, number=order.number, actor=actor(seller, "owner"), manager_id=None
    )
    owner = staff_of(seller, "owner")
    services.order_assign_manager(
        seller_id=seller.pk, number=order.number, actor=actor(seller, "owner"), manager_id=owner.pk
    )
    run_worker()
    assert not Delivery.objects.filter(kind="assigned", user=owner).exists()


def test_the_manager_already_assigned_hears_of_the_new_order_too(seller, smtp_server) -> None:
    manager = staff_of(seller, "manager")
    order = place(seller, role="administrator")  # nobody is told of their own action
    order.manager = manager  # assigned before the handler runs
    order.save(update_fields=["manager"])
    run_worker()
    assert Delivery.objects.filter(kind="new_order", user=manager, channel="email").exists()
    assert not Delivery.objects.filter(kind="new_order", user__role="administrator").exists()


def _event(order, type_: str, payload: dict) -> OutboxEvent:  # type: ignore[no-untyped-def, type-arg]
    """An event of `type_` recorded for `order` the way the recorder does (timeline row + outbox)."""
    with transaction.atomic():
        row = OrderEvent.objects.create(
            order=order, type=type_, actor_kind="system", data=payload, created_at=timezone.now()
        )
        publish([row])
    return OutboxEvent.objects.get(event_id=row.pk)


def test_a_deadline_warning_reaches_its_recipients_of_this_seller_only(
    seller, other_seller, smtp_server
) -> None:
    order = place(seller)
    manager = staff_of(seller, "manager")
    foreign = staff_of(other_seller, "owner")
    _event(
        order,
        "deadline_warning",
        {"kind": "ship", "due": "2026-03-04T20:59:59+00:00", "recipient_ids": [manager.pk, foreign.pk]},
    )
    run_worker()
    deliveries.send_due()
    assert [m["To"] for m in smtp_server.messages if "ship by" in m["Subject"]] == ["manager@north.test"]
    assert not Delivery.objects.filter(user=foreign).exists()


def test_delivery_failed_is_told_only_for_that_status(seller, smtp_server) -> None:
    order = place(seller)
    _event(
        order,
        "shipment_status_changed",
        {"shipment": 1, "status": {"from": "shipped", "to": "in_transit"}, "source": "carrier"},
    )
    run_worker()
    assert not Delivery.objects.filter(kind="delivery_failed").exists()
    _event(
        order,
        "shipment_status_changed",
        {"shipment": 1, "status": {"from": "in_transit", "to": "delivery_failed"}, "source": "carrier"},
    )
    run_worker()
    emails = set(
        Delivery.objects.filter(kind="delivery_failed", channel="email").values_list("to", flat=True)
    )
    assert emails == {"owner@north.test", "administrator@north.test"}
    # the manager is told in-app by default
    assert not Delivery.objects.filter(kind="delivery_failed", user=staff_of(seller, "manager")).exists()


def test_a_customer_message_tells_the_assigned_manager_without_copying_the_text(seller, smtp_server) -> None:
    order = place(seller)
    manager = staff_of(seller, "manager")
    order.manager = manager
    order.save(update_fields=["manager"])
    _event(order, "customer_message_received", {"message_id": 5, "text": "my secret question"})
    run_worker()
    deliveries.send_due()
    (msg,) = [m for m in smtp_server.messages if "message" in m["Subject"]]
    assert msg["To"] == "manager@north.test"
    assert "my secret question" not in msg.get_content()


def test_amount_change_and_payment_failed_reach_the_admins(seller, smtp_server) -> None:
    order = place(seller)
    _event(
        order,
        "amount_change_decided",
        {
            "request_id": 1,
            "decision": "approved",
            "total": {"from": "29.00", "to": "20.00"},
            "currency": "EUR",
        },
    )
    _event(order, "payment_failed", {"amount": "29.00", "currency": "EUR", "provider": "stripe"})
    run_worker()
    subjects = {m["Subject"] for m in smtp_server.messages if m["To"] == "owner@north.test"}
    assert f"Order #{order.number}: amount change decided" in subjects
    assert f"Order #{order.number}: payment failed" in subjects


def test_a_handler_run_twice_for_one_event_queues_nothing_more(seller) -> None:
    order = place(seller)
    run_worker()
    before = Delivery.objects.count()
    event = OutboxEvent.objects.get(order_id=order.pk, type="order_placed")
    handlers.new_order(event, "again")
    assert Delivery.objects.count() == before > 0


def test_sms_needs_a_phone_and_push_a_subscription(seller) -> None:
    owner = staff_of(seller, "owner")
    s = StaffSettings.objects.create(user=owner, channels={"new_order": ["email", "sms", "push"]})
    assert staff.channels_for(owner, "new_order") == ("email",)
    s.phone = "+4915112345678"
    s.save()
    assert staff.channels_for(owner, "new_order") == ("email", "sms")


def test_defaults_by_role() -> None:
    assert staff.default_channels("new_order", "owner") == ("email", "inapp")
    assert staff.default_channels("new_order", "manager") == ()
    assert staff.default_channels("assigned", "manager") == ("email", "inapp")
    assert staff.default_channels("customer_message", "viewer") == ("email", "inapp")


def test_an_inactive_staff_member_hears_nothing(seller) -> None:
    User.objects.filter(seller=seller, role="administrator").update(is_active=False)
    place(seller)
    run_worker()
    assert not Delivery.objects.filter(user__role="administrator").exists()


def test_a_missed_deadline_tells_the_manager_once_whether_cancelled_or_flagged(seller, smtp_server) -> None:
    """R-SLA-1, R-SLA-2, R-SLA-4: when confirm-by passes the sweep cancels the order and its manager
    hears of it (once, however often the sweep runs); where the policy only flags, they hear that
    it is overdue; a cancellation by staff tells nobody of a missed deadline."""
    from sellerdesk.orders.sweeps import sweep

    manager = staff_of(seller, "manager")
    cancelled = place(seller)
    services.order_assign_manager(
        seller_id=seller.pk, number=cancelled.number, actor=actor(seller), manager_id=manager.pk
    )
    by_hand = place(seller)
    services.order_cancel(
        seller_id=seller.pk, number=by_hand.number, actor=actor(seller), reason="out_of_stock", comment=""
    )
    at = cancelled.confirm_by + timezone.timedelta(seconds=1)
    sweep(at)
    sweep(at)
    run_worker()
    deliveries.send_due()
    missed = [(m["To"], m["Subject"]) for m in smtp_server.messages if "passed" in m["Subject"]]
    assert missed == [("manager@north.test", f"Order #{cancelled.number} cancelled: its confirm-by passed")]

    type(seller).objects.filter(pk=seller.pk).update(confirm_miss_action="flag")
    flagged = place(seller)
    sweep(flagged.confirm_by + timezone.timedelta(seconds=1))
    run_worker()
    deliveries.send_due()
    overdue = sorted(m["To"] for m in smtp_server.messages if "is overdue" in m["Subject"])
    assert overdue == ["administrator@north.test", "owner@north.test"]  # no manager: the admins
