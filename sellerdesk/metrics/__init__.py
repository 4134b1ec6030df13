"""Seller metrics (R-SLA-5): how the seller performs against the marketplace's limits."""
