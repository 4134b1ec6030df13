"""Outgoing webhooks (R-NOTE-7): subscriptions, the fan-out of events, signed deliveries."""
