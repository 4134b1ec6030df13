"""Domain events: one small frozen dataclass per kind of change (R-AUD-1).

An event type declares its wire name (`type`, the string stored on the timeline row and sent to
integrators), the version of its payload schema (`version`, stored on the row too), its fields
(each with a `doc` in the field metadata: what docs/events.md says about it) and `describe()`,
the timeline sentence. `payload()` is the JSON-ready dict; `from_payload()` reads it back, also
from rows written before a field existed (missing optional fields take their defaults).

`EVENT_TYPES` maps each wire name to its class; the order and payment apps fill it when Django
loads them (`@event_type`). A row whose type is unknown or whose payload does not read is shown
with a neutral sentence (`describe_row`), never an error.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import types
import typing
from decimal import Decimal
from typing import Any, ClassVar, Self, TypeVar, dataclass_transform

from django.utils.translation import gettext as _

EVENT_TYPES: dict[str, type[Event]] = {}
E = TypeVar("E", bound="type[Event]")


@dataclasses.dataclass(frozen=True)
class Change:
    """A value before and after the change; on the wire `{"from": …, "to": …}`."""

    before: Any
    after: Any

    def to_json(self) -> dict[str, Any]:
        return {"from": _json(self.before), "to": _json(self.after)}


def doc(text: str, *, default: Any = dataclasses.MISSING) -> Any:
    """A dataclass field with its documentation (what integrators read in docs/events.md)."""
    return dataclasses.field(metadata={"doc": text}, default=default)


def _json(value: Any) -> Any:
    if isinstance(value, Change):
        return value.to_json()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


@dataclasses.dataclass(frozen=True, kw_only=True)
class Event:
    """Base of every event type. Subclasses are `@event_type` classes that set `type` and `version`."""

    type: ClassVar[str]
    version: ClassVar[int] = 1
    # One line for docs/events.md: when the event happens.
    summary: ClassVar[str] = ""
    # A payload of this type as integrators receive it (docs/events.md; the tests read it back).
    example: ClassVar[dict[str, Any]] = {}

    def payload(self) -> dict[str, Any]:
        """The JSON-ready payload: every field, optional ones left out while unset (None)."""
        out: dict[str, Any] = {}
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if value is None and f.default is None:
                continue
            out[f.name] = _json(value)
        return out

    @classmethod
    def from_payload(cls, data: dict[str, Any], version: int = 1) -> Self:
        """The event a stored payload describes. Raises ValueError when it does not fit the type.

        `version` is the version the row was written with: a type that raises its version converts
        older payloads here before reading them.
        """
        if not isinstance(data, dict):
            raise ValueError("the payload is not an object")
        hints = _hints(cls)
        kwargs: dict[str, Any] = {}
        for f in dataclasses.fields(cls):
            if f.name not in data:
                if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
                    raise ValueError(f"the payload has no {f.name!r}")
                continue
            value = data[f.name]
            if _is_change(hints[f.name]):
                if isinstance(value, dict) and "from" in value and "to" in value:
                    value = Change(value["from"], value["to"])
                elif value is not None:
                    raise ValueError(f"{f.name!r} is not a change")
            kwargs[f.name] = value
        return cls(**kwargs)

    def describe(self) -> str:
        """The timeline sentence, in the active language (the actor and time are shown beside it)."""
        raise NotImplementedError


_HINTS: dict[type, dict[str, Any]] = {}


def _hints(cls: type) -> dict[str, Any]:
    """The evaluated field types of an event type (evaluated once: reading rows is a hot path)."""
    hints = _HINTS.get(cls)
    if hints is None:
        hints = _HINTS[cls] = typing.get_type_hints(cls)
    return hints


@functools.cache
def _is_change(hint: Any) -> bool:
    if hint is Change:
        return True
    if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union:
        return Change in typing.get_args(hint)
    return False


@dataclass_transform(kw_only_default=True, frozen_default=True, field_specifiers=(doc,))
def event_type(cls: E) -> E:
    """Class decorator: make `cls` a frozen keyword-only dataclass and put it in `EVENT_TYPES`."""
    cls = typing.cast(E, dataclasses.dataclass(frozen=True, kw_only=True)(cls))
    if cls.type in EVENT_TYPES and EVENT_TYPES[cls.type] is not cls:
        raise ValueError(f"two event types are named {cls.type!r}")
    EVENT_TYPES[cls.type] = cls
    return cls


def field_docs(cls: type[Event]) -> list[tuple[str, str, str, bool]]:
    """(name, type, meaning, required) of each payload field, for the generated documentation."""
    hints = typing.get_type_hints(cls)
    rows = []
    for f in dataclasses.fields(cls):
        hint = hints[f.name]
        text = _type_name(hint)
        required = f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
        rows.append((f.name, text, f.metadata.get("doc", ""), required))
    return rows


def _type_name(hint: Any) -> str:
    if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union:
        return " or ".join(_type_name(a) for a in typing.get_args(hint))
    names = {
        str: "string",
        int: "integer",
        bool: "boolean",
        type(None): "null",
        Change: '{"from", "to"}',
        Decimal: "decimal string",
    }
    return names.get(hint, getattr(hint, "__name__", str(hint)))


def read(type_: str, data: Any, version: int = 1) -> Event | None:
    """The typed event of a stored row, or None when its type is unknown or its payload does not fit."""
    cls = EVENT_TYPES.get(type_)
    if cls is None:
        return None
    try:
        return cls.from_payload(data, version)
    except (ValueError, TypeError):
        return None


def describe_row(type_: str, data: Any, version: int = 1) -> str:
    """The timeline sentence of a stored row; a neutral one for an unknown type or payload."""
    event = read(type_, data, version)
    if event is not None:
        try:
            return event.describe()
        except (ValueError, TypeError, KeyError, AttributeError):
            pass  # a stored value of an unexpected shape: the neutral sentence below
    return _("Change recorded: %(type)s.") % {"type": str(type_).replace("_", " ")}


DOC_HEADER = """\
# Events

