#!/usr/bin/env bash
# The whole suite on SQLite and on PostgreSQL when one is reachable: the two legs run at once, each
# in its own pytest process (a leg is mostly one busy core). Each leg's output goes to
# var/test-logs/<leg>.log and is printed whole when the leg ends; the status fails if either fails.
# The PostgreSQL leg runs only the tests that use the database (SELLERDESK_DB_TESTS_ONLY, see
# tests/conftest.py): a test without one gives the same answer on both, so it runs once, on SQLite.
# Under CI=true an unreachable PostgreSQL is a failure, not a skip. Extra arguments go to pytest.
# SELLERDESK_TEST_SERIAL=1 runs the legs one after the other (a one-core machine).
set -uo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
PG_URL="${DATABASE_URL_POSTGRES:-postgres://postgres@127.0.0.1:5432/test}"
LOGS=var/test-logs
mkdir -p "$LOGS"
export DJANGO_ALLOW_ASYNC_UNSAFE=true
# The browser tests drive Debian's Chromium; this is a no-op when it is installed.
scripts/install-chromium.sh || echo "Chromium could not be installed: the browser tests will fail or skip." >&2

run_leg() {  # name, database url, pytest args…
  local name=$1 url=$2; shift 2
  echo "=== $name: pytest $*"
  local started=$SECONDS
  DATABASE_URL="$url" "$BIN/pytest" "$@"
  local rc=$?
  if [ $rc -eq 5 ]; then echo "($name: no tests collected)"; rc=0; fi
  echo "=== $name: $((SECONDS - started)) s, exit status $rc"
  return $rc
}

postgres_legs() {  # pytest args…
  local status=0
  SELLERDESK_DB_TESTS_ONLY=1 run_leg "PostgreSQL" "$PG_URL" "$@" || status=1
  # The read replica's router (tests/test_replica.py): a second connection to the same server.
  DATABASE_REPLICA_URL="$PG_URL" run_leg "PostgreSQL, read replica" "$PG_URL" tests/test_replica.py || status=1
  return $status
}

status=0
declare -A legs=()  # pid (= its process group) → log name
# Job control: each leg gets a process group of its own, so that Ctrl-C (or a TERM to this script)
# reaches every leg, pytest and what it started, as the SIGINT that pytest cleans up after.
set -m
stop_legs() {
  trap - INT TERM
  local pid tries
  for pid in "${!legs[@]}"; do kill -INT -- "-$pid" 2>/dev/null; done
  for tries in {1..20}; do  # pytest stops its test and reports; a leg that ignores INT gets TERM
    for pid in "${!legs[@]}"; do kill -0 -- "-$pid" 2>/dev/null && break; pid=; done
    [ -z "$pid" ] && break
    sleep 0.5
  done
  for pid in "${!legs[@]}"; do kill -TERM -- "-$pid" 2>/dev/null; done
  wait
  echo "Interrupted: the legs' output so far is in $LOGS/." >&2
  exit 130
}
trap stop_legs INT TERM
start() {  # log name, command…
  local log=$1; shift
  if [ "${SELLERDESK_TEST_SERIAL:-}" = "1" ]; then
    "$@" || status=1
  else
    "$@" >"$LOGS/$log.log" 2>&1 &
    legs[$!]=$log
  fi
}

start sqlite run_leg "SQLite" "sqlite:///var/sellerdesk-test-main.sqlite3" "$@"

if "$BIN/python" - "$PG_URL" <<'PY'
import sys, psycopg
try:
    psycopg.connect(sys.argv[1], connect_timeout=3).close()
except Exception as exc:
    print(f"PostgreSQL unreachable: {exc}", file=sys.stderr)
    sys.exit(1)
PY
then
  start postgresql postgres_legs "$@"
elif [ "${CI:-}" = "true" ]; then
  echo "CI=true and PostgreSQL ($PG_URL) is unreachable: failing." >&2
  status=1
else
  echo "PostgreSQL ($PG_URL) unreachable: its leg is skipped (set CI=true to make this a failure)." >&2
fi

if [ ${#legs[@]} -gt 0 ]; then
  echo "Running at once: $(printf '%s\n' "${legs[@]}" | sort -r | xargs) (follow with: tail -f $LOGS/*.log)"
fi
while [ ${#legs[@]} -gt 0 ]; do
  if ((BASH_VERSINFO[0] * 100 + BASH_VERSINFO[1] >= 501)); then
    wait -n -p pid "${!legs[@]}"  # the first leg to end is printed first
    rc=$?
  else
    for pid in "${!legs[@]}"; do break; done
    wait "$pid"
    rc=$?
  fi
  cat "$LOGS/${legs[$pid]}.log"
  [ $rc -eq 0 ] || status=1
  unset "legs[$pid]"
done
exit $status
