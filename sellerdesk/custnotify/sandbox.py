"""The sandbox customer templates render in (R-NOTE-2, R-PROC-4).

A template engine of its own: no loaders (nothing to include or extend), no `{% load %}`, and
only a short list of tags and filters — those that format the values they are given. Django's
template language already refuses names that start with an underscore, so the only things a
template can reach are the values of `customer_context`, which are plain strings, numbers, lists
and dicts. A tag that is not on the list (`include`, `extends`, `load`, `debug`, `url`, `csrf_token`,
`ssi`, …) is a syntax error, which the editor shows as a form error.

Output is plain text (e-mail text part and SMS), so autoescaping is off.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Any

from django import template
from django.template import defaultfilters, defaulttags
from django.template.engine import Engine

MAX_SUBJECT = 200
MAX_BODY = 5000
MAX_OUTPUT = 20000

register = template.Library()

SAFE_TAGS = ("if", "for", "with", "comment", "firstof", "spaceless", "cycle", "templatetag", "verbatim")
SAFE_FILTERS = (
    "add",
    "capfirst",
    "center",
    "cut",
    "default",
    "default_if_none",
    "first",
    "join",
    "last",
    "length",
    "length_is",
    "ljust",
    "lower",
    "make_list",
    "pluralize",
    "rjust",
    "slice",
    "title",
    "truncatechars",
    "truncatewords",
    "upper",
    "wordcount",
    "wordwrap",
    "yesno",
    "linenumbers",
    "floatformat",
    "divisibleby",
)
for _name in SAFE_TAGS:
    if _name in defaulttags.register.tags:
        register.tag(_name, defaulttags.register.tags[_name])
for _name in SAFE_FILTERS:
    if _name in defaultfilters.register.filters:
        register.filters[_name] = defaultfilters.register.filters[_name]


class SandboxEngine(Engine):
    default_builtins: list[str] = []  # not Django's tags, filters and loader tags


ENGINE = SandboxEngine(
    dirs=[],
    app_dirs=False,
    loaders=[],
    libraries={},
    builtins=["sellerdesk.custnotify.sandbox"],
    autoescape=False,
    string_if_invalid="",
    debug=False,
)

TemplateSyntaxError = template.TemplateSyntaxError


class TemplateRenderError(Exception):
    """A template that parses but fails while it is filled in (e.g. `{{ lines.0.count }}` on a value
    that has no such thing): refused when saved, replaced by the default text when sent."""


def freeze(value: Any) -> Any:
    """Read-only copies: dicts become mapping proxies and lists tuples, so that a template that
    calls `pop` or `clear` cannot change what it (or the next template) sees."""
    if isinstance(value, dict):
        return MappingProxyType({k: freeze(v) for k, v in value.items()})
    if isinstance(value, list | tuple):
        return tuple(freeze(v) for v in value)
    return value


def compile_template(source: str) -> template.Template:
    """Parse `source` in the sandbox; raises TemplateSyntaxError (shown as a form error)."""
    return ENGINE.from_string(source)


def check(source: str) -> str | None:
    """The parse error of `source` in words, or None when it compiles."""
    try:
        compile_template(source)
    except TemplateSyntaxError as exc:
        return str(exc)
    except (ValueError, TypeError, OverflowError, RecursionError) as exc:
        return str(exc) or exc.__class__.__name__
    return None


def render(source: str, context: dict[str, Any]) -> str:
    """`source` rendered with a read-only copy of `context`, cut to MAX_OUTPUT characters.

    Raises TemplateSyntaxError when it does not parse, TemplateRenderError when it fails later.
    """
    compiled = compile_template(source)
    try:
        out = compiled.render(template.Context(freeze(context), autoescape=False))
    except Exception as exc:  # noqa: BLE001  any failure of a seller's template is the template's
        raise TemplateRenderError(str(exc) or exc.__class__.__name__) from exc
    return out[:MAX_OUTPUT]
