"""`sellerdesk serve --with-worker`: one command starts web + worker; SIGTERM stops both."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from http.client import HTTPConnection
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Generous bounds: this test is about what happens, not how fast (a busy CI machine is slow to start
# a Python process); each wait ends as soon as its condition holds.
WAIT = 60


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(port: int) -> int:
    conn = HTTPConnection("127.0.0.1", port, timeout=2)
    try:
        conn.request("GET", "/login")
        return conn.getresponse().status
    finally:
        conn.close()


def _descendants(pid: int) -> set[int]:
    """Every process below `pid`, read from /proc."""
    parent_of = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            parent_of[int(entry)] = int(stat.rsplit(")", 1)[1].split()[1])
    found, frontier = set(), {pid}
    while frontier:
        frontier = {p for p, pp in parent_of.items() if pp in frontier} - found
        found |= frontier
    return found


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie is gone for our purpose (its parent is about to reap it)
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "Ctrl-C"])
def test_serve_with_worker_answers_then_a_stop_signal_leaves_no_process(
    tmp_path: Path, stop: signal.Signals
) -> None:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path}/serve.sqlite3",
        "DEBUG": "0",
        "SECRET_KEY": "test-only-secret-key-for-the-serve-test-0123456789",
        "ALLOWED_HOSTS": "127.0.0.1",
        "WORKER_GRACE_SECONDS": "5",
    }
    run = [sys.executable, "-m", "sellerdesk"]
    subprocess.run(
        [
            *run,
            "shell",
            "-c",
            "from django.core.management import call_command; call_command('migrate', verbosity=0); "
            "from sellerdesk.accounts.models import Marketplace, Seller; "
            "Seller.objects.create(marketplace=Marketplace.objects.create(name='M', slug='m'), "
            "name='North', slug='north')",
        ],
        cwd=ROOT,
        env=env,
        check=True,
    )
    port = _free_port()
    serve = subprocess.Popen(
        [*run, "serve", "--with-worker", "--port", str(port), "--workers", "1"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + WAIT
        while True:
            try:
                _get(port)
                break  # it answered (any status)
            except OSError:
                assert time.monotonic() < deadline, "the server never answered"
                assert serve.poll() is None, "serve exited"
                time.sleep(0.1)
        children = _descendants(serve.pid)
        cmdlines = [Path(f"/proc/{p}/cmdline").read_bytes() for p in children]
        assert any(b"gunicorn" in c for c in cmdlines) and any(b"worker" in c for c in cmdlines)
        serve.send_signal(stop)
        serve.wait(timeout=WAIT)
        deadline = time.monotonic() + WAIT
        while any(_alive(p) for p in children) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert [p for p in children if _alive(p)] == []
        with pytest.raises(OSError):
            _get(port)
    finally:
        if serve.poll() is None:
            serve.kill()
    out = serve.stdout.read() if serve.stdout else ""
    assert f"127.0.0.1:{port}" in out
    # DEBUG off: the demo's logins, password and API key are not printed even if its seller exists
    assert "password" not in out and "API key" not in out and "sd_demo" not in out