<!-- Generated from the event types in the code by `sellerdesk eventsdoc`; do not edit by hand.
     `sellerdesk eventsdoc --check` (run by the tests) fails when this file is stale. -->

Every change to an order is recorded as one typed event (R-AUD-1). The same event is a row of
the order's timeline (`GET /api/v1/orders/{number}/events`, and the order page) and the payload
integrators receive. Each event carries:

| Field | Type | Meaning |
|---|---|---|
| `type` | string | The event type, one of those below. Never renamed. |
| `version` | integer | The version of the type's payload schema. A change that removes or re-types a field raises it; new optional fields do not. |
| `actor` | object | Who made the change: `kind` (staff, customer, system, integration) and `label`. |
| `data` | object | The payload, described for each type below. Optional fields are left out when unset. |
| `created_at` | string | When the change was recorded (ISO 8601). |
| `description` | string | The timeline sentence in the request's language (the events endpoint only). |

A `{"from", "to"}` field holds the value before and after the change.
"""


def render_doc() -> str:
    """docs/events.md, from `EVENT_TYPES` (types in alphabetical order)."""
    import json

    parts = [DOC_HEADER]
    for name in sorted(EVENT_TYPES):
        cls = EVENT_TYPES[name]
        parts.append(f"\n## `{name}` (version {cls.version})\n\n{cls.summary}\n")
        parts.append("\n| Field | Type | Required | Meaning |\n|---|---|---|---|\n")
        for field, type_name, meaning, required in field_docs(cls):
            type_cell = type_name.replace("|", "\\|")
            parts.append(f"| `{field}` | {type_cell} | {'yes' if required else 'no'} | {meaning} |\n")
        example = json.dumps(cls.example, indent=2, ensure_ascii=False)
        parts.append(f"\nExample `data`:\n\n```json\n{example}\n```\n")
    return "".join(parts)
