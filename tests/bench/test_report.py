"""The benchmark's Markdown table (docs/benchmarks.md is written from it)."""

from __future__ import annotations

from sellerdesk.bench import report


def test_markdown_puts_each_figure_beside_its_target_and_verdict() -> None:
    rec = {
        "date": "2026-11-22T08:00:00+00:00",
        "commit": "abc1234",
        "machine": {
            "cpus": 2,
            "cpu_model": "Xeon",
            "memory_mb": 24576,
            "python": "3.11.7",
            "load_average": [1, 1, 1],
        },
        "database": {"vendor": "postgresql", "version": "15.20"},
        "dataset": {"orders": 1_000_000},
        "options": {"load_before": [0.5, 0.5, 0.5]},
        "results": [
            {
                "name": "list: newest page",
                "unit": "ms",
                "p50": 21.3,
                "p95": 32.2,
                "p99": 42.0,
                "value": None,
                "target": "p95 ≤ 50 ms",
                "ok": True,
                "note": "",
            },
            {
                "name": "placement, 4 clients",
                "unit": "orders/s",
                "p50": 60,
                "p95": 91,
                "p99": None,
                "value": 83.2,
                "target": "≥ 500 orders/s",
                "ok": False,
                "note": "1000 orders in 12.0 s",
            },
            {
                "name": "placement, 1 client",
                "unit": "orders/s",
                "value": 51.8,
                "target": "",
                "ok": None,
                "note": "500 orders in 9.7 s",
            },
        ],
    }
    text = report.markdown(rec)
    assert "postgresql 15.20, 1,000,000 orders; 2 CPUs (Xeon), 24 GB" in text
    assert "| list: newest page | 21.3 | 32.2 | 42 |  | p95 ≤ 50 ms | ok |" in text
    assert (
        "| placement, 4 clients |  |  |  | 83.2 orders/s | ≥ 500 orders/s | **missed** — 1000 orders in 12.0 s |"
        in text
    )
    assert "| placement, 1 client |  |  |  | 51.8 orders/s |  | 500 orders in 9.7 s |" in text
