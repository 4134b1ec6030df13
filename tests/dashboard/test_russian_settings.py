"""The webhook and deadline settings pages speak Russian: every string of theirs in the project's
catalogue (sellerdesk/locale/ru) is translated and compiled, and the pages show it."""

from __future__ import annotations

import ast
import gettext
import re
from pathlib import Path

import pytest
from django.test import Client
from django.utils import translation

from tests.conftest import staff

LOCALE = Path(__file__).resolve().parents[2] / "sellerdesk" / "locale" / "ru" / "LC_MESSAGES"
# The sources of the two pages: templates, views, forms' error texts and the writers' refusals.
PAGES = re.compile(
    r"dashboard/templates/dashboard/(webhooks/|deadline_settings)|views/(webhooks|deadline_settings)|webhooks/|orders/policy\.py|dashboard/settings"
)


def entries() -> list[dict[str, object]]:
    """(references, flags, msgid, msgstrs) of each entry of the .po: just enough of the format."""
    out = []
    for block in (LOCALE / "django.po").read_text().split("\n\n"):
        refs = " ".join(line[3:] for line in block.splitlines() if line.startswith("#:"))
        flags = " ".join(line[3:] for line in block.splitlines() if line.startswith("#,"))
        fields: dict[str, list[str]] = {}
        key = ""
        for line in block.splitlines():
            if line.startswith("#"):
                continue
            if not line.startswith('"'):
                key, _, line = line.partition(" ")
            fields.setdefault(key, []).append(ast.literal_eval(line))
        if "msgid" in fields and "".join(fields["msgid"]):
            strs = ["".join(v) for k, v in fields.items() if k.startswith("msgstr")]
            out.append({"refs": refs, "flags": flags, "msgid": "".join(fields["msgid"]), "msgstr": strs})
    return out


def test_every_string_of_the_pages_is_translated_and_compiled() -> None:
    ours = [e for e in entries() if PAGES.search(str(e["refs"]))]
    assert len(ours) > 80, "the pages' strings are in the catalogue (run makemessages)"
    untranslated = [e["msgid"] for e in ours if "fuzzy" in str(e["flags"]) or not all(e["msgstr"])]
    assert untranslated == []
    with (LOCALE / "django.mo").open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)._catalog  # type: ignore[attr-defined]
    keys = {k[0] if isinstance(k, tuple) else k for k in compiled}
    stale = [e["msgid"] for e in ours if e["msgid"] not in keys]
    assert stale == [], "run compilemessages"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "russian", "english"),
    [
        (
            "/settings/deadlines/",
            ["Настройки сроков", "Рабочий календарь", "Добавить выходной"],
            ["Business calendar"],
        ),
        ("/settings/webhooks/", ["Вебхуки", "Приёмники", "Добавить приёмник"], ["Endpoints", "Add endpoint"]),
        ("/settings/", ["Настройки", "Уведомления покупателям"], ["Customer notifications"]),
        (
            "/metrics/?at=2026-12-08",
            ["На дату", "Доля поздних отправок", "Вернуться к сегодняшнему дню"],
            ["As of"],
        ),
    ],
)
def test_the_pages_show_russian(seller, path: str, russian: list[str], english: list[str]) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(staff(seller, "owner"))
    with translation.override("en"):  # the request activates Russian; leave no trace in this thread
        html = client.get(path, headers={"Accept-Language": "ru"}).content.decode()
    assert all(text in html for text in russian), [t for t in russian if t not in html]
    assert not any(text in html for text in english)
