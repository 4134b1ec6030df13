"""Domain events (R-AUD-1, issue 8): the registry, the timeline sentences, the one recorder, the docs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import Client

from sellerdesk import outbox
from sellerdesk.core.errors import Conflict
from sellerdesk.core.events import EVENT_TYPES, describe_row, field_docs, render_doc
from sellerdesk.orders import services
from sellerdesk.orders.events import NoteAdded, record_event
from sellerdesk.orders.models import Order, OrderEvent
from tests.conftest import actor, place, staff

# Every type string the writers (and the benchmark's generated history) store on the timeline.
WRITTEN_TYPES = {
    "order_placed",
    "order_confirmed",
    "order_processing",
    "order_shipped",
    "order_delivered",
    "order_closed",
    "order_cancelled",
    "payment_recorded",
    "refund_recorded",
    "manager_assigned",
    "customer_changed",
    "note_added",
    "note_edited",
    "note_deleted",
    "note_reminder_done",
    "earnings_paid_out",
    "order_changed",
    "amount_change_requested",
    "amount_change_decided",
    "line_substituted",
    "line_cancelled",
    "shipment_created",
    "shipment_registered",
    "shipment_updated",
    "shipment_status_changed",
    "shipment_voided",
    "return_recorded",
    "payment_failed",
    "refund_requested",
    "refund_failed",
    "deadline_warning",
    "deadline_missed",
    "delay_agreed",
    "order_message_sent",
    "customer_message_received",
    "feedback_received",
    "feedback_reminder_sent",
    "complaint_filed",
}


def test_every_written_type_has_an_event_type() -> None:
    assert set(EVENT_TYPES) == WRITTEN_TYPES


@pytest.mark.parametrize("name", sorted(WRITTEN_TYPES))
def test_event_type_round_trips_and_is_documented(name: str) -> None:
    cls = EVENT_TYPES[name]
    assert cls.type == name and cls.version >= 1
    assert cls.summary and cls.example, "each type says when it happens and shows an example"
    assert all(meaning for _, _, meaning, _ in field_docs(cls)), "every payload field is documented"
    event = cls.from_payload(cls.example)
    assert event.payload() == cls.example  # payload → registry → payload
    sentence = describe_row(name, event.payload(), cls.version)
    assert sentence == event.describe() and not sentence.startswith("Change recorded")
    assert f"`{name}` (version {cls.version})" in render_doc()


@pytest.mark.parametrize(
    ("type_", "data"),
    [
        ("shipment_lost", {"carrier": "x"}),  # a type this version does not know
        ("order_placed", []),  # not an object
        ("payment_recorded", {"amount": "1.00"}),  # a required field missing
        ("customer_changed", {"customer": "Anna"}),  # a change that is not {"from", "to"}
        ("note_added", {"note_id": 1, "unexpected": True}),  # extra keys are ignored, not an error
        ("order_cancelled", {"status": {"from": "pending"}}),  # a change without its "to"
    ],
)
def test_unknown_or_malformed_rows_read_as_a_neutral_sentence(type_: str, data: Any) -> None:
    sentence = describe_row(type_, data)
    if type_ == "note_added":
        assert sentence == "Internal note added."
    else:
        assert sentence == f"Change recorded: {type_.replace('_', ' ')}."


@pytest.mark.django_db
def test_order_page_shows_an_unknown_row_without_error(seller) -> None:  # type: ignore[no-untyped-def]
    order = place(seller)
    OrderEvent.objects.create(
        order=order, type="parcel_lost", version=3, actor_kind="system", data=[1], created_at=order.created_at
    )
    client = Client()
    client.force_login(staff(seller))
    response = client.get(f"/orders/{order.number}/")
    assert response.status_code == 200
    assert "Change recorded: parcel lost." in response.content.decode()
    assert "Order placed (source: api)." in response.content.decode()


def test_events_doc_is_current(tmp_path: Path) -> None:
    call_command("eventsdoc", "--check")  # docs/events.md matches the code
    stale = tmp_path / "events.md"
    stale.write_text("# Events\n", encoding="utf-8")
    with pytest.raises(CommandError) as failed:
        call_command("eventsdoc", "--check", "--output", str(stale))
    assert failed.value.returncode == 1
    call_command("eventsdoc", "--output", str(stale))
    call_command("eventsdoc", "--check", "--output", str(stale))


@pytest.fixture
def published(monkeypatch: pytest.MonkeyPatch) -> list[tuple[list[OrderEvent], bool]]:
    """What the recorder hands to the outbox: the saved rows, and whether a transaction was open."""
    seen: list[tuple[list[OrderEvent], bool]] = []
    real = outbox.publish

    def spy(rows: Any) -> None:
        seen.append((list(rows), transaction.get_connection().in_atomic_block))
        real(rows)

    monkeypatch.setattr(outbox, "publish", spy)
    return seen


def _types(order: Order) -> list[str]:
    return list(OrderEvent.objects.filter(order=order).order_by("id").values_list("type", flat=True))


@pytest.mark.django_db(transaction=True)
def test_each_call_writes_exactly_its_rows_and_publishes_them(seller, published) -> None:  # type: ignore[no-untyped-def]
    order = place(seller)
    who = actor(seller)
    services.order_confirm(seller_id=seller.pk, number=order.number, actor=who)
    with pytest.raises(Conflict):
        services.order_confirm(seller_id=seller.pk, number=order.number, actor=who)  # refused
    services.order_mark_paid(seller_id=seller.pk, number=order.number, actor=who)
    assert _types(order) == ["order_placed", "order_confirmed", "payment_recorded"]
    assert [[r.type for r in rows] for rows, _ in published] == [
        ["order_placed"],
        ["order_confirmed"],
        ["payment_recorded"],
    ]
    # saved rows, handed over inside the writer's transaction (not after it committed)
    assert all(r.pk and in_tx for rows, in_tx in published for r in rows)
    row = OrderEvent.objects.get(order=order, type="order_confirmed")
    assert row.version == 1 and row.data["status"] == {"from": "pending", "to": "confirmed"}


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_change_leaves_no_event(seller, published) -> None:  # type: ignore[no-untyped-def]
    order = place(seller)
    published.clear()
    with pytest.raises(RuntimeError), transaction.atomic():
        services.order_confirm(seller_id=seller.pk, number=order.number, actor=actor(seller))
        raise RuntimeError("the caller's transaction fails after the change")
    assert _types(order) == ["order_placed"]
    assert Order.objects.get(pk=order.pk).status == "pending"


@pytest.mark.django_db(transaction=True)
def test_bulk_confirm_records_through_the_one_recorder(seller, published) -> None:  # type: ignore[no-untyped-def]
    made = [place(seller, name=f"Bulk {i}") for i in range(4)]
    who = actor(seller)
    services.order_cancel(seller_id=seller.pk, number=made[1].number, actor=who, reason="out_of_stock")
    published.clear()
    outcome = services.order_confirm_many(
        seller_id=seller.pk, numbers=[o.number for o in made] + [99999], actor=who
    )
    assert [n for n, why in outcome.items() if why is None] == [
        made[0].number,
        made[2].number,
        made[3].number,
    ]
    for i, o in enumerate(made):
        expected = ["order_placed", "order_cancelled"] if i == 1 else ["order_placed", "order_confirmed"]
        assert _types(o) == expected
    # one hand-over for the chunk: the three confirmed orders' rows, saved, in the transaction
    assert len(published) == 1
    rows, in_tx = published[0]
    assert in_tx and sorted(r.order_id for r in rows) == sorted(made[i].pk for i in (0, 2, 3))
    assert all(r.pk and r.type == "order_confirmed" and r.version == 1 for r in rows)


@pytest.mark.django_db(transaction=True)
def test_events_are_only_recorded_inside_a_transaction(seller) -> None:  # type: ignore[no-untyped-def]
    order = place(seller)
    with pytest.raises(RuntimeError, match="inside the transaction"):
        record_event(actor(seller), order, NoteAdded(note_id=1))  # autocommit: would commit alone
    assert _types(order) == ["order_placed"]


@pytest.mark.django_db
def test_note_events_carry_the_reminder_time_not_the_text(seller) -> None:  # type: ignore[no-untyped-def]
    import datetime as dt

    order = place(seller)
    when = dt.datetime(2030, 1, 2, 9, 0, tzinfo=dt.UTC)
    note = services.note_add(
        seller_id=seller.pk, number=order.number, actor=actor(seller), text="call back", remind_at=when
    )
    services.note_edit(
        seller_id=seller.pk, number=order.number, actor=actor(seller), note_id=note.pk, text="x"
    )
    added, edited = OrderEvent.objects.filter(order=order, type__startswith="note_").order_by("id")
    assert added.data == {"note_id": note.pk, "remind_at": when.isoformat()}
    assert edited.data == {"note_id": note.pk}  # the edit removed the reminder


def test_sentences_are_translated() -> None:
    from django.utils import translation

    with translation.override("ru"):
        assert describe_row("parcel_lost", {}) == "Записано изменение: parcel lost."
        refund = EVENT_TYPES["refund_recorded"]
        assert describe_row("refund_recorded", refund.example) == "Записан возврат 10.00 EUR."
        assert describe_row("note_added", {"note_id": 1}) == "Добавлена внутренняя заметка."
