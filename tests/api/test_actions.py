"""Lifecycle actions, payments, manager, customer and notes through the API
(R-PROC-2..5, R-PAY-1, R-PAY-3, R-PAY-7, R-FUL-9, R-AUD-1)."""

from __future__ import annotations

import pytest

from sellerdesk.customers.models import Customer
from tests.conftest import staff, table_counts

from .conftest import assert_problem, events, placed


def _digital(api, **kw):  # type: ignore[no-untyped-def]
    return placed(
        api,
        lines=[{"sku": "EBOOK-01", "quantity": 1}],
        shipping_method="digital",
        shipping_price="0",
        shipping_address=None,
        **kw,
    )


def _act(api, number: str, action: str, body=None, status: int = 200):  # type: ignore[no-untyped-def]
    """POST an action; assert it worked and wrote exactly one event."""
    before = events(api, number)
    resp = api.post(f"/orders/{number}/{action}", body)
    assert resp.status_code == status, resp.content
    after = events(api, number)
    assert len(after) == len(before) + 1, [e["type"] for e in after]
    assert [e["id"] for e in after[:-1]] == [e["id"] for e in before]  # append-only
    return resp.json(), after[-1]


def _refused(api, number: str, action: str, body=None, status: int = 409, code: str | None = None):  # type: ignore[no-untyped-def]
    before_events = events(api, number)
    before_order = api.get(f"/orders/{number}").json()
    before = table_counts()
    problem = assert_problem(api.post(f"/orders/{number}/{action}", body), status, code)
    assert events(api, number) == before_events
    assert table_counts() == before
    after_order = api.get(f"/orders/{number}").json()
    assert {k: v for k, v in after_order.items() if k != "updated_at"} == {
        k: v for k, v in before_order.items() if k != "updated_at"
    }
    return problem


def test_r_aud_1_confirm_process_cancel_each_write_one_event_with_actor(api):
    number = placed(api)["number"]
    order, ev = _act(api, number, "confirm")
    assert order["status"] == "confirmed" and order["ship_by"] and order["confirmed_at"]
    assert ev["type"] == "order_confirmed"
    assert ev["actor"] == {"kind": "integration", "label": "API key test-manager"}
    assert ev["data"]["status"] == {"from": "pending", "to": "confirmed"}
    order, ev = _act(api, number, "process")
    assert order["status"] == "processing" and ev["type"] == "order_processing"
    order, ev = _act(api, number, "cancel", {"reason": "out_of_stock", "comment": " sold out "})
    assert order["status"] == "cancelled"
    assert order["cancel_reason"] == "out_of_stock" and order["cancel_comment"] == "sold out"
    assert order["fulfillment_status"] == "canceled"
    assert ev["type"] == "order_cancelled" and ev["data"]["reason"] == "out_of_stock"
    assert order["available_actions"] == []


@pytest.mark.parametrize(
    "reason",
    ["customer_request", "out_of_stock", "payment_failed", "fraud_suspected", "address_invalid"],
)
def test_r_proc_3_cancel_reasons_from_the_list(api, reason):
    number = placed(api)["number"]
    order, _ = _act(api, number, "cancel", {"reason": reason})
    assert order["cancel_reason"] == reason


def test_r_proc_3_cancel_other_needs_a_comment(api):
    number = placed(api)["number"]
    _refused(api, number, "cancel", {"reason": "other"}, 422, "comment_required")
    _refused(api, number, "cancel", {"reason": "because"}, 422, "validation_error")
    order, ev = _act(api, number, "cancel", {"reason": "other", "comment": "customer moved away"})
    assert order["cancel_comment"] == "customer moved away"
    assert ev["data"]["comment"] == "customer moved away"


@pytest.mark.parametrize(
    "path,action",
    [
        ([], "process"),
        ([], "deliver"),
        ([], "close"),
        (["confirm"], "confirm"),
        (["confirm"], "close"),
        (["confirm", "process"], "confirm"),
        (["confirm", "process"], "process"),
    ],
)
def test_r_aud_1_refused_transition_is_409_with_state_and_reason(api, path, action):
    number = placed(api)["number"]
    for step in path:
        assert api.post(f"/orders/{number}/{step}").status_code == 200
    status = api.get(f"/orders/{number}").json()["status"]
    problem = _refused(api, number, action, code="transition_refused")
    assert problem["current_status"] == status
    assert problem["action"] == action
    assert len(problem["detail"]) > 20


@pytest.mark.parametrize("action,body", [("confirm", None), ("cancel", {"reason": "customer_request"})])
def test_r_aud_1_final_orders_refuse_everything(api, action, body):
    number = placed(api)["number"]
    api.post(f"/orders/{number}/cancel", {"reason": "customer_request"})
    problem = _refused(api, number, action, body, code="transition_refused")
    assert problem["current_status"] == "cancelled"
    assert "cancelled" in problem["detail"]


