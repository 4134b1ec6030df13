"""The benchmark's record: machine, database, date, commit, data set, figures — as a table and JSON."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import platform
import subprocess
from pathlib import Path
from typing import Any

from django.db import connection

from .runner import Result


def _meminfo_mb() -> int | None:
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemTotal:"):
                    return int(line.split()[1]) // 1024
    except OSError:
        pass
    return None


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


def machine() -> dict[str, Any]:
    return {
        "cpus": os.cpu_count(),
        "cpu_model": _cpu_model(),
        "memory_mb": _meminfo_mb(),
        "os": platform.platform(),
        "python": platform.python_version(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }


def database() -> dict[str, Any]:
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("SHOW server_version")
            version = cur.fetchone()[0]
        else:
            cur.execute("SELECT sqlite_version()")
            version = cur.fetchone()[0]
    return {"vendor": connection.vendor, "version": version, "name": str(connection.settings_dict["NAME"])}


def commit() -> str:
    try:
        sha = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, timeout=5, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
            timeout=10,
        ).stdout.strip()
        return sha + ("+dirty" if dirty else "")
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def table(results: list[Result]) -> str:
    head = f"{'figure':<40} {'p50':>8} {'p95':>8} {'p99':>8} {'value':>12}  {'target':<28} result"
    lines = [head, "-" * len(head)]
    for r in results:

        def num(x: float | None) -> str:
            return "" if x is None else f"{x:g}"

        value = "" if r.value is None else f"{r.value:g} {r.unit if r.unit != 'ms' else 'ms'}"
        verdict = "—" if r.ok is None else "ok" if r.ok else "MISSED"
        if r.unit == "ms":
            row = f"{r.name:<40} {num(r.p50):>8} {num(r.p95):>8} {num(r.p99):>8} {'':>12}  {r.target:<28} {verdict}"
        else:
            row = f"{r.name:<40} {'':>8} {'':>8} {'':>8} {value:>12}  {r.target:<28} {verdict}"
        lines.append(row)
        if r.note and (r.ok is False or r.value is None and r.p95 is None):
            lines.append(f"{'':<4}{r.note}")
    return "\n".join(lines)


def markdown(rec: dict[str, Any]) -> str:
    """A written record as the Markdown table of docs/benchmarks.md (figures beside their targets)."""
    m, db, data = rec["machine"], rec["database"], rec["dataset"]
    lines = [
        f"*{db['vendor']} {db['version']}, {data.get('orders', 0):,} orders; {m['cpus']} CPUs "
        f"({m.get('cpu_model', '')}), {m.get('memory_mb', 0) / 1024:.0f} GB, Python {m.get('python', '')}; "
        f"{rec['date']}, commit {rec['commit']}; load average before "
        f"{rec['options'].get('load_before')}, after {m.get('load_average')}*",
        "",
        "| figure | p50 ms | p95 ms | p99 ms | value | target | result |",
        "|---|---:|---:|---:|---:|---|---|",
    ]
    for r in rec["results"]:
        is_ms = r["unit"] == "ms"
        cells = [f"{r[k]:g}" if is_ms and r.get(k) is not None else "" for k in ("p50", "p95", "p99")]
        value = "" if is_ms or r.get("value") is None else f"{r['value']:g} {r['unit']}"
        verdict = "—" if r.get("ok") is None else "ok" if r["ok"] else "**missed**"
        if r.get("note"):
            verdict = r["note"] if verdict == "—" else f"{verdict} — {r['note']}"
        lines.append(f"| {r['name']} | {' | '.join(cells)} | {value} | {r.get('target') or ''} | {verdict} |")
    return "\n".join(lines)


def write_json(directory: Path, record: dict[str, Any]) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d-%H%M")
    path = directory / f"{record['database']['vendor']}-{stamp}.json"
    path.write_text(json.dumps(record, indent=2, ensure_ascii=False, default=str) + "\n")
    return path


def record(results: list[Result], dataset: dict[str, Any], options: dict[str, Any]) -> dict[str, Any]:
    return {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "commit": commit(),
        "machine": machine(),
        "database": database(),
        "dataset": dataset,
        "options": options,
        "results": [dataclasses.asdict(r) for r in results],
    }
