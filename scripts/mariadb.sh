#!/usr/bin/env bash
# A throwaway MariaDB server owned by this checkout (used by `make test`).
#
#   scripts/mariadb.sh start    start a fresh server; the last line on stdout is its DSN
#   scripts/mariadb.sh stop     shut it down and delete its data directory
#   scripts/mariadb.sh status   print whether it runs (exit 0) or not (exit 3)
#
# The data directory is a fresh mktemp directory /tmp/colederma-mariadb-$UID.XXXXXX
# (short enough for the unix socket path); its location, port and pid are recorded in
# .mariadb/state inside the repository. Root logs in without a password over TCP from
# 127.0.0.1 (normal grant tables, no --skip-grant-tables). Environment:
#   MARIADB_PORT      first port to try (default 33061; the next free one is used)
#   MARIADB_DATABASE  database to create (default colederma_test)
set -euo pipefail

ROOT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STATE_DIR="$ROOT_DIR/.mariadb"
STATE_FILE="$STATE_DIR/state"
TMP_PREFIX="${TMPDIR:-/tmp}"
TMP_PREFIX="${TMP_PREFIX%/}/colederma-mariadb-$(id -u)."
FIRST_PORT="${MARIADB_PORT:-33061}"
DATABASE="${MARIADB_DATABASE:-colederma_test}"
START_TIMEOUT=60
STOP_TIMEOUT=30

# Messages go to stderr; losing them (closed pipe, gone terminal) must not stop a cleanup.
trap '' PIPE
log() { printf 'mariadb.sh: %s\n' "$*" >&2 || true; }
die() { log "error: $*"; exit 1; }

find_binary() {
    # Print the path of the first of the given programs found on PATH or in /usr/sbin.
    local name
    for name in "$@"; do
        if command -v "$name" >/dev/null 2>&1; then command -v "$name"; return 0; fi
        if [[ -x "/usr/sbin/$name" ]]; then echo "/usr/sbin/$name"; return 0; fi
    done
    return 1
}

user_options() {
    # mariadbd refuses to run as root unless told to; only root may pass --user.
    if [[ "$(id -u)" -eq 0 ]]; then echo "--user=root"; fi
}

port_is_free() {
    # True when nothing listens on 127.0.0.1:$1, i.e. mariadbd could bind it.
    python3 - "$1" <<'PY' 2>/dev/null
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as mariadbd does; ignores TIME_WAIT
try:
    s.bind(("127.0.0.1", int(sys.argv[1])))
except OSError:
    sys.exit(1)
finally:
    s.close()
PY
}

next_free_port() {
    # Print the first free port at or above $1.
    local port="$1" limit=$(( $1 + 200 ))
    while (( port < limit )); do
        if port_is_free "$port"; then echo "$port"; return 0; fi
        port=$(( port + 1 ))
    done
    return 1
}

pid_belongs_to() {
    # True when process $1 is alive and is a mariadbd using data directory $2.
    local pid="$1" datadir="$2"
    [[ -n "$pid" && -r "/proc/$pid/cmdline" ]] || return 1
    tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q -- "--datadir=$datadir "
}

server_pid() {
    # Print the pid of the mariadbd serving data directory $1, if it runs.
    local datadir="$1" pid=""
    [[ -r "$datadir/mariadbd.pid" ]] && pid="$(cat "$datadir/mariadbd.pid" 2>/dev/null || true)"
    if [[ -z "$pid" && -r "$datadir/launcher.pid" ]]; then
        pid="$(cat "$datadir/launcher.pid" 2>/dev/null || true)"
    fi
    if pid_belongs_to "$pid" "$datadir"; then echo "$pid"; return 0; fi
    return 1
}

remove_datadir() {
    # Delete $1, but only if it is one of ours under the temporary prefix.
    local datadir="$1"
    [[ -n "$datadir" && "$datadir" == "$TMP_PREFIX"* ]] || { log "not removing unexpected path '$datadir'"; return 0; }
    rm -rf -- "$datadir"
}

