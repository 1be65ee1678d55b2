"""gunicorn settings for `make serve` and production: `gunicorn -c gunicorn.conf.py wsgi:app`.

Threaded workers (gthread): one process per core, four threads each. A request spends part
of its time waiting on the database (a socket to MariaDB, a file read for SQLite), which the
other threads of the process fill; more processes than cores only add switching and memory
(measured on 2 cores with `make bench-load`, see bench/RESULTS.md: sync ×4 < sync ×2 <
gthread 2×4). Every value can be changed from the environment:

    WEB_BIND (127.0.0.1:$PORT, PORT 8000)   WEB_WORKERS (cores)   WEB_THREADS (4)
    WEB_WORKER_CLASS (gthread)              WEB_TIMEOUT (30 s)    WEB_ACCESS_LOG ("" = off; "-")
"""
import os


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))  # the cores this process may use (containers)
    except AttributeError:
        return os.cpu_count() or 1


bind = os.environ.get("WEB_BIND") or f"127.0.0.1:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_WORKERS") or _cores())
threads = int(os.environ.get("WEB_THREADS") or 4)
worker_class = os.environ.get("WEB_WORKER_CLASS") or "gthread"
timeout = int(os.environ.get("WEB_TIMEOUT") or 30)
graceful_timeout = 20
keepalive = 5  # behind a proxy that keeps connections open (nginx upstream keepalive)
# workers are not recycled after N requests (a new worker builds the whole app, ~1 s of a
# core); WEB_MAX_REQUESTS sets it where memory growth calls for it
max_requests = int(os.environ.get("WEB_MAX_REQUESTS") or 0)
max_requests_jitter = max_requests // 10
accesslog = os.environ.get("WEB_ACCESS_LOG") or None  # the proxy in front logs requests
errorlog = "-"
loglevel = os.environ.get("WEB_LOG_LEVEL") or "info"
# the workers' heartbeat file in memory, not on a (possibly overlay) disk: gunicorn touches it
# on every request
if os.path.isdir("/dev/shm"):
    worker_tmp_dir = "/dev/shm"
# each worker builds its own app: database connections are never shared across a fork
preload_app = False
# gunicorn's control socket (`gunicornc`) defaults to one path per user ($HOME/.gunicorn):
# two servers of one user (the bench's app and bare app, staging beside production) would
# share it. Off unless WEB_CONTROL_SOCKET names a path of its own.
if os.environ.get("WEB_CONTROL_SOCKET"):
    control_socket = os.environ["WEB_CONTROL_SOCKET"]
else:
    control_socket_disable = True