def test_r_ful_9_deliver_carrier_order_is_refused(api):
    number = placed(api, payment_method="cash_on_delivery")["number"]
    api.post(f"/orders/{number}/confirm")
    problem = _refused(api, number, "deliver", code="transition_refused")
    assert "digital and pickup" in problem["detail"]


def test_r_pay_7_deliver_digital_only_when_paid(api):
    number = _digital(api)["number"]
    _act(api, number, "confirm")
    problem = _refused(api, number, "deliver", code="transition_refused")
    assert "paid" in problem["detail"]
    assert "deliver" not in api.get(f"/orders/{number}").json()["available_actions"]
    _act(api, number, "mark-paid")
    order, ev = _act(api, number, "deliver")
    assert order["status"] == "delivered" and order["fulfillment_status"] == "delivered"
    assert order["lines"][0]["quantity_fulfilled"] == 1
    assert ev["data"]["status"] == {"from": "confirmed", "to": "delivered"}
    order, ev = _act(api, number, "close")
    assert order["status"] == "closed" and ev["type"] == "order_closed"
    _refused(api, number, "cancel", {"reason": "customer_request"}, code="transition_refused")


def test_r_pay_7_pickup_paid_on_delivery_can_be_delivered_unpaid(api):
    number = placed(api, shipping_method="pickup", payment_method="pos_on_delivery")["number"]
    _act(api, number, "confirm")
    _act(api, number, "process")
    order, _ = _act(api, number, "deliver")
    assert order["status"] == "delivered"
    assert order["fulfillment_status"] == "picked_up"
    assert order["payment_status"] == "unpaid"


# --- mark-paid (R-PAY-1, R-PAY-3) ---------------------------------------------------------


def test_r_pay_3_mark_paid_full_when_amount_omitted(api):
    number = placed(api)["number"]
    order, ev = _act(api, number, "mark-paid")
    assert order["payment_status"] == "paid" and order["paid"] == "29.00"
    assert ev["type"] == "payment_recorded"
    assert ev["data"]["amount"] == "29.00"
    assert ev["data"]["payment_status"] == {"from": "unpaid", "to": "paid"}
    _refused(api, number, "mark-paid", {"amount": "1.00"}, code="already_paid")


def test_r_pay_3_mark_paid_with_empty_object_pays_the_balance(api):
    number = placed(api)["number"]
    order, _ = _act(api, number, "mark-paid", {})
    assert order["payment_status"] == "paid"


def test_r_pay_3_partial_then_rest(api):
    number = placed(api)["number"]
    order, _ = _act(api, number, "mark-paid", {"amount": "10.00", "reference": "cash desk 3"})
    assert order["payment_status"] == "partially_paid" and order["paid"] == "10.00"
    problem = _refused(api, number, "mark-paid", {"amount": "19.01"}, code="overpayment")
    assert problem["outstanding"] == "19.00"
    order, _ = _act(api, number, "mark-paid", {"amount": "19.00"})
    assert order["payment_status"] == "paid" and order["paid"] == "29.00"


def test_r_pay_3_overpayment_is_409(api):
    number = placed(api)["number"]
    _refused(api, number, "mark-paid", {"amount": "29.01"}, code="overpayment")


def test_r_pay_3_mark_paid_on_cancelled_is_409(api):
    number = placed(api)["number"]
    api.post(f"/orders/{number}/cancel", {"reason": "customer_request"})
    problem = _refused(api, number, "mark-paid", code="order_final")
    assert problem["current_status"] == "cancelled"


# --- manager, customer (R-PROC-2, R-PROC-5) ------------------------------------------------


def test_r_proc_2_assign_and_unassign_manager(api, seller):
    number = placed(api)["number"]
    manager = staff(seller, "manager")
    order, ev = _act(api, number, "manager", {"manager_id": manager.pk})
    assert order["manager"] == {"id": manager.pk, "name": manager.label, "email": manager.email}
    assert ev["type"] == "manager_assigned"
    assert ev["data"]["manager"] == {"from": None, "to": manager.label}
    listed = api.get("/orders", manager=str(manager.pk)).json()["items"]
    assert [o["number"] for o in listed] == [number]
    order, ev = _act(api, number, "manager", {"manager_id": None})
    assert order["manager"] is None
    assert ev["data"]["manager"] == {"from": manager.label, "to": None}


def test_r_proc_2_manager_of_another_seller_is_404_like_an_unknown_id(api, other_seller):
    number = placed(api)["number"]
    stranger = _refused(
        api, number, "manager", {"manager_id": staff(other_seller).pk}, 404, "manager_not_found"
    )
    unknown = _refused(api, number, "manager", {"manager_id": 987654}, 404, "manager_not_found")
    assert stranger == unknown


def test_r_proc_2_a_viewer_cannot_be_the_manager(api, seller):
    number = placed(api)["number"]
    problem = _refused(
        api, number, "manager", {"manager_id": staff(seller, "viewer").pk}, 422, "manager_cannot_act"
    )
    assert "cannot act" in problem["detail"]


