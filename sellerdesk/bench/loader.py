"""Bulk writes for the generator: COPY on PostgreSQL, executemany in big transactions on SQLite.

Secondary indexes (and SQLite's FTS triggers) are dropped for the load and rebuilt after it,
which is several times faster than maintaining them row by row.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.db import connection
from django.db.models import Model


class TableWriter:
    """Writes rows of one model's table in a fixed column order.

    Columns the generator does not know (added by later migrations) get the field's default,
    so the generator keeps working as the schema grows; a callable default (a random token) is
    called for every row, since its values may have to be unique.
    """

    def __init__(self, model: type[Model], columns: Sequence[str], datetime_cols: Sequence[str] = ()):
        self.table = model._meta.db_table
        self.vendor = connection.vendor
        known = set(columns)
        extra_fields = [f for f in model._meta.concrete_fields if f.column not in known and not f.primary_key]
        self.columns = list(columns) + [f.column for f in extra_fields]
        self.extra: tuple[Any, ...] = tuple(self._default(f) for f in extra_fields)
        self.per_row = [i for i, f in enumerate(extra_fields) if callable(f.default)]
        self.per_row_fields = [extra_fields[i] for i in self.per_row]
        self.dt_idx = [i for i, c in enumerate(columns) if c in set(datetime_cols)]

    def _default(self, field: Any) -> Any:
        value = field.get_default()
        if field.get_internal_type() == "JSONField":
            return json.dumps(value)
        if self.vendor == "sqlite" and hasattr(value, "isoformat"):
            return value.replace(tzinfo=None).isoformat(" ")
        return value

    def _extra(self) -> tuple[Any, ...]:
        """The unknown columns' values for one row."""
        if not self.per_row:
            return self.extra
        cells = list(self.extra)
        for i, f in zip(self.per_row, self.per_row_fields, strict=True):
            cells[i] = self._default(f)
        return tuple(cells)

    def _sqlite_rows(self, rows: Iterable[tuple[Any, ...]]) -> Iterator[tuple[Any, ...]]:
        idx = self.dt_idx
        for row in rows:
            extra = self._extra()
            if idx:
                cells = list(row)
                for i in idx:
                    v = cells[i]
                    if v is not None:
                        cells[i] = v.replace(tzinfo=None).isoformat(" ")
                yield tuple(cells) + extra
            else:
                yield row + extra

    def write(self, rows: list[tuple[Any, ...]]) -> None:
        if not rows:
            return
        cols = ", ".join(self.columns)
        raw = connection.connection
        if self.vendor == "postgresql":
            with raw.cursor() as cur, cur.copy(f"COPY {self.table} ({cols}) FROM STDIN") as copy:
                if self.extra:
                    for row in rows:
                        copy.write_row(row + self._extra())
                else:
                    for row in rows:
                        copy.write_row(row)
        else:
            marks = ", ".join("?" * len(self.columns))
            cur = raw.cursor()
            try:
                cur.executemany(
                    f"INSERT INTO {self.table} ({cols}) VALUES ({marks})", self._sqlite_rows(rows)
                )
            finally:
                cur.close()


def next_id(model: type[Model]) -> int:
    with connection.cursor() as cur:
        cur.execute(f"SELECT COALESCE(MAX(id), 0) FROM {model._meta.db_table}")
        return int(cur.fetchone()[0]) + 1


def reset_sequences(models: Iterable[type[Model]]) -> None:
    """After explicit ids: move each identity sequence past the largest id (PostgreSQL)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cur:
        for model in models:
            table = model._meta.db_table
            cur.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
            )


def _pg_secondary_indexes(tables: list[str]) -> list[tuple[str, str]]:
    with connection.cursor() as cur:
        cur.execute(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i "
            "WHERE i.schemaname = current_schema() AND i.tablename = ANY(%s) "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)",
            [tables],
        )
        return list(cur.fetchall())


def _sqlite_objects(tables: list[str]) -> list[tuple[str, str, str]]:
    marks = ", ".join(["%s"] * len(tables))
    with connection.cursor() as cur:
        cur.execute(
            f"SELECT type, name, sql FROM sqlite_master WHERE type IN ('index', 'trigger') "
            f"AND sql IS NOT NULL AND tbl_name IN ({marks})",
            tables,
        )
        return list(cur.fetchall())


def _sqlite_fts_tables(tables: list[str]) -> list[str]:
    with connection.cursor() as cur:
        cur.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL%%'"
        )
        return [
            name
            for name, sql in cur.fetchall()
            if any(f"content='{t}'" in sql.replace('"', "'") for t in tables)
        ]


@contextlib.contextmanager
def indexes_dropped(models: list[type[Model]], out: Any = None) -> Iterator[None]:
    """Drop the secondary indexes (and SQLite triggers) of `models` for a bulk load; rebuild after."""
    tables = [m._meta.db_table for m in models]
    say = out or (lambda msg: None)
    if connection.vendor == "postgresql":
        saved = _pg_secondary_indexes(tables)
        with connection.cursor() as cur:
            for name, _ in saved:
                cur.execute(f'DROP INDEX IF EXISTS "{name}"')
        try:
            yield
        finally:
            say(f"rebuilding {len(saved)} indexes …")
            with connection.cursor() as cur:
                cur.execute("SET maintenance_work_mem = '512MB'")
                for _, ddl in saved:
                    cur.execute(ddl)
                cur.execute("RESET maintenance_work_mem")
                for table in tables:
                    cur.execute(f"ANALYZE {table}")
    else:
        saved_sqlite = _sqlite_objects(tables)
        fts = _sqlite_fts_tables(tables)
        with connection.cursor() as cur:
            for kind, name, _ in saved_sqlite:
                cur.execute(f'DROP {kind.upper()} IF EXISTS "{name}"')
        try:
            yield
        finally:
            say(f"rebuilding {len(saved_sqlite)} indexes and triggers, {len(fts)} search tables …")
            with connection.cursor() as cur:
                for _, _, ddl in saved_sqlite:
                    cur.execute(ddl)
                for name in fts:
                    cur.execute(f"INSERT INTO {name}({name}) VALUES ('rebuild')")
                cur.execute("ANALYZE")


@contextlib.contextmanager
def fast_session() -> Iterator[None]:
    """Session settings for a bulk load; each chunk still commits (a crash loses one chunk)."""
    with connection.cursor() as cur:
        if connection.vendor == "sqlite":
            cur.execute("PRAGMA synchronous = OFF")
            cur.execute("PRAGMA cache_size = -262144")
            cur.execute("PRAGMA temp_store = MEMORY")
        else:
            cur.execute("SET synchronous_commit = off")
    try:
        yield
    finally:
        with connection.cursor() as cur:
            if connection.vendor == "sqlite":
                cur.execute("PRAGMA synchronous = NORMAL")
            else:
                cur.execute("SET synchronous_commit = on")
