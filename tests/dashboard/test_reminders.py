"""Note reminders alert their author (R-PROC-4): on the home page, in the live alerts, until marked done."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from sellerdesk.core.errors import Conflict, Forbidden
from sellerdesk.dashboard import selectors
from sellerdesk.orders import services
from sellerdesk.orders.models import OrderEvent, OrderNote
from tests.conftest import actor, place, staff

pytestmark = pytest.mark.django_db


def note_with_reminder(seller, *, minutes: int, role: str = "manager", text: str = "Call the customer"):  # type: ignore[no-untyped-def]
    order = place(seller)
    when = timezone.now() + dt.timedelta(minutes=minutes)
    note = services.note_add(
        seller_id=seller.pk, number=order.number, actor=actor(seller, role), text=text, remind_at=when
    )
    return order, note


def home_for(seller, role: str = "manager") -> str:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(staff(seller, role))
    return client.get("/").content.decode()


def test_a_due_reminder_shows_on_its_authors_home_only(seller, other_seller) -> None:  # type: ignore[no-untyped-def]
    order, _ = note_with_reminder(seller, minutes=-5, text="Ask about the gift wrap")
    note_with_reminder(seller, minutes=60, text="Not yet due")
    note_with_reminder(other_seller, minutes=-5, text="Other seller's reminder")
    html = home_for(seller)
    assert "Your reminders" in html and "Ask about the gift wrap" in html
    assert f'href="/orders/{order.number}/#note-' in html
    assert "Not yet due" not in html and "Other seller" not in html
    # the owner of the same seller did not write the note: no reminder for them
    assert "Ask about the gift wrap" not in home_for(seller, "owner")


def test_marking_done_removes_it_writes_one_event_and_returns_home(seller) -> None:  # type: ignore[no-untyped-def]
    order, note = note_with_reminder(seller, minutes=-1, text="Check the address")
    client = Client()
    client.force_login(staff(seller, "manager"))
    events = OrderEvent.objects.filter(order=order).count()
    response = client.post(f"/orders/{order.number}/notes/{note.pk}/reminder-done/", {"next": "/"})
    assert response.status_code == 302 and response["Location"] == "/"
    note.refresh_from_db()
    assert note.reminder_done_at is not None
    assert OrderEvent.objects.filter(order=order).count() == events + 1
    assert OrderEvent.objects.filter(order=order).last().type == "note_reminder_done"  # type: ignore[union-attr]
    assert "Check the address" not in client.get("/").content.decode()
    # done twice changes nothing; an outside `next` is not followed
    response = client.post(
        f"/orders/{order.number}/notes/{note.pk}/reminder-done/", {"next": "https://evil.example/"}
    )
    assert response.status_code == 302 and response["Location"] == f"/orders/{order.number}/"
    assert OrderEvent.objects.filter(order=order).count() == events + 1


def test_only_the_author_can_mark_a_reminder_done(seller) -> None:  # type: ignore[no-untyped-def]
    order, note = note_with_reminder(seller, minutes=-1)
    with pytest.raises(Forbidden):
        services.note_reminder_done(
            seller_id=seller.pk, number=order.number, actor=actor(seller, "owner"), note_id=note.pk
        )
    client = Client()
    client.force_login(staff(seller, "owner"))
    page = client.post(f"/orders/{order.number}/notes/{note.pk}/reminder-done/", follow=True)
    assert page.status_code == 200 and "author can mark its reminder done" in page.content.decode()
    assert OrderNote.objects.get(pk=note.pk).reminder_done_at is None
    plain = services.note_add(
        seller_id=seller.pk, number=order.number, actor=actor(seller), text="no reminder"
    )
    with pytest.raises(Conflict):
        services.note_reminder_done(
            seller_id=seller.pk, number=order.number, actor=actor(seller), note_id=plain.pk
        )


def test_a_new_reminder_time_arms_it_again(seller) -> None:  # type: ignore[no-untyped-def]
    order, note = note_with_reminder(seller, minutes=-1, text="Follow up")
    services.note_reminder_done(
        seller_id=seller.pk, number=order.number, actor=actor(seller), note_id=note.pk
    )
    assert "Follow up" not in home_for(seller)
    services.note_edit(  # same time, new text: stays done
        seller_id=seller.pk,
        number=order.number,
        actor=actor(seller),
        note_id=note.pk,
        text="Follow up again",
        remind_at=note.remind_at,
    )
    assert "Follow up again" not in home_for(seller)
    services.note_edit(
        seller_id=seller.pk,
        number=order.number,
        actor=actor(seller),
        note_id=note.pk,
        text="Follow up again",
        remind_at=timezone.now() - dt.timedelta(seconds=30),
    )
    assert "Follow up again" in home_for(seller)


def test_live_alerts_bring_a_reminder_once_when_it_falls_due(seller) -> None:  # type: ignore[no-untyped-def]
    order, note = note_with_reminder(seller, minutes=-2, text="Ring back about the size")
    client = Client()
    client.force_login(staff(seller, "manager"))
    before = int((note.remind_at - dt.timedelta(minutes=1)).timestamp())
    after = int((note.remind_at + dt.timedelta(seconds=1)).timestamp())
    last = selectors.latest_order_id(seller_id=seller.pk)
    fell_due = client.get(f"/alerts/?after={last}&since={before}").content.decode()
    assert "Ring back about the size" in fell_due and "alert-reminder" in fell_due
    assert f'href="/orders/{order.number}/"' in fell_due
    # the poller carries the new mark forward: the same reminder is not announced twice
    assert "since=" in fell_due and f"since={before}" not in fell_due
    assert "Ring back" not in client.get(f"/alerts/?after={last}&since={after}").content.decode()
    # other staff are not alerted; a malformed mark is "from now on", not an error
    owner = Client()
    owner.force_login(staff(seller, "owner"))
    assert "Ring back" not in owner.get(f"/alerts/?after={last}&since={before}").content.decode()
    assert client.get(f"/alerts/?after={last}&since=x%00").status_code == 200
    assert client.get(f"/alerts/?after={last}&since=99999999999999999999").status_code == 200


def test_order_page_offers_done_to_the_author_and_marks_done_reminders(seller) -> None:  # type: ignore[no-untyped-def]
    order, note = note_with_reminder(seller, minutes=-1)
    client = Client()
    client.force_login(staff(seller, "manager"))
    url = f"/orders/{order.number}/notes/{note.pk}/reminder-done/"
    assert f'action="{url}"' in client.get(f"/orders/{order.number}/").content.decode()
    owner = Client()
    owner.force_login(staff(seller, "owner"))
    assert f'action="{url}"' not in owner.get(f"/orders/{order.number}/").content.decode()
    client.post(url)
    page = client.get(f"/orders/{order.number}/").content.decode()
    assert f'action="{url}"' not in page and "· done" in page
    assert "Reminder of an internal note marked done." in page
