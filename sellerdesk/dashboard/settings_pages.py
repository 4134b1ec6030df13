"""The seller's settings pages: the one table the side menu's "Settings" entry, the settings index
page and its tests read. A new settings page is a row here (and its route under /settings/)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from sellerdesk.accounts.roles import can
from sellerdesk.custnotify import services as custnotify
from sellerdesk.webhooks import services as webhooks

from .views import shipping_settings


@dataclass(frozen=True)
class SettingsPage:
    url_name: str  # the page's route in the dashboard's namespace
    label: Promise
    description: Promise  # one line on the settings index
    icon: str  # a character the page's fonts have
    permission: str | None  # what the page's view requires (None: everyone of the seller)


SETTINGS_PAGES: tuple[SettingsPage, ...] = (
    SettingsPage(
        "notification_settings",
        _("Notifications"),
        _("What you are told about, on which channels and in which language."),
        "✉",
        None,
    ),
    SettingsPage(
        "deadline_settings",
        _("Deadlines"),
        _("Business days, days off, the confirm and ship deadlines and what a missed one does."),
        "◷",
        "order.read",
    ),
    SettingsPage(
        "shipping_settings",
        _("Shipping"),
        _("Ship-from details, shipping unpaid orders and carrier accounts."),
        "⚙",
        shipping_settings.PERMISSION,
    ),
    SettingsPage(
        "customer_notifications",
        _("Customer notifications"),
        _("The e-mails and SMS your customers get, per event and language."),
        "☏",
        custnotify.PERMISSION,
    ),
    SettingsPage(
        "webhooks",
        _("Webhooks"),
        _("Events sent to your own systems, with the log of each delivery."),
        "⇉",
        webhooks.PERMISSION,
    ),
)


def pages_for(role: str) -> list[SettingsPage]:
    """The settings pages a role may open, in the table's order."""
    return [p for p in SETTINGS_PAGES if p.permission is None or can(role, p.permission)]
