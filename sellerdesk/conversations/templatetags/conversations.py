"""The order page's pieces of conversations, each included with one line:
`{% include "conversations/order.html" %}` (thread and feedback) and
`{% include "conversations/customer_counts.html" %}` (feedback and complaint counts among the
customer panel's facts, R-PROC-8) and `{% include "conversations/customer_trust.html" %}`
(the complaints and the form to file one, R-NOTE-6)."""

from __future__ import annotations

from typing import Any

from django import template

from sellerdesk.accounts.roles import can

from .. import rules, selectors
from ..views import thread_context

register = template.Library()


@register.inclusion_tag("conversations/_order.html", takes_context=True)
def order_conversation(context: template.Context) -> dict[str, Any]:
    request, order = context["request"], context["order"]
    ctx = thread_context(request, order)
    ctx["feedback_state"] = selectors.feedback_state(order, ctx["thread"])
    ctx["request"] = request
    ctx["csrf_token"] = context.get("csrf_token")
    return ctx


def _trust(context: template.Context) -> dict[str, Any]:
    """Computed once per request: the page includes its two parts (counts, complaints)."""
    request, order = context["request"], context["order"]
    cached = getattr(request, "_conversation_trust", None)
    if cached is not None and cached["order"] is order:
        return cached
    complaints = list(selectors.visible_complaints(order.customer)[:50])
    request._conversation_trust = {
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "order": order,
        "seller": context.get("seller"),
        "feedback_left": selectors.feedback_left_count(order.customer),
        "complaints": complaints,
        "complaint_count": len(complaints)
        if len(complaints) < 50
        else selectors.visible_complaints(order.customer).count(),
        "may_complain": can(request.user.role, "order.act"),
        "complaint_choices": rules.COMPLAINT_CHOICES,
        "complaint_max": rules.MAX_COMPLAINT,
    }
    return request._conversation_trust  # type: ignore[no-any-return]  # an attribute this module sets on the request


@register.inclusion_tag("conversations/_customer_counts.html", takes_context=True)
def customer_counts(context: template.Context) -> dict[str, Any]:
    return _trust(context)


@register.inclusion_tag("conversations/_customer_trust.html", takes_context=True)
def customer_trust(context: template.Context) -> dict[str, Any]:
    return _trust(context)


@register.filter
def complaint_label(kind: str) -> str:
    return rules.complaint_label(kind)
