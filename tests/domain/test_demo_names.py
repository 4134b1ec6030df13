"""Demo customers' surnames agree with their first names (no "Boris Smirnova")."""

from __future__ import annotations

import random

from sellerdesk.core.demo import FEMALE, person_name


def test_surname_form_follows_the_first_name() -> None:
    rng = random.Random(3)
    names = [person_name(rng) for _ in range(500)]
    for name in names:
        first, last = name.split(" ", 1)
        russian = last.endswith(("ov", "ev", "in", "ova", "eva", "ina"))
        if russian:
            assert last.endswith("a") == (first in FEMALE), name
    assert any(n.startswith("Anna ") and n.endswith("ova") for n in names)
    assert any(n.startswith("Ivan ") and n.endswith("ov") for n in names)
