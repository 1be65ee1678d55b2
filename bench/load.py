"""`make bench-load`: requests per second of the app under gunicorn against a bare Flask app
doing one SELECT on the same database under the same gunicorn settings (bench/bare_app.py),
driven by locust (headless, bench/locustfile.py), written to bench/RESULTS.md.

For every server setting both servers are started (gunicorn.conf.py with the setting's
workers, threads and worker class; the app with APP_ENV=production on a copy of the bench
database), then each scenario runs against the bare app and right after against the app, so
the ratio app / bare compares two runs of the same minute on the same machine. Scenarios:
`menus/{id}` (one product by id) and the list `mix` (a random page of menus, users, patients,
user_schedules and brandstore_menus explore, as the owner with a bearer token). The machine's
load average is printed and written beside the numbers: other work on the cores shows there.

    BENCH_DB=sqlite|mariadb      as `make bench`
    BENCH_SCALE=1                as `make bench` (the same cached database)
    BENCH_LOAD_SECONDS=30        per scenario and server
    BENCH_LOAD_USERS=32          locust users (no wait between requests), spawned at once
    BENCH_LOAD_SERVERS=gthread:2:4   settings to try, `class:workers:threads` separated by
                                 spaces; `all` = sync:2:1 sync:4:1 gthread:2:4 gthread:2:8
    BENCH_LOAD_SCENARIOS=menu mix
    BENCH_LOAD_ROUNDS=1          pairs (bare then app) per scenario
    BENCH_RESULTS=path           where to write (default bench/RESULTS.md)
"""
import csv
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import dataset, run  # noqa: E402

ALL_SERVERS = "sync:2:1 sync:4:1 gthread:2:4 gthread:2:8"
GOALS = {"menu": 0.40, "mix": 0.25}
SCENARIO_NAMES = {"menu": "menus/{id}", "mix": "list mix (explore ×5)"}
BIN = Path(sys.executable).parent


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_ready(url: str, process, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"bench-load: the server stopped ({process.returncode}); see above")
        try:
            with urllib.request.urlopen(url, timeout=5) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"bench-load: no answer from {url}")


class Server:
    """One gunicorn of the app (`wsgi:app`) or of the bare app, with gunicorn.conf.py."""

    def __init__(self, target, setting, env, folder):
        self.target, self.port = target, _free_port()
        kind, workers, threads = setting
        application = "wsgi:app" if target == "app" else "bench.bare_app:create_bare_app()"
        self.log = open(folder / f"gunicorn-{target}-{self.port}.log", "w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"),
             "--bind", f"127.0.0.1:{self.port}", "--workers", str(workers),
             "--threads", str(threads), "--worker-class", kind, application],
            cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        self.url = f"http://127.0.0.1:{self.port}"
        probe = "/api/menus/1" if target == "app" else "/menus/1"
        _wait_ready(self.url + probe, self.process)

    def cpu_seconds(self) -> float:
        """CPU time (user + system) the server's processes have used so far."""
        import psutil  # a dependency of locust

        master = psutil.Process(self.process.pid)
        total = 0.0
        for process in [master, *master.children(recursive=True)]:
            try:
                times = process.cpu_times()
            except psutil.Error:
                continue
            total += times.user + times.system
        return total

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


def locust(server, target, scenario, token, seconds, users, folder) -> dict:
    """One headless locust run against `server`: its aggregated row, and the server's CPU
    milliseconds per request (what a request costs, whatever else runs on the machine)."""
    host = server.url
    cpu_before = server.cpu_seconds()
    prefix = folder / f"locust-{target}-{scenario}-{time.monotonic_ns()}"
    env = {**os.environ, "LOAD_TARGET": target, "LOAD_SCENARIO": scenario,
           "LOAD_TOKEN": token, "LOAD_PRODUCTS": str(dataset.FULL["products"])}
    done = subprocess.run(
        [str(BIN / "locust"), "-f", str(ROOT / "bench" / "locustfile.py"), "--headless",
         "--host", host, "-u", str(users), "-r", str(users), "-t", f"{seconds}s",
         "--csv", str(prefix), "--only-summary", "--loglevel", "WARNING",
         "--exit-code-on-error", "0"],
        cwd=ROOT, env=env, capture_output=True, text=True)
    stats = Path(f"{prefix}_stats.csv")
    if done.returncode != 0 or not stats.exists():
        raise SystemExit(f"bench-load: locust failed ({done.returncode}):\n{done.stderr[-3000:]}")
    with stats.open() as handle:
        rows = {row["Name"]: row for row in csv.DictReader(handle)}
    total = rows["Aggregated"]
    count = int(total["Request Count"])
    cpu = server.cpu_seconds() - cpu_before
    return {"rps": _number(total["Requests/s"]), "count": count,
            "cpu_ms": 1000 * cpu / count if count else 0.0,
            "failures": int(total["Failure Count"]),
            "p50": _number(total["50%"]), "p95": _number(total["95%"])}


