"""Order actions in the dashboard (R-PROC-1..5): permission, tenancy, bad input, refusal, HTMX."""

from __future__ import annotations

import pytest
from django.test import Client

from sellerdesk.orders import services
from sellerdesk.orders.models import Order, OrderEvent, OrderNote
from tests.conftest import actor, place, staff, table_counts

pytestmark = pytest.mark.django_db
HX = {"HX-Request": "true"}


def client_for(seller, role: str = "manager") -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(staff(seller, role))
    return client


def actions(number: int, note_id: int = 1) -> list[tuple[str, dict[str, str]]]:
    return [
        (f"/orders/{number}/confirm/", {}),
        (f"/orders/{number}/process/", {}),
        (f"/orders/{number}/deliver/", {}),
        (f"/orders/{number}/close/", {}),
        (f"/orders/{number}/cancel/", {"cancel-reason": "out_of_stock"}),
        (f"/orders/{number}/mark-paid/", {"paid-amount": ""}),
        (f"/orders/{number}/manager/", {"mgr-manager": ""}),
        (f"/orders/{number}/customer/", {"customer_id": "1"}),
        (f"/orders/{number}/notes/", {"note-text": "hello"}),
        (f"/orders/{number}/notes/{note_id}/", {f"note{note_id}-text": "edited"}),
        (f"/orders/{number}/notes/{note_id}/reminder-done/", {}),
        (f"/orders/{number}/notes/{note_id}/delete/", {}),
    ]


def test_viewer_gets_403_on_every_action_and_nothing_changes(seller) -> None:  # type: ignore[no-untyped-def]
    order = place(seller)
    note = services.note_add(seller_id=seller.pk, number=order.number, actor=actor(seller), text="keep")
    before = table_counts()
    client = client_for(seller, "viewer")
    for url, data in actions(order.number, note.pk):
        assert client.post(url, data).status_code == 403, url
    assert table_counts() == before
    assert Order.objects.get(pk=order.pk).status == "pending"


def test_another_sellers_order_is_404_on_every_action(seller, other_seller) -> None:  # type: ignore[no-untyped-def]
    place(other_seller)
    theirs = place(other_seller)  # number 1002 exists only for the other seller
    note = services.note_add(
        seller_id=other_seller.pk, number=theirs.number, actor=actor(other_seller), text="x"
    )
    place(seller)
    before = table_counts()
    client = client_for(seller, "owner")
    for url, data in actions(theirs.number, note.pk):
        assert client.post(url, data).status_code == 404, url
    assert client.get(f"/orders/{theirs.number}/customers/?q=anna").status_code == 404
    assert table_counts() == before


def test_get_on_an_action_is_405(seller) -> None:  # type: ignore[no-untyped-def]
    order = place(seller)
    assert client_for(seller).get(f"/orders/{order.number}/confirm/").status_code == 405


def test_confirm_then_process_through_the_page(seller) -> None:  # type: ignore[no-untyped-def]
    order = place(seller, payment_method="cash_on_delivery")
    client = client_for(seller)
    res = client.post(f"/orders/{order.number}/confirm/")
    assert res.status_code == 302 and res["Location"] == f"/orders/{order.number}/"
    page = client.get(res["Location"]).content.decode()
    assert f"Order {order.number} confirmed." in page
    order.refresh_from_db()
    assert order.status == "confirmed" and order.ship_by is not None
    assert OrderEvent.objects.filter(order=order, type="order_confirmed", actor_user=staff(seller)).exists()
    client.post(f"/orders/{order.number}/process/")
    order.refresh_from_db()
    assert order.status == "processing"


def test_refused_transition_is_a_message_not_a_500(seller) -> None:  # type: ignore[no-untyped-def]
    order = place(seller)
    client = client_for(seller)
    res = client.post(f"/orders/{order.number}/close/", follow=True)
    assert res.status_code == 200
    assert "Not done: An order that is pending cannot close" in res.content.decode()
    # A carrier order is not marked delivered by hand.
    res = client.post(f"/orders/{order.number}/deliver/", follow=True)
    assert "Not done:" in res.content.decode()
    assert Order.objects.get(pk=order.pk).status == "pending"


