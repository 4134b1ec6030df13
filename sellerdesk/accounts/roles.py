"""Staff roles and what each may do. Pure data; no ORM (labels are lazily translated)."""

from __future__ import annotations

from enum import StrEnum

from django.utils.translation import gettext_lazy as _


class Role(StrEnum):
    OWNER = "owner"
    ADMINISTRATOR = "administrator"
    MANAGER = "manager"
    VIEWER = "viewer"


ROLE_LABELS = {
    Role.OWNER: _("Owner"),
    Role.ADMINISTRATOR: _("Administrator"),
    Role.MANAGER: _("Manager"),
    Role.VIEWER: _("Viewer"),
}
ROLE_CHOICES = [(r.value, ROLE_LABELS[r]) for r in Role]

# Permission -> roles that hold it. A viewer reads everything of its seller and acts on nothing.
PERMISSIONS: dict[str, frozenset[Role]] = {
    "order.read": frozenset(Role),
    "order.act": frozenset({Role.OWNER, Role.ADMINISTRATOR, Role.MANAGER}),
    "order.place": frozenset({Role.OWNER, Role.ADMINISTRATOR, Role.MANAGER}),
    "order.assign": frozenset({Role.OWNER, Role.ADMINISTRATOR, Role.MANAGER}),
    "stock.write": frozenset({Role.OWNER, Role.ADMINISTRATOR}),
    "apikey.manage": frozenset({Role.OWNER, Role.ADMINISTRATOR}),
    # The seller's settings: ship-from details, the shipping policy, carrier accounts and secrets.
    "settings.manage": frozenset({Role.OWNER, Role.ADMINISTRATOR}),
    "metrics.configure": frozenset({Role.OWNER, Role.ADMINISTRATOR}),  # own metric limits (R-SLA-5)
    "delivery.resend": frozenset(
        {Role.OWNER, Role.ADMINISTRATOR}
    ),  # a failed or unknown notification (R-NOTE-3)
}


def can(role: str, permission: str) -> bool:
    return Role(role) in PERMISSIONS[permission]
