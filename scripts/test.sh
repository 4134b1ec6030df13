#!/usr/bin/env bash
# The whole suite, twice: on SQLite, then on PostgreSQL when one is reachable.
# Under CI=true an unreachable PostgreSQL is a failure, not a skip. Extra arguments go to pytest.
set -uo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
PG_URL="${DATABASE_URL_POSTGRES:-postgres://postgres@127.0.0.1:5432/test}"
mkdir -p var
export DJANGO_ALLOW_ASYNC_UNSAFE=true
# The browser tests drive Debian's Chromium; this is a no-op when it is installed.
scripts/install-chromium.sh || echo "Chromium could not be installed: the browser tests will fail or skip." >&2

run_leg() {  # name, database url, pytest args…
  local name=$1 url=$2; shift 2
  echo "=== $name: pytest $*"
  DATABASE_URL="$url" "$BIN/pytest" "$@"
  local rc=$?
  if [ $rc -eq 5 ]; then echo "($name: no tests collected)"; rc=0; fi
  return $rc
}

status=0
run_leg "SQLite" "sqlite:///var/sellerdesk-test-main.sqlite3" "$@" || status=1

if "$BIN/python" - "$PG_URL" <<'PY'
import sys, psycopg
try:
    psycopg.connect(sys.argv[1], connect_timeout=3).close()
except Exception as exc:
    print(f"PostgreSQL unreachable: {exc}", file=sys.stderr)
    sys.exit(1)
PY
then
  run_leg "PostgreSQL" "$PG_URL" "$@" || status=1
  # The read replica's router (tests/test_replica.py): a second connection to the same server.
  DATABASE_REPLICA_URL="$PG_URL" run_leg "PostgreSQL, read replica" "$PG_URL" tests/test_replica.py || status=1
elif [ "${CI:-}" = "true" ]; then
  echo "CI=true and PostgreSQL ($PG_URL) is unreachable: failing." >&2
  status=1
else
  echo "PostgreSQL ($PG_URL) unreachable: its leg is skipped (set CI=true to make this a failure)." >&2
fi
exit $status
