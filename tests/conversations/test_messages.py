"""Order messages (R-NOTE-4): staff write from the order page, the customer replies through the
link of the e-mail (real HTTP through Django's test client), read state, attachments, tenancy."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from sellerdesk.conversations import rules, services
from sellerdesk.conversations.models import Attachment, Message, Thread
from sellerdesk.orders import services as order_services
from sellerdesk.orders.models import OrderEvent
from sellerdesk.outbox.models import OutboxEvent
from tests.conftest import actor, place, staff

from .conftest import EXE, PDF, PNG, logged_in, staff_writes

pytestmark = pytest.mark.django_db


def _reply(client: Client, thread: Thread, text: str = "Can you ship on Friday?", files=()):  # type: ignore[no-untyped-def]
    return client.post(f"/m/{thread.token}/", {"text": text, "files": list(files)})


def test_staff_message_from_the_order_page_starts_the_thread_and_is_recorded(seller, manager_client) -> None:  # type: ignore[no-untyped-def]
    order = place(seller)
    resp = manager_client.post(
        f"/orders/{order.number}/messages/",
        {"text": "Your mug is ready", "files": [SimpleUploadedFile("photo.png", PNG, "image/png")]},
    )
    assert resp.status_code == 302
    thread = Thread.objects.get(order=order)
    (message,) = thread.messages.all()
    assert (message.author_kind, message.text, message.attachments.get().content_type) == (
        "staff",
        "Your mug is ready",
        "image/png",
    )
    event = OrderEvent.objects.get(order=order, type="order_message_sent")
    assert event.data == {"message_id": message.pk, "attachments": 1}
    assert OutboxEvent.objects.filter(event_id=event.pk, type="order_message_sent").count() == 1
    assert len(thread.token) >= 40  # 256 random bits, URL-safe


def test_a_bad_token_is_404(seller, client) -> None:  # type: ignore[no-untyped-def]
    staff_writes(seller, place(seller))
    assert client.get("/m/nope/").status_code == 404
    assert client.get("/m/" + "x" * 43 + "/").status_code == 404
    assert client.post("/m/" + "x" * 43 + "/", {"text": "hi"}).status_code == 404
    assert client.post("/m/" + "x" * 43 + "/feedback/", {"rating": "5"}).status_code == 404
    assert not Message.objects.filter(author_kind="customer").exists()


def test_the_customer_page_shows_the_thread_and_nothing_internal(seller, client) -> None:  # type: ignore[no-untyped-def]
    order = place(seller)
    olga = staff(seller, "manager")
    olga.first_name, olga.last_name = "Olga", "Smirnova-Secret"
    olga.save()
    order_services.note_add(
        seller_id=seller.pk, number=order.number, actor=actor(seller), text="INTERNAL: customer is rude"
    )
    thread = staff_writes(seller, order, "We packed it today")
    page = client.get(f"/m/{thread.token}/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "We packed it today" in text and "Olga" in text
    assert "Smirnova-Secret" not in text and "INTERNAL" not in text
    assert "manager@" not in text  # no staff e-mail either
    assert page["X-Robots-Tag"] == "noindex"
    assert Thread.objects.get(pk=thread.pk).customer_read_at is not None


def test_a_reply_records_the_event_once_and_marks_the_thread_unread(seller, client) -> None:  # type: ignore[no-untyped-def]
    order = place(seller)
    thread = staff_writes(seller, order)
    resp = _reply(client, thread, files=[SimpleUploadedFile("invoice.pdf", PDF, "application/pdf")])
    assert resp.status_code == 302 and resp["Location"].endswith("?sent=1#reply")
    events = OrderEvent.objects.filter(order=order, type="customer_message_received")
    assert events.count() == 1
    (event,) = events
    message = Message.objects.get(thread=thread, author_kind="customer")
    assert event.actor_kind == "customer"
    assert event.data == {"message_id": message.pk, "attachments": 1, "excerpt": "Can you ship on Friday?"}
    assert OutboxEvent.objects.filter(event_id=event.pk, type="customer_message_received").count() == 1
    assert Thread.objects.get(pk=thread.pk).staff_unread == 1
    # The redirect's page shows the confirmation; reloading it sends nothing again.
    assert "was sent" in client.get(resp["Location"]).content.decode()
    assert events.count() == 1


def test_an_oversize_file_is_a_form_error_and_nothing_is_written(seller, client, settings) -> None:  # type: ignore[no-untyped-def]
    thread = staff_writes(seller, place(seller))
    big = PNG + b"\x00" * rules.MAX_FILE_BYTES
    resp = _reply(client, thread, files=[SimpleUploadedFile("big.png", big, "image/png")])
    assert resp.status_code == 422
    assert "larger than 5 MB" in resp.content.decode()
    assert 'aria-invalid="true"' in resp.content.decode()
    assert not Message.objects.filter(author_kind="customer").exists()
    assert not OrderEvent.objects.filter(type="customer_message_received").exists()


@pytest.mark.parametrize(
    ("name", "data", "why"),
    [
        ("setup.exe", EXE, "not an image, a PDF or plain text"),
        ("cat.png", EXE, "not an image, a PDF or plain text"),  # an executable renamed: the bytes decide
        ("notes.png", b"just some text\n", "does not hold what its name says"),
        ("report.pdf", PNG, "does not hold what its name says"),
        ("empty.txt", b"", "is empty"),
    ],
)
def test_a_wrong_type_is_a_form_error(seller, client, name: str, data: bytes, why: str) -> None:  # type: ignore[no-untyped-def]
    thread = staff_writes(seller, place(seller))
    resp = _reply(client, thread, files=[SimpleUploadedFile(name, data, "image/png")])
    assert resp.status_code == 422
    assert why in resp.content.decode()
    assert not Attachment.objects.filter(message__author_kind="customer").exists()


def test_too_many_files_and_an_empty_text_are_refused(seller, client) -> None:  # type: ignore[no-untyped-def]
    thread = staff_writes(seller, place(seller))
    files = [SimpleUploadedFile(f"{i}.txt", b"hello", "text/plain") for i in range(rules.MAX_FILES + 1)]
    resp = _reply(client, thread, text="   ", files=files)
    body = resp.content.decode()
    assert resp.status_code == 422 and "Write a message." in body and "at most 3 files" in body
    resp = _reply(client, thread, text="bad \x00 byte")
    assert resp.status_code == 422 and "control character" in resp.content.decode()


def test_accepted_files_download_with_their_sniffed_type_only_within_the_thread(
    seller, other_seller, client
) -> None:  # type: ignore[no-untyped-def]
    order = place(seller)
    thread = staff_writes(seller, order)
    _reply(client, thread, files=[SimpleUploadedFile("a.txt", "привет\n".encode(), "application/x-evil")])
    attachment = Attachment.objects.get()
    assert attachment.content_type == "text/plain"
    resp = client.get(f"/m/{thread.token}/files/{attachment.pk}/")
    assert resp.status_code == 200 and resp["Content-Type"] == "text/plain"
    assert resp["X-Content-Type-Options"] == "nosniff" and "attachment" in resp["Content-Disposition"]
    other = staff_writes(other_seller, place(other_seller))
    assert client.get(f"/m/{other.token}/files/{attachment.pk}/").status_code == 404
    # Staff: own order yes; the other seller's staff get 404 on the same path and id.
    mine = logged_in(staff(seller, "viewer")).get(f"/orders/{order.number}/messages/files/{attachment.pk}/")
    assert mine.status_code == 200
    theirs = logged_in(staff(other_seller)).get(f"/orders/{order.number}/messages/files/{attachment.pk}/")
    assert theirs.status_code == 404


def test_staff_see_new_messages_in_the_polled_partial_and_reading_clears_the_marker(
    seller, client, manager_client
) -> None:  # type: ignore[no-untyped-def]
    order = place(seller)
    thread = staff_writes(seller, order)
    _reply(client, thread, text="Is it blue?")
    resp = manager_client.get(f"/orders/{order.number}/messages/", headers={"HX-Request": "true"})
    body = resp.content.decode()
    assert resp.status_code == 200 and "Is it blue?" in body and "msg-new" in body
    assert 'hx-trigger="every 10s"' in body
    assert Thread.objects.get(pk=thread.pk).staff_unread == 0
    assert "msg-new" not in manager_client.get(f"/orders/{order.number}/messages/").content.decode()


def test_the_order_page_shows_the_thread_and_its_form(seller, manager_client) -> None:  # type: ignore[no-untyped-def]
    order = place(seller)
    staff_writes(seller, order, "First words")
    body = manager_client.get(f"/orders/{order.number}/").content.decode()
    assert "Messages" in body and "First words" in body and 'name="files"' in body


def test_a_viewer_reads_but_cannot_write(seller) -> None:  # type: ignore[no-untyped-def]
    order = place(seller)
    viewer = logged_in(staff(seller, "viewer"))
    assert viewer.get(f"/orders/{order.number}/messages/").status_code == 200
    assert viewer.post(f"/orders/{order.number}/messages/", {"text": "hi"}).status_code == 403
    assert 'name="files"' not in viewer.get(f"/orders/{order.number}/").content.decode()
    assert not Message.objects.exists()


def test_another_sellers_order_is_404_everywhere(seller, other_seller) -> None:  # type: ignore[no-untyped-def]
    own = place(seller)  # number 1001 at both sellers; 1002 only at the other one
    place(other_seller)
    theirs = place(other_seller)
    assert theirs.number == own.number + 1
    thread = staff_writes(other_seller, theirs, "their secret message")
    file_id = Attachment.objects.create(
        message=thread.messages.get(), name="a.txt", content_type="text/plain", size=1, data=b"a"
    ).pk
    mine = logged_in(staff(seller, "owner"))
    assert mine.get(f"/orders/{theirs.number}/messages/").status_code == 404
    assert mine.post(f"/orders/{theirs.number}/messages/", {"text": "x"}).status_code == 404
    assert mine.get(f"/orders/{theirs.number}/messages/files/{file_id}/").status_code == 404
    assert mine.get(f"/orders/{own.number}/messages/files/{file_id}/").status_code == 404
    # The same number at my seller shows only my (empty) thread.
    assert "their secret message" not in mine.get(f"/orders/{own.number}/messages/").content.decode()
    assert Message.objects.count() == 1


def test_the_api_lists_and_sends_messages_within_the_seller(seller, other_seller, api_for, client) -> None:  # type: ignore[no-untyped-def]
    order = place(seller)
    api = api_for(seller, "manager")
    resp = api.post(f"/orders/{order.number}/messages", {"text": "Sent through the API"})
    assert resp.status_code == 201, resp.content
    body = resp.json()
    assert (body["author"], body["text"], body["files"]) == ("staff", "Sent through the API", [])
    thread = Thread.objects.get(order=order)
    _reply(client, thread, text="Thanks!", files=[SimpleUploadedFile("p.png", PNG, "image/png")])
    listed = api.get(f"/orders/{order.number}/messages").json()
    assert [m["author"] for m in listed] == ["staff", "customer"]
    assert listed[1]["files"][0]["content_type"] == "image/png"
    # Another seller's key (no order with this number there): 404 problem+json, nothing written.
    theirs = api_for(other_seller, "owner")
    resp = theirs.get(f"/orders/{order.number}/messages")
    assert (resp.status_code, resp.json()["code"]) == (404, "order_not_found")
    assert theirs.post(f"/orders/{order.number}/messages", {"text": "x"}).status_code == 404
    resp = api_for(seller, "viewer").post(f"/orders/{order.number}/messages", {"text": "no"})
    assert resp.status_code == 403
    resp = api.post(f"/orders/{order.number}/messages", {"text": "   "})
    assert resp.status_code == 422 and resp["Content-Type"] == "application/problem+json"
    assert Message.objects.count() == 2


def test_the_orders_list_marks_orders_with_unread_customer_messages(seller, client, manager_client) -> None:  # type: ignore[no-untyped-def]
    quiet, talking = place(seller), place(seller)
    thread = staff_writes(seller, talking)
    _reply(client, thread, text="One")
    _reply(client, thread, text="Two")
    body = manager_client.get("/orders/").content.decode()
    assert body.count("unread-marker") == 1 and 'data-unread="2"' in body
    row = body[body.index(f'data-number="{talking.number}"') :][:1500]
    assert "New message" in row
    manager_client.get(f"/orders/{talking.number}/")  # staff open the order: read
    assert "unread-marker" not in manager_client.get("/orders/").content.decode()
    assert quiet.number != talking.number


def test_the_customer_page_speaks_the_browsers_language(seller, client) -> None:  # type: ignore[no-untyped-def]
    thread = staff_writes(seller, place(seller))
    page = client.get(f"/m/{thread.token}/", headers={"Accept-Language": "ru"}).content.decode()
    assert "Ваш ответ" in page and "Отправить" in page
    resp = _reply(client, thread, text=" ")
    assert resp.status_code == 422


def test_a_customer_link_cannot_flood_the_seller(seller, client) -> None:  # type: ignore[no-untyped-def]
    thread = staff_writes(seller, place(seller))
    for i in range(rules.CUSTOMER_MESSAGES_PER_HOUR):
        assert _reply(client, thread, text=f"message {i}").status_code == 302
    resp = _reply(client, thread, text="one too many")
    assert resp.status_code == 409 and "wait a little" in resp.content.decode()
    assert "one too many" in resp.content.decode()  # the text stays in the form
    assert Message.objects.filter(author_kind="customer").count() == rules.CUSTOMER_MESSAGES_PER_HOUR
    assert (
        OrderEvent.objects.filter(type="customer_message_received").count()
        == rules.CUSTOMER_MESSAGES_PER_HOUR
    )


def test_the_polled_thread_costs_the_same_queries_however_long_it_is(seller, client, manager_client) -> None:  # type: ignore[no-untyped-def]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def cost(number: int) -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert manager_client.get(f"/orders/{number}/messages/").status_code == 200
        return len(ctx.captured_queries)

    short, long_ = place(seller), place(seller)
    staff_writes(seller, short)
    thread = staff_writes(seller, long_, files=[services.FileIn("a.txt", b"hello")])
    for i in range(8):
        _reply(client, thread, text=f"reply {i}", files=[SimpleUploadedFile(f"{i}.txt", b"hi", "text/plain")])
    cost(short.number)  # warm the session
    assert cost(long_.number) == cost(short.number) + 1  # + clearing the unread marker once
    assert cost(long_.number) == cost(short.number)
    print("polled thread queries:", cost(short.number))


def test_an_attachment_shows_a_drawn_paperclip_and_a_working_link_on_both_sides(
    seller, manager_client, client
) -> None:  # type: ignore[no-untyped-def]
    """The icon is an inline SVG: no font of the page has to carry a paperclip glyph."""
    import re

    order = place(seller)
    thread = staff_writes(seller, order, "See the photo", files=[services.FileIn("photo.png", PNG)])
    for viewer, path in [
        (manager_client, f"/orders/{order.number}/messages/"),
        (client, f"/m/{thread.token}/"),
    ]:
        html = viewer.get(path).content.decode()
        found = re.search(
            r'<li><a href="([^"]+)"[^>]*><svg class="clip"[^>]*aria-hidden="true".*?</svg>\s*photo\.png</a>',
            html,
        )
        assert found, html
        assert viewer.get(found.group(1)).status_code == 200
        assert "\u2398" not in html  # the old glyph, which the page's fonts lack
