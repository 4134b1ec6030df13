"""Carrier adapters behind one interface (R-FUL-4): `base.Carrier`; the registry is `registry.py`."""
