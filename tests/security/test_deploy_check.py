"""`sellerdesk check --deploy` is clean once the TLS settings come from the environment (R-SEC-3)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

SELLERDESK = Path(sys.executable).with_name("sellerdesk")
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "k" * 20 + "-Vq9x!mZ2#pL7wR4tY8uE1oI6aS3dF5gH0jK",
    "ALLOWED_HOSTS": "desk.example.com",
    "HTTPS": "1",
    "SECURE_HSTS_PRELOAD": "1",
    "SECURE_PROXY_SSL_HEADER": "X-Forwarded-Proto",
    "CSRF_TRUSTED_ORIGINS": "https://desk.example.com",
}


def _check(env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    # The test run's own switches (make test allows async-unsafe calls for the browser tests) are
    # not a deployment's.
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in PRODUCTION and not k.startswith("SECURE_") and k != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    return subprocess.run(
        [str(SELLERDESK), "check", "--deploy", "--fail-level", "WARNING"],
        env={**clean, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_reports_nothing_with_the_tls_settings(tmp_path: Path) -> None:
    result = _check(PRODUCTION, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_without_https_check_deploy_names_what_is_missing(tmp_path: Path) -> None:
    result = _check({**PRODUCTION, "HTTPS": "0"}, tmp_path)
    assert result.returncode != 0
    for warning in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert warning in result.stderr + result.stdout, warning
