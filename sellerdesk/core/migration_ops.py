"""A migration operation that runs different SQL per database vendor."""

from __future__ import annotations

from typing import Any

from django.db.migrations.operations.base import Operation


class VendorSQL(Operation):
    reduces_to_sql = True
    reversible = True

    def __init__(
        self,
        *,
        sqlite: list[str] | None = None,
        postgresql: list[str] | None = None,
        reverse_sqlite: list[str] | None = None,
        reverse_postgresql: list[str] | None = None,
    ) -> None:
        self.forward = {"sqlite": sqlite or [], "postgresql": postgresql or []}
        self.backward = {"sqlite": reverse_sqlite or [], "postgresql": reverse_postgresql or []}

    def state_forwards(self, app_label: str, state: Any) -> None:
        pass

    def _run(self, schema_editor: Any, statements: dict[str, list[str]]) -> None:
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql, params=None)

    def database_forwards(self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any) -> None:
        self._run(schema_editor, self.forward)

    def database_backwards(self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any) -> None:
        self._run(schema_editor, self.backward)

    def describe(self) -> str:
        return "Vendor-specific SQL"