stop_server() {
    # Shut down the server of data directory $1 (socket $2) and delete the directory.
    local datadir="$1" socket="$2" pid waited
    pid="$(server_pid "$datadir" || true)"
    if [[ -n "$pid" ]]; then
        log "stopping mariadbd (pid $pid)"
        if [[ -S "$socket" ]] && timeout "$STOP_TIMEOUT" "$ADMIN" --no-defaults --protocol=socket \
                --socket="$socket" -uroot --connect-timeout=5 shutdown >/dev/null 2>&1; then
            for (( waited = 0; waited < STOP_TIMEOUT * 10; waited++ )); do
                pid_belongs_to "$pid" "$datadir" || break
                sleep 0.1
            done
        fi
        if pid_belongs_to "$pid" "$datadir"; then
            # SIGTERM is also a clean shutdown for mariadbd
            log "mariadb-admin shutdown did not stop it; sending SIGTERM"
            kill -TERM "$pid" 2>/dev/null || true
            for (( waited = 0; waited < STOP_TIMEOUT * 10; waited++ )); do
                pid_belongs_to "$pid" "$datadir" || break
                sleep 0.1
            done
        fi
        if pid_belongs_to "$pid" "$datadir"; then
            log "mariadbd still running; sending SIGKILL"
            kill -KILL "$pid" 2>/dev/null || true
            for (( waited = 0; waited < 50; waited++ )); do
                pid_belongs_to "$pid" "$datadir" || break
                sleep 0.1
            done
        fi
        if pid_belongs_to "$pid" "$datadir"; then
            die "could not stop mariadbd (pid $pid)"
        fi
    fi
    remove_datadir "$datadir"
}

read_state() {
    # Load DATADIR, SOCKET, PORT from the state file; false when there is none.
    DATADIR="" SOCKET="" PORT=""
    [[ -r "$STATE_FILE" ]] || return 1
    local key value
    while IFS='=' read -r key value; do
        case "$key" in
            DATADIR) DATADIR="$value" ;;
            SOCKET) SOCKET="$value" ;;
            PORT) PORT="$value" ;;
        esac
    done <"$STATE_FILE"
    [[ -n "$DATADIR" ]]
}

dsn() {
    echo "mysql+pymysql://root@127.0.0.1:$1/$DATABASE?charset=utf8mb4"
}

remove_orphans() {
    # Delete leftover data directories of ours (untouched for 10 minutes, so not one that
    # another checkout is initialising right now) whose server no longer runs.
    local dir
    for dir in "$TMP_PREFIX"*; do
        [[ -d "$dir" ]] || continue
        [[ -n "$(find "$dir" -maxdepth 0 -mmin +10 2>/dev/null)" ]] || continue
        if ! server_pid "$dir" >/dev/null; then
            log "removing leftover data directory $dir"
            remove_datadir "$dir"
        fi
    done
}

cmd_stop() {
    if read_state; then
        stop_server "$DATADIR" "$SOCKET"
    fi
    rm -f -- "$STATE_FILE"
    rmdir -- "$STATE_DIR" 2>/dev/null || true
    remove_orphans
    log "stopped"
}

cmd_status() {
    if read_state && server_pid "$DATADIR" >/dev/null; then
        log "running (pid $(server_pid "$DATADIR"), datadir $DATADIR, socket $SOCKET)"
        dsn "$PORT"
        return 0
    fi
    log "not running"
    return 3
}

launch() {
    # Start mariadbd on data directory $1, socket $2, port $3.
    # Returns 0 once it answers, 1 if it exited, 2 if it did not answer in time.
    local datadir="$1" socket="$2" port="$3" waited launcher
    : >"$datadir/error.log"
    # shellcheck disable=SC2046
    setsid "$MARIADBD" --no-defaults \
        --datadir="$datadir" \
        --socket="$socket" \
        --port="$port" \
        --bind-address=127.0.0.1 \
        --pid-file="$datadir/mariadbd.pid" \
        --log-error="$datadir/error.log" \
        --tmpdir="$datadir/tmp" \
        $(user_options) \
        --skip-name-resolve \
        --innodb-flush-log-at-trx-commit=0 \
        --skip-log-bin \
        --innodb-buffer-pool-size=256M \
        --character-set-server=utf8mb4 \
        --collation-server=utf8mb4_unicode_ci \
        --max-connections=200 \
        </dev/null >>"$datadir/console.log" 2>&1 &
    launcher=$!
    echo "$launcher" >"$datadir/launcher.pid"
    for (( waited = 0; waited < START_TIMEOUT * 4; waited++ )); do
        if "$ADMIN" --no-defaults --protocol=socket --socket="$socket" -uroot --connect-timeout=2 \
                ping >/dev/null 2>&1; then
            return 0
        fi
        if ! kill -0 "$launcher" 2>/dev/null && ! server_pid "$datadir" >/dev/null; then
            return 1
        fi
        sleep 0.25
    done
    return 2
}