def _number(text) -> float:
    """A locust figure; 0 where it has none (N/A after a very short run)."""
    try:
        return float(text)
    except (TypeError, ValueError):
        return 0.0


def sign_in(url, folder) -> str:
    """A bearer token of the owner (written into the database the servers read)."""
    from app import create_app
    from app.config import TestingConfig
    from models import db

    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=url, UPLOAD_DIR=str(folder))
    answer = app.test_client().post("/api/users/login", json={
        "username": dataset.OWNER_USERNAME, "password": dataset.OWNER_PASSWORD})
    if answer.status_code != 200:
        raise SystemExit(f"bench-load: the owner cannot sign in: {answer.get_data(as_text=True)}")
    with app.app_context():
        db.engine.dispose()
    return answer.get_json()["bearer"]


def parse_servers(text: str) -> list[tuple]:
    text = ALL_SERVERS if text.strip() == "all" else text
    settings = []
    for item in text.split():
        kind, workers, threads = (item.split(":") + ["1", "1"])[:3]
        if kind not in ("sync", "gthread"):
            raise SystemExit(f"BENCH_LOAD_SERVERS: unknown worker class {kind!r}")
        settings.append((kind, int(workers), int(threads)))
    return settings


def measure(url, folder, token, settings, scenarios, seconds, users, rounds=1,
            progress=True):
    env = {**os.environ, "APP_ENV": "production", "DATABASE_URL": url,
           "BARE_DATABASE_URL": url, "SECRET_KEY": "bench-load-only-secret",
           "UPLOAD_DIR": str(folder / "uploads"), "PUBLIC_BASE_URL": "http://127.0.0.1",
           "CELERY_BROKER_URL": "memory://", "WEB_ACCESS_LOG": "", "WEB_LOG_LEVEL": "warning",
           "CELERY_BEAT_SCHEDULE_FILE": str(folder / "celerybeat-schedule")}
    env.pop("FLASK_DEBUG", None)
    rows = []
    for setting in settings:
        servers = []
        try:
            servers = [Server("bare", setting, env, folder), Server("app", setting, env, folder)]
            bare, app = servers
            for scenario in scenarios:
                for _round in range(rounds):
                    load_before = os.getloadavg()[0]
                    base = locust(bare, "bare", scenario, token, seconds, users, folder)
                    mine = locust(app, "app", scenario, token, seconds, users, folder)
                    row = {"setting": setting, "scenario": scenario, "bare": base, "app": mine,
                           "ratio": mine["rps"] / base["rps"] if base["rps"] else 0.0,
                           "cpu_ratio": base["cpu_ms"] / mine["cpu_ms"] if mine["cpu_ms"]
                           else 0.0, "load": (load_before, os.getloadavg()[0])}
                    rows.append(row)
                    if progress:
                        print(line(row), flush=True)
        finally:
            for server in servers:
                server.stop()
    return rows


def setting_text(setting) -> str:
    kind, workers, threads = setting
    return f"{kind} {workers}×{threads}" if kind == "gthread" else f"{kind} {workers}"


def line(row) -> str:
    bare, app = row["bare"], row["app"]
    return (f"  {setting_text(row['setting']):14s} {SCENARIO_NAMES[row['scenario']]:22s} "
            f"app {app['rps']:7.1f} req/s  bare {bare['rps']:7.1f} req/s  "
            f"ratio {row['ratio']:.0%}  CPU/request {app['cpu_ms']:.2f} vs {bare['cpu_ms']:.2f} ms "
            f"({row['cpu_ratio']:.0%})  (load {row['load'][0]:.1f}→{row['load'][1]:.1f})")


