#!/usr/bin/env bash
# A throwaway Redis server owned by this checkout (the Celery broker of the worker test).
#
#   scripts/redis.sh start    start a fresh server; the last line on stdout is its URL
#   scripts/redis.sh stop     shut it down and delete its directory
#   scripts/redis.sh status   print whether it runs (exit 0) or not (exit 3)
#
# Nothing is persisted (no RDB, no AOF); the server listens on 127.0.0.1 only, port
# REDIS_PORT (default 63791) or the next free one; its directory is a fresh mktemp directory
# recorded with its port and pid in .redis/state inside the repository.
set -euo pipefail

ROOT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STATE_DIR="$ROOT_DIR/.redis"
STATE_FILE="$STATE_DIR/state"
TMP_PREFIX="${TMPDIR:-/tmp}"
TMP_PREFIX="${TMP_PREFIX%/}/colederma-redis-$(id -u)."
FIRST_PORT="${REDIS_PORT:-63791}"
START_TIMEOUT=20

trap '' PIPE
log() { printf 'redis.sh: %s\n' "$*" >&2 || true; }
die() { log "error: $*"; exit 1; }

REDIS_SERVER="$(command -v redis-server || { [[ -x /usr/bin/redis-server ]] && echo /usr/bin/redis-server; } || true)"
REDIS_CLI="$(command -v redis-cli || true)"

port_is_free() {
    python3 - "$1" <<'PY' 2>/dev/null
import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
try:
    s.bind(("127.0.0.1", int(sys.argv[1])))
except OSError:
    sys.exit(1)
finally:
    s.close()
PY
}

answers() {
    # True when a Redis server answers PING on 127.0.0.1:$1.
    if [[ -n "$REDIS_CLI" ]]; then
        [[ "$("$REDIS_CLI" -h 127.0.0.1 -p "$1" ping 2>/dev/null)" == "PONG" ]]
    else
        python3 - "$1" <<'PY' 2>/dev/null
import socket, sys
with socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=1) as s:
    s.sendall(b"PING\r\n")
    sys.exit(0 if s.recv(16).startswith(b"+PONG") else 1)
PY
    fi
}

read_state() {
    DIR="" PORT="" PID=""
    [[ -r "$STATE_FILE" ]] || return 1
    local key value
    while IFS='=' read -r key value; do
        case "$key" in DIR) DIR="$value" ;; PORT) PORT="$value" ;; PID) PID="$value" ;; esac
    done <"$STATE_FILE"
    [[ -n "$DIR" ]]
}

is_ours() {
    # True when process $1 is a redis-server whose working directory is $2.
    [[ -n "$1" && -r "/proc/$1/cmdline" ]] || return 1
    tr '\0' ' ' <"/proc/$1/cmdline" | grep -q "redis-server" &&
        [[ "$(readlink "/proc/$1/cwd" 2>/dev/null)" == "$2" ]]
}

cmd_stop() {
    if read_state; then
        if is_ours "$PID" "$DIR"; then
            log "stopping redis-server (pid $PID)"
            kill -TERM "$PID" 2>/dev/null || true
            for _ in $(seq 100); do is_ours "$PID" "$DIR" || break; sleep 0.1; done
            if is_ours "$PID" "$DIR"; then kill -KILL "$PID" 2>/dev/null || true; fi
        fi
        [[ "$DIR" == "$TMP_PREFIX"* ]] && rm -rf -- "$DIR"
    fi
    rm -f -- "$STATE_FILE"
    rmdir -- "$STATE_DIR" 2>/dev/null || true
    log "stopped"
}

cmd_status() {
    if read_state && is_ours "$PID" "$DIR"; then
        log "running (pid $PID, port $PORT)"
        echo "redis://127.0.0.1:$PORT/0"
        return 0
    fi
    log "not running"
    return 3
}

cmd_start() {
    [[ -n "$REDIS_SERVER" ]] || die "redis-server not found (install redis-server)"
    if [[ -e "$STATE_FILE" ]]; then
        log "a previous server is recorded in $STATE_FILE; stopping it first"
        cmd_stop
    fi
    mkdir -p "$STATE_DIR"
    local dir port pid
    dir="$(mktemp -d "${TMP_PREFIX}XXXXXX")"
    port="$FIRST_PORT"
    while ! port_is_free "$port"; do
        port=$(( port + 1 ))
        (( port < FIRST_PORT + 200 )) || { rm -rf -- "$dir"; die "no free port from $FIRST_PORT on"; }
    done
    (cd "$dir" && exec setsid "$REDIS_SERVER" --bind 127.0.0.1 --port "$port" --save "" \
        --appendonly no --daemonize no --protected-mode yes --logfile "$dir/redis.log" \
        </dev/null >/dev/null 2>&1) &
    pid=$!
    printf 'DIR=%s\nPORT=%s\nPID=%s\n' "$dir" "$port" "$pid" >"$STATE_FILE"
    for _ in $(seq $(( START_TIMEOUT * 10 ))); do
        if answers "$port"; then
            log "ready on 127.0.0.1:$port (pid $pid)"
            echo "redis://127.0.0.1:$port/0"
            return 0
        fi
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    tail -n 20 "$dir/redis.log" >&2 2>/dev/null || true
    cmd_stop
    die "redis-server did not start"
}

case "${1:-}" in
    start) cmd_start ;;
    stop) cmd_stop ;;
    status) cmd_status ;;
    *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