def test_htmx_action_swaps_the_panel_with_the_message_out_of_band(seller) -> None:  # type: ignore[no-untyped-def]
    order = place(seller)
    res = client_for(seller).post(f"/orders/{order.number}/confirm/", headers=HX)
    assert res.status_code == 200
    html = res.content.decode()
    assert html.lstrip().startswith('<div id="order-panel"')
    assert 'hx-swap-oob="true"' in html and f"Order {order.number} confirmed." in html
    assert "<html" not in html


def test_cancel_needs_a_reason_and_other_needs_a_comment(seller) -> None:  # type: ignore[no-untyped-def]
    order = place(seller)
    client = client_for(seller)
    before = table_counts()
    res = client.post(f"/orders/{order.number}/cancel/", {"cancel-reason": ""})
    assert res.status_code == 422
    html = res.content.decode()
    assert "error-summary" in html and 'href="#id_cancel-reason"' in html
    res = client.post(f"/orders/{order.number}/cancel/", {"cancel-reason": "bogus"})
    assert res.status_code == 422
    res = client.post(f"/orders/{order.number}/cancel/", {"cancel-reason": "other", "cancel-comment": " "})
    assert res.status_code == 422 and 'href="#id_cancel-comment"' in res.content.decode()
    assert table_counts() == before
    res = client.post(
        f"/orders/{order.number}/cancel/", {"cancel-reason": "other", "cancel-comment": "Customer moved"}
    )
    assert res.status_code == 302
    order.refresh_from_db()
    assert order.status == "cancelled" and order.cancel_comment == "Customer moved"


def test_htmx_form_error_comes_back_as_200_so_htmx_swaps_it(seller) -> None:  # type: ignore[no-untyped-def]
    order = place(seller)
    res = client_for(seller).post(f"/orders/{order.number}/cancel/", {"cancel-reason": ""}, headers=HX)
    assert res.status_code == 200
    assert "error-summary" in res.content.decode()


def test_mark_paid_default_is_the_outstanding_balance(seller) -> None:  # type: ignore[no-untyped-def]
    order = place(seller, payment_method="bank_transfer")
    res = client_for(seller).post(
        f"/orders/{order.number}/mark-paid/", {"paid-amount": "", "paid-reference": "T-1"}
    )
    assert res.status_code == 302
    order.refresh_from_db()
    assert order.payment_status == "paid" and order.paid_amount == order.total


@pytest.mark.parametrize("amount", ["abc", "-5", "0", "1e400", "NaN", "99999"])
def test_mark_paid_bad_amount_is_a_form_error(seller, amount: str) -> None:  # type: ignore[no-untyped-def]
    order = place(seller, payment_method="bank_transfer")
    before = table_counts()
    res = client_for(seller).post(f"/orders/{order.number}/mark-paid/", {"paid-amount": amount})
    assert res.status_code == 422
    assert 'href="#id_paid-amount"' in res.content.decode()
    assert table_counts() == before


def test_partial_payment_then_paid_in_full_is_refused_with_a_message(seller) -> None:  # type: ignore[no-untyped-def]
    order = place(seller, payment_method="bank_transfer")
    client = client_for(seller)
    client.post(f"/orders/{order.number}/mark-paid/", {"paid-amount": "10"})
    order.refresh_from_db()
    assert order.payment_status == "partially_paid"
    client.post(f"/orders/{order.number}/mark-paid/", {"paid-amount": ""})
    res = client.post(f"/orders/{order.number}/mark-paid/", {"paid-amount": ""}, follow=True)
    assert "already paid in full" in res.content.decode()


def test_assign_and_clear_manager(seller, other_seller) -> None:  # type: ignore[no-untyped-def]
    order = place(seller)
    client = client_for(seller)
    owner = staff(seller, "owner")
    assert client.post(f"/orders/{order.number}/manager/", {"mgr-manager": str(owner.pk)}).status_code == 302
    order.refresh_from_db()
    assert order.manager_id == owner.pk
    # Another seller's staff member is unknown here: 404, nothing changes.
    res = client.post(
        f"/orders/{order.number}/manager/", {"mgr-manager": str(staff(other_seller, "owner").pk)}
    )
    assert res.status_code == 404
    order.refresh_from_db()
    assert order.manager_id == owner.pk
    client.post(f"/orders/{order.number}/manager/", {"mgr-manager": ""})
    order.refresh_from_db()
    assert order.manager_id is None


