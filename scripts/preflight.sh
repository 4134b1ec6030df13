#!/usr/bin/env bash
# What `make test` needs, checked up front, each with how to get it:
#   Python >= 3.11 with its venv module (Debian: python3-venv), for .venv;
#   Chromium at /usr/bin/chromium for the browser tests (installed by `make browsers`: root or sudo);
#   a reachable PostgreSQL (DATABASE_URL_POSTGRES) for the suite's second leg.
# Missing Python or venv stops here. Missing Chromium or PostgreSQL is reported; under CI=true it
# stops here too. Exit status: 0 when the suite can run, 1 otherwise.
set -uo pipefail
cd "$(dirname "$0")/.."
PY="${PY:-python3}"
CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
PG_URL="${DATABASE_URL_POSTGRES:-postgres://postgres@127.0.0.1:5432/test}"
PG_WHERE="${PG_URL##*@}"  # host:port/db, without user or password
status=0
ok() { printf '  ok       %s\n' "$1"; }
missing() { printf '  MISSING  %s\n' "$1" >&2; }
note() { printf '  note     %s\n' "$1" >&2; }

echo "make test needs:"
version=$("$PY" -c 'import sys; print("%d.%d.%d" % sys.version_info[:3])' 2>/dev/null)
if [ -z "$version" ]; then
  missing "Python: '$PY' does not run; install Python 3.11 or later (or run make PY=/path/to/python3.11 test)"
  exit 1
fi
if ! "$PY" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  missing "Python $version ('$PY') is too old: 3.11 or later is needed (make PY=/path/to/python3.11 test)"
  exit 1
fi
ok "Python $version ($PY)"

if [ -x .venv/bin/python ]; then
  ok "virtualenv .venv exists"
elif "$PY" -c 'import venv, ensurepip' 2>/dev/null; then
  ok "Python's venv module (to create .venv)"
else
  missing "Python's venv module: on Debian/Ubuntu install it with: sudo apt-get install python3-venv"
  exit 1
fi

if [ -x "$CHROMIUM" ]; then
  ok "Chromium ($CHROMIUM) for the browser tests"
elif [ "$(id -u)" -eq 0 ] || sudo -n true 2>/dev/null; then
  note "Chromium ($CHROMIUM) is not installed: it is installed now from Debian's package (root/sudo)"
else
  missing "Chromium ($CHROMIUM): the browser tests fail without it; install Debian's 'chromium' package (make browsers, needs root or sudo)"
  [ "${CI:-}" = "true" ] && status=1
fi

if "$PY" - "$PG_URL" <<'PY' 2>/dev/null
import socket, sys
from urllib.parse import urlsplit
url = urlsplit(sys.argv[1])
try:
    socket.create_connection((url.hostname or "127.0.0.1", url.port or 5432), timeout=3).close()
except OSError:
    sys.exit(1)
PY
then
  ok "PostgreSQL at $PG_WHERE answers (the second leg runs there)"
elif [ "${CI:-}" = "true" ]; then
  missing "PostgreSQL at $PG_WHERE does not answer: CI=true needs both legs (set DATABASE_URL_POSTGRES)"
  status=1
else
  missing "PostgreSQL at $PG_WHERE does not answer: only the SQLite leg will run (set DATABASE_URL_POSTGRES to a server where the user may create databases)"
fi
exit $status
