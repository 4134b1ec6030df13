"""`sellerdesk eventsdoc` writes docs/events.md from the event types; `--check` fails when it is stale."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from sellerdesk.core.events import render_doc

DEFAULT_PATH = Path(settings.BASE_DIR).parent / "docs" / "events.md"


class Command(BaseCommand):
    help = "Write docs/events.md from the event types in the code (--check: exit 1 when it is stale)."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]  # BaseCommand's own signature is untyped
        parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if stale")
        parser.add_argument("--output", type=Path, default=DEFAULT_PATH, help="where the document goes")

    def handle(self, *args, **opts):  # type: ignore[no-untyped-def]  # BaseCommand's own signature is untyped
        path: Path = opts["output"]
        text = render_doc()
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if opts["check"]:
            if current != text:
                raise CommandError(f"{path.name} is stale: run `sellerdesk eventsdoc`.", returncode=1)
            self.stdout.write(f"{path.name} is up to date.")
            return
        if current != text:
            path.write_text(text, encoding="utf-8")
        self.stdout.write(f"Wrote {path.name}.")