def test_change_customer_only_to_a_customer_of_this_seller(seller, other_seller) -> None:  # type: ignore[no-untyped-def]
    order = place(seller, name="Anna Petrova", email="anna@example.com")
    mine = place(seller, name="Boris Ivanov", email="boris@example.com", phone="+7 900 111-22-33")
    stranger = place(other_seller, name="Boris Secret", email="secret@example.com", phone="+7 900 999-99-99")
    client = client_for(seller)
    found = client.get(f"/orders/{order.number}/customers/?q=boris", headers=HX).content.decode()
    assert "Boris Ivanov" in found and "Boris Secret" not in found
    by_phone = client.get(f"/orders/{order.number}/customers/?q=900 111 22 33", headers=HX).content.decode()
    assert "Boris Ivanov" in by_phone
    res = client.post(f"/orders/{order.number}/customer/", {"customer_id": str(stranger.customer_id)})
    assert res.status_code == 404 and "Boris Secret" not in res.content.decode()
    order.refresh_from_db()
    assert order.customer_name == "Anna Petrova"
    client.post(f"/orders/{order.number}/customer/", {"customer_id": str(mine.customer_id)})
    order.refresh_from_db()
    assert order.customer_id == mine.customer_id and order.customer_name == "Boris Ivanov"
    assert client.post(f"/orders/{order.number}/customer/", {"customer_id": "x"}).status_code == 302


def test_notes_add_edit_delete_with_reminder(seller) -> None:  # type: ignore[no-untyped-def]
    order = place(seller)
    client = client_for(seller)
    res = client.post(
        f"/orders/{order.number}/notes/",
        {"note-text": "Call the customer", "note-remind_at": "2031-05-01T09:30"},
    )
    assert res.status_code == 302
    note = OrderNote.objects.get(order=order)
    assert note.author == staff(seller) and note.remind_at is not None
    # The reminder is in the seller's time zone (Europe/Moscow, UTC+3).
    assert note.remind_at.utctimetuple()[:5] == (2031, 5, 1, 6, 30)
    client.post(f"/orders/{order.number}/notes/{note.pk}/", {f"note{note.pk}-text": "Called: OK"})
    note.refresh_from_db()
    assert note.text == "Called: OK" and note.remind_at is None
    client.post(f"/orders/{order.number}/notes/{note.pk}/delete/")
    assert not OrderNote.objects.filter(order=order).exists()
    kinds = list(OrderEvent.objects.filter(order=order).values_list("type", flat=True))
    assert kinds[-3:] == ["note_added", "note_edited", "note_deleted"]


@pytest.mark.parametrize(
    "data",
    [
        {"note-text": ""},
        {"note-text": "   "},
        {"note-text": "x" * 5001},
        {"note-text": "ok", "note-remind_at": "tomorrow"},
    ],
)
def test_bad_note_is_a_form_error(seller, data: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    order = place(seller)
    before = table_counts()
    res = client_for(seller).post(f"/orders/{order.number}/notes/", data)
    assert res.status_code == 422
    assert "error-summary" in res.content.decode()
    assert table_counts() == before


def test_editing_a_note_of_another_order_is_404(seller) -> None:  # type: ignore[no-untyped-def]
    first, second = place(seller), place(seller)
    note = services.note_add(seller_id=seller.pk, number=first.number, actor=actor(seller), text="mine")
    client = client_for(seller)
    assert (
        client.post(f"/orders/{second.number}/notes/{note.pk}/", {f"note{note.pk}-text": "x"}).status_code
        == 404
    )
    assert client.post(f"/orders/{second.number}/notes/{note.pk}/delete/").status_code == 404
    note.refresh_from_db()
    assert note.text == "mine"