def table(rows) -> list[str]:
    head = ("server", "scenario", "app req/s", "app p50/p95 ms", "bare req/s",
            "bare p50/p95 ms", "app / bare", "goal", "CPU ms/req app / bare", "by CPU",
            "failed", "load avg")
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    for row in rows:
        app, bare = row["app"], row["bare"]
        goal = GOALS[row["scenario"]]
        lines.append(
            f"| {setting_text(row['setting'])} | {SCENARIO_NAMES[row['scenario']]} | "
            f"{app['rps']:.1f} | {app['p50']:.0f} / {app['p95']:.0f} | {bare['rps']:.1f} | "
            f"{bare['p50']:.0f} / {bare['p95']:.0f} | {row['ratio']:.0%} | "
            f"≥ {goal:.0%} {'yes' if row['ratio'] >= goal else '**no**'} | "
            f"{app['cpu_ms']:.2f} / {bare['cpu_ms']:.2f} | {row['cpu_ratio']:.0%} | "
            f"{app['failures'] + bare['failures']} | "
            f"{row['load'][0]:.1f} → {row['load'][1]:.1f} |")
    return lines


def section(engine_name, version, scale, rows, seconds, users) -> str:
    lines = [f"<!-- load:{engine_name} -->", f"## Throughput, {engine_name}", "",
             f"- run: {datetime.now():%Y-%m-%d %H:%M}, {engine_name} {version}, "
             f"BENCH_SCALE={scale:g}, {os.cpu_count()} cores, locust (FastHttpUser, "
             f"{users} users, no wait) for {seconds} s per scenario and server, on the same "
             "machine as the servers",
             "- `app` = `gunicorn -c gunicorn.conf.py wsgi:app` (APP_ENV=production, bearer "
             "token of the owner); `bare` = bench/bare_app.py under the same gunicorn "
             "settings, one SELECT per request (`menus` by id; a page of 10 rows of the same "
             "table, newest first); each pair ran back to back; `CPU ms/req` = CPU time of "
             "the server's processes per request answered, `by CPU` = bare / app of it: the "
             "share the app would reach with the cores to itself (the load generator and "
             "other work on the machine do not enter it); `load avg` = the 1-minute load "
             "average before and after the pair.", ""]
    lines += table(rows)
    lines.append(f"<!-- /load:{engine_name} -->")
    return "\n".join(lines)


def write(path: Path, engine_name: str, text: str):
    old = path.read_text() if path.exists() else run.HEADER
    marker = f"<!-- load:{engine_name} -->"
    end = f"<!-- /load:{engine_name} -->"
    if marker in old and end in old:
        new = old[:old.index(marker)] + text + old[old.index(end) + len(end):]
    else:
        new = old.rstrip() + "\n\n" + text + "\n"
    path.write_text(new if new.endswith("\n") else new + "\n")


def main(engine_name=None, scale=None, seconds=None, users=None, servers=None, scenarios=None,
         results_path=None, rounds=None, progress=True) -> list[dict]:
    engine_name = (engine_name or os.environ.get("BENCH_DB") or "sqlite").lower()
    if engine_name not in ("sqlite", "mariadb"):
        raise SystemExit("BENCH_DB must be sqlite or mariadb")
    scale = dataset.scale_from_env() if scale is None else scale
    seconds = seconds or int(os.environ.get("BENCH_LOAD_SECONDS") or 30)
    users = users or int(os.environ.get("BENCH_LOAD_USERS") or 32)
    settings = parse_servers(servers or os.environ.get("BENCH_LOAD_SERVERS") or "gthread:2:4")
    scenarios = (scenarios or os.environ.get("BENCH_LOAD_SCENARIOS") or "menu mix").split()
    rounds = rounds or int(os.environ.get("BENCH_LOAD_ROUNDS") or 1)
    results_path = Path(results_path or os.environ.get("BENCH_RESULTS")
                        or ROOT / "bench" / "RESULTS.md")
    from models import clinic_now

    # stopped by a signal, the servers and the copy are still cleaned up (finally below)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    today = clinic_now().date()
    folder = Path(tempfile.mkdtemp(prefix="colederma-bench-load-"))
    started = []
    try:
        url, _counts = run.working_database(engine_name, scale, today, folder, started,
                                            progress)
        if engine_name == "sqlite":
            import sqlite3

            version = sqlite3.sqlite_version
        else:
            from sqlalchemy import create_engine

            engine = create_engine(url)
            with engine.connect() as connection:
                version = connection.exec_driver_sql("SELECT VERSION()").scalar()
            engine.dispose()
        token = sign_in(url, folder)
        if progress:
            print(f"load average {os.getloadavg()[0]:.2f}; {seconds} s per scenario", flush=True)
        rows = measure(url, folder, token, settings, scenarios, seconds, users, rounds,
                       progress)
        print("\n".join(table(rows)))
        write(results_path, engine_name, section(engine_name, version, scale, rows, seconds,
                                                 users))
        print(f"\nwritten to {results_path}")
        return rows
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        for script in started:
            subprocess.run(["bash", str(script), "stop"], check=False)


if __name__ == "__main__":
    main()