def test_r_proc_5_change_customer(api, seller):
    number = placed(api)["number"]
    placed(api, customer={"name": "Boris Ivanov", "email": "boris@example.com"})
    other = Customer.objects.get(email="boris@example.com")
    before_id = api.get(f"/orders/{number}").json()["customer"]["id"]
    order, ev = _act(api, number, "customer", {"customer_id": other.pk})
    assert order["customer"]["id"] == other.pk
    assert order["customer"]["name"] == "Boris Ivanov"
    assert ev["type"] == "customer_changed"
    assert ev["data"]["customer"] == {"from": "Anna Petrova", "to": "Boris Ivanov"}
    # the event names the customers by id too: names are not unique (issue 8)
    assert ev["data"]["customer_id"] == {"from": before_id, "to": other.pk}
    assert ev["version"] == 1 and ev["description"] == "Customer changed from Anna Petrova to Boris Ivanov."
    found = api.get("/orders", q="boris").json()["items"]
    assert number in [o["number"] for o in found]


def test_r_sec_2_customer_who_never_ordered_here_is_404_and_not_shown(api, seller):
    """Same marketplace, but no order from this seller: the customer is unknown here."""
    hidden = Customer.objects.create(
        marketplace_id=seller.marketplace_id, name="Hidden Person", email="hidden@example.com", phone="+7 900"
    )
    number = placed(api)["number"]
    problem = _refused(api, number, "customer", {"customer_id": hidden.pk}, 404, "customer_not_found")
    assert "Hidden" not in str(problem) and "hidden@" not in str(problem)


def test_r_proc_5_customer_of_another_marketplace_is_404(api, seller):
    from sellerdesk.accounts.models import Marketplace

    elsewhere = Marketplace.objects.create(name="Elsewhere", slug="elsewhere")
    stranger = Customer.objects.create(marketplace=elsewhere, name="Stranger", email="s@example.com")
    number = placed(api)["number"]
    _refused(api, number, "customer", {"customer_id": stranger.pk}, 404, "customer_not_found")


# --- notes (R-PROC-4) ---------------------------------------------------------------------


def test_r_proc_4_notes_add_edit_delete_each_with_event(api):
    number = placed(api)["number"]
    resp = api.post(f"/orders/{number}/notes", {"text": "  call before delivery  "})
    assert resp.status_code == 201, resp.content
    note = resp.json()
    assert note["text"] == "call before delivery"
    assert note["author"] == "API key test-manager"
    assert events(api, number)[-1]["type"] == "note_added"
    assert api.get(f"/orders/{number}/notes").json() == [note]

    resp = api.patch(
        f"/orders/{number}/notes/{note['id']}",
        {"text": "call after 6pm", "remind_at": "2030-01-02T09:00:00Z"},
    )
    assert resp.status_code == 200, resp.content
    assert resp.json()["text"] == "call after 6pm"
    assert resp.json()["remind_at"].startswith("2030-01-02T09:00:00")
    assert resp.json()["reminder_done_at"] is None
    assert events(api, number)[-1]["type"] == "note_edited"

    before = table_counts()
    resp = api.delete(f"/orders/{number}/notes/{note['id']}")
    assert resp.status_code == 204
    assert api.get(f"/orders/{number}/notes").json() == []
    evs = events(api, number)
    assert [e["type"] for e in evs] == ["order_placed", "note_added", "note_edited", "note_deleted"]
    assert table_counts()["orders_ordernote"] == before["orders_ordernote"] - 1
    # the events name the note, never carry its text
    assert all("call" not in str(e["data"]) for e in evs)
    assert_problem(api.delete(f"/orders/{number}/notes/{note['id']}"), 404, "note_not_found")
    assert_problem(api.patch(f"/orders/{number}/notes/{note['id']}", {"text": "x"}), 404, "note_not_found")


def test_r_proc_4_note_of_another_order_is_404(api):
    a = placed(api)["number"]
    b = placed(api)["number"]
    note = api.post(f"/orders/{a}/notes", {"text": "about a"}).json()
    before = table_counts()
    assert_problem(api.patch(f"/orders/{b}/notes/{note['id']}", {"text": "hijack"}), 404)
    assert_problem(api.delete(f"/orders/{b}/notes/{note['id']}"), 404)
    assert table_counts() == before
    assert api.get(f"/orders/{a}/notes").json()[0]["text"] == "about a"


def test_r_proc_4_notes_are_not_in_the_order_or_list(api):
    number = placed(api)["number"]
    api.post(f"/orders/{number}/notes", {"text": "SECRET-INTERNAL"})
    assert "SECRET-INTERNAL" not in api.get(f"/orders/{number}").content.decode()
    assert "SECRET-INTERNAL" not in api.get("/orders").content.decode()
    assert "SECRET-INTERNAL" not in api.get(f"/orders/{number}/events").content.decode()
