"""`make test` says up front what it is missing (scripts/preflight.sh), each with how to get it."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "preflight.sh"


def _fake_python(tmp_path: Path, version: str, *, ensurepip: bool) -> Path:
    """A stand-in interpreter that reports `version` and may lack the venv module."""
    fake = tmp_path / "python3"
    refuse = "" if ensurepip else 'case "$*" in *ensurepip*) exit 1;; esac\n'
    major, minor = (int(x) for x in version.split(".")[:2])
    fake.write_text(
        "#!/bin/sh\n"
        f"{refuse}"
        f'case "$*" in *version_info\\ \\<*) exit {int((major, minor) < (3, 11))};; '
        f"*version_info*) echo {version}; exit 0;; esac\n"
        f'exec {sys.executable} "$@"\n'
    )
    fake.chmod(0o755)
    return fake


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _run(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    # Run a copy outside the working copy so that an existing .venv does not hide a missing venv module.
    copy = tmp_path / "repo" / "scripts"
    copy.mkdir(parents=True)
    (copy / "preflight.sh").write_text(SCRIPT.read_text())
    (copy / "preflight.sh").chmod(0o755)
    return subprocess.run(
        [str(copy / "preflight.sh")],
        env={**os.environ, "CI": "", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_an_old_python_is_named_and_stops(tmp_path: Path) -> None:
    result = _run(tmp_path, PY=str(_fake_python(tmp_path, "3.9.2", ensurepip=True)))
    assert result.returncode == 1
    assert "Python 3.9.2" in result.stderr and "3.11 or later" in result.stderr


def test_a_missing_venv_module_is_named_with_its_package(tmp_path: Path) -> None:
    result = _run(tmp_path, PY=str(_fake_python(tmp_path, "3.11.4", ensurepip=False)))
    assert result.returncode == 1
    assert "python3-venv" in result.stderr


def test_an_unreachable_postgresql_is_named_without_its_password(tmp_path: Path) -> None:
    url = f"postgres://u:s3cret@127.0.0.1:{_closed_port()}/x"
    result = _run(tmp_path, PY=sys.executable, DATABASE_URL_POSTGRES=url)
    assert result.returncode == 0  # the SQLite leg still runs
    assert "PostgreSQL" in result.stderr and "only the SQLite leg" in result.stderr
    assert "s3cret" not in result.stdout + result.stderr
    under_ci = _run(tmp_path / "ci", PY=sys.executable, DATABASE_URL_POSTGRES=url, CI="true")
    assert under_ci.returncode == 1


def test_chromium_is_checked(tmp_path: Path) -> None:
    result = _run(tmp_path, PY=sys.executable, CHROMIUM=str(tmp_path / "no-chromium"))
    assert "Chromium" in result.stdout + result.stderr
    assert "no-chromium" in result.stdout + result.stderr