show_log() {
    # Print the end of the server log of data directory $1 to stderr.
    log "last lines of $1/error.log:"
    tail -n 20 "$1/error.log" >&2 2>/dev/null || true
}

cmd_start() {
    INSTALL_DB="$(find_binary mariadb-install-db mysql_install_db)" || die "mariadb-install-db not found (install mariadb-server)"
    # a previous run may have left a server behind
    if [[ -e "$STATE_FILE" ]]; then
        log "a previous server is recorded in $STATE_FILE; stopping it first"
        cmd_stop
    fi
    remove_orphans
    mkdir -p "$STATE_DIR"

    local datadir socket port attempt status
    datadir="$(mktemp -d "${TMP_PREFIX}XXXXXX")"
    socket="$datadir/mysqld.sock"
    # record the state at once so that `stop` can clean up whatever happens next
    printf 'DATADIR=%s\nSOCKET=%s\nPORT=\n' "$datadir" "$socket" >"$STATE_FILE"

    log "initialising $datadir"
    # shellcheck disable=SC2046
    if ! "$INSTALL_DB" --no-defaults --auth-root-authentication-method=normal \
            --datadir="$datadir" $(user_options) --skip-test-db --skip-name-resolve \
            >"$datadir/install.log" 2>&1; then
        cat "$datadir/install.log" >&2
        cmd_stop
        die "mariadb-install-db failed"
    fi
    mkdir -p "$datadir/tmp"

    port="$FIRST_PORT"
    for attempt in 1 2 3 4 5; do
        port="$(next_free_port "$port")" || { cmd_stop; die "no free port from $FIRST_PORT on"; }
        printf 'DATADIR=%s\nSOCKET=%s\nPORT=%s\n' "$datadir" "$socket" "$port" >"$STATE_FILE"
        log "starting mariadbd on 127.0.0.1:$port"
        status=0
        launch "$datadir" "$socket" "$port" || status=$?
        if (( status == 0 )); then
            break
        fi
        if (( status == 2 )); then
            show_log "$datadir"
            cmd_stop
            die "mariadbd did not answer within ${START_TIMEOUT}s"
        fi
        if (( attempt < 5 )) && grep -qiE 'Address already in use|Bind on TCP/IP port' "$datadir/error.log"; then
            # another process took the port in between; try the next one
            log "port $port was taken meanwhile; trying another"
            port=$(( port + 1 ))
            continue
        fi
        show_log "$datadir"
        cmd_stop
        die "mariadbd failed to start"
    done

    if ! "$CLIENT" --no-defaults --protocol=socket --socket="$socket" -uroot >&2 <<SQL
CREATE USER IF NOT EXISTS 'root'@'127.0.0.1' IDENTIFIED BY '';
GRANT ALL PRIVILEGES ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION;
FLUSH PRIVILEGES;
CREATE DATABASE IF NOT EXISTS \`$DATABASE\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
SQL
    then
        cmd_stop
        die "could not set up the root account and database"
    fi
    # prove the DSN works: passwordless root over TCP from 127.0.0.1
    if ! "$CLIENT" --no-defaults --protocol=tcp -h127.0.0.1 -P"$port" -uroot "$DATABASE" \
            -e 'SELECT 1' >/dev/null; then
        cmd_stop
        die "root cannot log in over TCP on 127.0.0.1:$port"
    fi
    log "ready (datadir $datadir, socket $socket)"
    dsn "$port"
}

MARIADBD="$(find_binary mariadbd mysqld || true)"
ADMIN="$(find_binary mariadb-admin mysqladmin || true)"
CLIENT="$(find_binary mariadb mysql || true)"

case "${1:-}" in
    start)
        [[ -n "$MARIADBD" ]] || die "mariadbd not found (install mariadb-server)"
        [[ -n "$ADMIN" && -n "$CLIENT" ]] || die "mariadb client tools not found (install mariadb-client)"
        cmd_start ;;
    stop) cmd_stop ;;
    status) cmd_status ;;
    *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
