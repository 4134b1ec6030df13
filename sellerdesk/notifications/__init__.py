"""Notifications to staff (R-NOTE-1) and the delivery machinery every message goes through (R-NOTE-3).

`deliveries.queue(...)` writes one `Delivery` row in the caller's transaction; the worker hands it to
its channel (e-mail, SMS, in-app alert, Web Push) after commit, at most once per key. See
docs/notifications.md and decision record 0010.
"""
