#!/usr/bin/env bash
# Run the whole test suite: (a) on SQLite, (b) on a throwaway MariaDB, (c) the Chromium
# browser tests. Every part runs even when an earlier one fails; the exit status is
# non-zero if any part failed, and a summary is printed at the end.
# Expects .venv with requirements-test.txt and the system packages
# (make test takes care of both).
set -uo pipefail

ROOT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT_DIR"

PYTHON="${PYTHON:-$ROOT_DIR/.venv/bin/python}"
PYTEST=("$PYTHON" -m pytest -p no:cacheprovider)
CHROMIUM="${CHROMIUM_PATH:-/usr/bin/chromium}"

declare -a NAMES=() RESULTS=()
failed=0
mariadb_started=""

record() {
    # record NAME STATUS-TEXT OK(0|1)
    NAMES+=("$1")
    RESULTS+=("$2")
    if [[ "$3" -ne 0 ]]; then failed=1; fi
}

pytest_result() {
    # Describe pytest exit code $1 (exit code 5, "no tests collected", is a failure here).
    case "$1" in
        0) echo "passed" ;;
        1) echo "FAILED (tests failed)" ;;
        5) echo "FAILED (no tests collected)" ;;
        *) echo "FAILED (pytest exit code $1)" ;;
    esac
}

stop_mariadb() {
    if [[ -n "$mariadb_started" ]]; then
        mariadb_started=""
        "$ROOT_DIR/scripts/mariadb.sh" stop || echo "test-all: warning: stopping MariaDB failed" >&2
    fi
}
child=""
run() {
    # Run a command as a waited-for child, so that a signal to this script is handled
    # at once (stop the child, stop MariaDB) instead of after the child finishes.
    "$@" &
    child=$!
    wait "$child"
    local rc=$?
    child=""
    return "$rc"
}
on_signal() {
    if [[ -n "$child" ]]; then
        kill -TERM "$child" 2>/dev/null
        wait "$child" 2>/dev/null
    fi
    exit "$1"
}
trap stop_mariadb EXIT
trap 'on_signal 129' HUP
trap 'on_signal 130' INT
trap 'on_signal 143' TERM
trap 'exec >/dev/null 2>&1; on_signal 141' PIPE   # output went away (e.g. `| head`)

banner() { printf '\n===== %s =====\n' "$*"; }

# a) SQLite (the suite uses a temporary SQLite file when TEST_DATABASE_URL is unset)
banner "a) tests on SQLite"
run env -u TEST_DATABASE_URL "${PYTEST[@]}" tests --ignore=tests/e2e
rc=$?
record "a) SQLite" "$(pytest_result "$rc")" "$rc"

# b) MariaDB
banner "b) tests on MariaDB"
mariadb_started=1   # from here on, stop_mariadb cleans up even a half-started server
if dsn="$("$ROOT_DIR/scripts/mariadb.sh" start | tail -n 1)" && [[ "$dsn" == mysql+pymysql://* ]]; then
    echo "TEST_DATABASE_URL=$dsn"
    run env TEST_DATABASE_URL="$dsn" "${PYTEST[@]}" tests --ignore=tests/e2e
    rc=$?
    record "b) MariaDB" "$(pytest_result "$rc")" "$rc"
else
    record "b) MariaDB" "FAILED (could not start MariaDB)" 1
fi
stop_mariadb

# c) browser tests with Chromium
banner "c) browser tests (Chromium)"
if [[ ! -d tests/e2e ]]; then
    echo "tests/e2e does not exist; nothing to run"
    record "c) browser (e2e)" "skipped (no tests/e2e)" 0
else
    run env -u TEST_DATABASE_URL CHROMIUM_PATH="$CHROMIUM" "${PYTEST[@]}" tests/e2e
    rc=$?
    record "c) browser (e2e)" "$(pytest_result "$rc")" "$rc"
fi

banner "summary"
for i in "${!NAMES[@]}"; do
    printf '%-20s %s\n' "${NAMES[$i]}" "${RESULTS[$i]}"
done
if (( failed )); then
    echo "test-all: FAILED"
    exit 1
fi
echo "test-all: all passed"
