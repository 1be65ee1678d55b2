"""`make bench`: time the API on a busy year (bench/dataset.py) and write bench/RESULTS.md.

Each case is one request made in-process through Flask's test client with the owner's bearer
token: after a warm-up, BENCH_REPEATS runs give the median (p50) and p95 in milliseconds,
the size of the answer and the SQL statements it ran. Beside it, `bare` times the service
function the endpoint calls (the report query of services/reports/queries.py or dashboard.py,
the engine's table) without HTTP, authentication or JSON, so `ratio` = endpoint p50 / bare p50
shows what the web layer adds. The statements of every report case are EXPLAINed (EXPLAIN
QUERY PLAN on SQLite) into RESULTS.md. Nothing is asserted: the numbers are for comparing
changes.

    BENCH_DB=sqlite|mariadb   the engine (mariadb: the throwaway server of scripts/mariadb.sh;
                              one already running is used and left running, else one is
                              started and stopped again)
    BENCH_SCALE=1             1 = full size (1M order items …), 0.01 for a quick run
    BENCH_REPEATS=15          timed runs per case
    BENCH_ONLY=text           only the cases whose name holds the text
    BENCH_RESULTS=path        where to write the results (default bench/RESULTS.md)
    COUNT_CACHE_SECONDS=0     count every list on every request (the app's setting; 10 by
                              default: lists are timed reading a remembered count)

Adding a case: one `Case(...)` entry in CASES of bench/cases.py."""
import gc
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import dataset  # noqa: E402
from bench.cases import CASES, LIST_RATIO, Case  # noqa: E402 (the cases and their goals)


# ---- measuring -----------------------------------------------------------------------------
class Callers:
    """Bearer headers of who a case calls as: the owner (the office sees every row), the
    customer with the most appointments, a doctor (what the mobile app's lists read: only
    their own rows). Every generated account has the owner's password."""

    def __init__(self, app, client, owner_headers):
        self.app, self.client, self.known = app, client, {"owner": owner_headers}

    def headers(self, caller: str) -> dict:
        if caller not in self.known:
            from sqlalchemy import func, select

            from models import Appointment, Doctor, User, db

            with self.app.app_context():
                if caller == "customer":
                    user_id = db.session.scalar(
                        select(Appointment.id_users).where(Appointment.id_users.isnot(None))
                        .group_by(Appointment.id_users)
                        .order_by(func.count().desc(), Appointment.id_users).limit(1))
                else:
                    user_id = db.session.scalar(select(Doctor.id_users).order_by(Doctor.id)
                                                .limit(1))
                username = db.session.get(User, user_id).username
                db.session.remove()
            login = self.client.post("/api/users/login", json={
                "username": username, "password": dataset.OWNER_PASSWORD})
            if login.status_code != 200:
                raise SystemExit(f"bench: the {caller} cannot sign in")
            self.known[caller] = {"Authorization": f"Bearer {login.get_json()['bearer']}"}
        return self.known[caller]


@dataclass
class Context:
    """What the bare functions need: the owner and the periods."""

    actor: object
    values: dict

    def fill(self, body: dict) -> dict:
        return {key: self.values.get(value, value) if isinstance(value, str) else value
                for key, value in body.items()}


class Statements:
    """The SQL statements run while it listens (with their parameters); `page` holds those
    run inside the view function (after authentication: what the endpoint itself asked the
    database for its answer), as marked by `InView`."""

    def __init__(self, engine, in_view=None):
        self.engine, self.in_view, self.seen, self.page = engine, in_view, [], []

    def _record(self, _conn, _cursor, statement, parameters, _context, _many):
        self.seen.append((statement, parameters))
        if self.in_view is not None and self.in_view.active:
            self.page.append((statement, parameters))

    def __enter__(self):
        from sqlalchemy import event

        self.seen, self.page = [], []
        event.listen(self.engine, "before_cursor_execute", self._record)
        return self

    def __exit__(self, *_exc):
        from sqlalchemy import event

        event.remove(self.engine, "before_cursor_execute", self._record)

    def page_selects(self) -> list:
        return [(statement, parameters) for statement, parameters in self.page
                if statement.lstrip()[:6].upper() in ("SELECT", "WITH R")
                or statement.lstrip()[:5].upper() in ("WITH ", "(SELE")]


class InView:
    """Marks the time spent inside view functions (wraps every view of the app once)."""

    def __init__(self, app):
        self.active = False
        for endpoint, view in list(app.view_functions.items()):
            app.view_functions[endpoint] = self._wrap(view)

    def _wrap(self, view):
        def wrapped(*args, **kwargs):
            self.active = True
            try:
                return view(*args, **kwargs)
            finally:
                self.active = False
        return wrapped


LENGTH_IN_PATH = re.compile(r"([?&](?:length|limit)=)\d+")


def with_length(path: str, body: dict, length: int):
    """The same request asking for `length` rows (a `length=`/`limit=` in the query or the
    body); None when the request has no length (not a list)."""
    new_path = LENGTH_IN_PATH.sub(lambda m: f"{m.group(1)}{length}", path)
    new_body = {key: (type(value)(length) if key in ("length", "limit") else value)
                for key, value in body.items()}
    if new_path == path and new_body == body:
        return None
    return new_path, new_body


def _percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def _time(call, repeats):
    timings = []
    call()  # warm-up: caches, compiled statements
    for _ in range(repeats):
        start = time.perf_counter()
        call()
        timings.append((time.perf_counter() - start) * 1000)
    return timings


def explain(engine, statement, parameters) -> str:
    """The plan of one statement, as text."""
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        if engine.dialect.name == "sqlite":
            cursor.execute("EXPLAIN QUERY PLAN " + statement, parameters)
            rows = cursor.fetchall()
            depth = {0: -1}
            lines = []
            for node, parent, _unused, detail in rows:
                depth[node] = depth.get(parent, -1) + 1
                lines.append("  " * depth[node] + detail)
            return "\n".join(lines)
        cursor.execute("EXPLAIN " + statement, parameters)
        names = [column[0] for column in cursor.description]
        rows = cursor.fetchall()
        wanted = ("id", "select_type", "table", "type", "key", "key_len", "rows", "Extra")
        lines = [" | ".join(wanted)]
        for row in rows:
            values = dict(zip(names, row))
            lines.append(" | ".join("" if values.get(name) is None else str(values.get(name))
                                    for name in wanted))
        return "\n".join(lines)
    finally:
        raw.close()


def measure(app, client, headers, ctx, case: Case, repeats: int, bare_web=None,
            in_view=None) -> dict:
    """Time one case: the endpoint, its SQL statements at length 10 and 100, and beside it
    the same page's SELECTs replayed on a connection (`sql`), the same SELECTs behind a bare
    Flask route (`flask`) and the service function (`bare`), all in this run."""
    from models import db
    from services.engine import counts as remembered_counts

    body = ctx.fill(case.body)
    with app.app_context():
        engine = db.engine

    def call(path, payload):
        return client.open(path, method=case.method, headers=headers, json=payload)

    def request():
        if case.typed:
            remembered_counts.forget_all()
        return call(case.path, body)

    response = request()
    if response.status_code != 200:
        raise SystemExit(f"{case.name}: {response.status_code} {response.get_data(as_text=True)}")
    with Statements(engine, in_view) as statements:
        request()
    counts = {}
    for length in (10, 100):  # every statement, the list's count included (not remembered)
        variant = with_length(case.path, body, length) or (case.path, body)
        remembered_counts.forget_all()
        with Statements(engine) as seen:
            answer = call(*variant)
        counts[length] = len(seen.seen) if answer.status_code == 200 else None
    request()  # the count remembered again: the timed runs are the steady state
    timings = _time(request, repeats)
    page = statements.page_selects()
    result = {"name": case.name, "statements": len(statements.seen), "sql10": counts[10],
              "sql100": counts[100], "bytes": len(response.get_data()),
              "p50": statistics.median(timings), "p95": _percentile(timings, 0.95),
              "sql": None, "flask": None, "bare": None, "plans": [], "goal": case.goal,
              "target": case.target,
              "page_statements": len(page)}
    if page:
        raw = engine.raw_connection()
        try:
            def replay():
                cursor = raw.cursor()
                for statement, parameters in page:
                    cursor.execute(statement, parameters)
                    cursor.fetchall()
                cursor.close()

            result["sql"] = statistics.median(_time(replay, repeats))
        finally:
            raw.close()
        if bare_web is not None:
            key = str(len(bare_web.config["STATEMENTS"]))
            bare_web.config["STATEMENTS"][key] = page
            bare_client = bare_web.test_client()
            result["flask"] = statistics.median(
                _time(lambda: bare_client.get(f"/replay/{key}"), repeats))
        if case.explain or case.target is not None:  # the plans of every goal's statements
            done = set()
            for statement, parameters in page:
                if statement in done:
                    continue
                done.add(statement)
                result["plans"].append((statement, parameters,
                                        explain(engine, statement, parameters)))
    if case.bare:
        with app.app_context():
            from models import User

            actor = db.session.scalar(db.select(User).where(
                User.username == dataset.OWNER_USERNAME))
            bare_ctx = Context(actor, ctx.values)

            def bare():
                case.bare(bare_ctx)

            result["bare"] = statistics.median(_time(bare, repeats))
            db.session.remove()
    return result


# ---- the database ----------------------------------------------------------------------------
def _mariadb_server(started: list) -> str:
    """The DSN of the throwaway MariaDB: the running one, else a new one (noted in
    `started` so it is stopped afterwards)."""
    script = ROOT / "scripts" / "mariadb.sh"
    status = subprocess.run(["bash", str(script), "status"], capture_output=True, text=True)
    if status.returncode == 0 and status.stdout.strip():
        return status.stdout.strip().splitlines()[-1]
    started.append(script)
    start = subprocess.run(["bash", str(script), "start"], stdout=subprocess.PIPE, text=True)
    dsn = start.stdout.strip().splitlines()[-1] if start.stdout.strip() else ""
    if start.returncode != 0 or not dsn.startswith("mysql+pymysql://"):
        raise SystemExit("bench: could not start MariaDB (scripts/mariadb.sh start)")
    return dsn


def working_database(engine_name, scale, today, folder: Path, started: list,
                     progress=True) -> tuple[str, dict]:
    """The URL of the bench database to run against and its row counts: a copy of the cached
    SQLite file in `folder` (a run signs in, which writes a token: not into the cache), or
    the loaded database of the throwaway MariaDB (a server started for it is noted in
    `started`, to be stopped afterwards)."""
    if engine_name == "sqlite":
        cached, counts = dataset.ensure_sqlite(scale, today, progress)
        copy = folder / "bench.db"
        shutil.copyfile(cached, copy)
        return f"sqlite:///{copy}", counts
    return dataset.ensure_mariadb(_mariadb_server(started), scale, today, folder, progress)


def _row_line(counts: dict) -> str:
    return ", ".join(f"{name} {count:,}" for name, count in counts.items())


# ---- output ---------------------------------------------------------------------------------
def _ms(value) -> str:
    return "" if value is None else f"{value:.1f}"


def _ratio(p50, base) -> str:
    return f"{p50 / base:.1f}×" if base else ""


def table_lines(results) -> list[str]:
    head = ("case", "SQL @10", "SQL @100", "p50 ms", "p95 ms", "bytes", "SQL p50 ms", "× SQL",
            "Flask p50 ms", "× Flask", "service p50 ms", "× service", "goal")
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    for row in results:
        goal = goal_text(row)
        counts = ["?" if row[key] is None else str(row[key]) for key in ("sql10", "sql100")]
        lines.append(" | ".join([
            f"| {row['name']}", *counts, f"{row['p50']:.1f}", f"{row['p95']:.1f}",
            f"{row['bytes']:,}", _ms(row["sql"]), _ratio(row["p50"], row["sql"]),
            _ms(row["flask"]), _ratio(row["p50"], row["flask"]), _ms(row["bare"]),
            _ratio(row["p50"], row["bare"]), goal]) + " |")
    return lines


def goal_met(row) -> bool | None:
    """Whether the case meets its goal (None: it has none, or no bare SQL to compare)."""
    target = row.get("target")
    if target is None:
        return None
    measure, limit = target
    if measure == "× SQL":
        return None if not row["sql"] else row["p50"] / row["sql"] <= limit
    return row[measure] <= limit


def goal_text(row) -> str:
    met = goal_met(row)
    if met is None:
        return ""
    measure, limit = row["target"]
    wanted = f"≤ {limit:g}× SQL" if measure == "× SQL" else f"{measure} ≤ {limit:g} ms"
    return f"{wanted}: {'yes' if met else '**no**'}"


def goal_summary(results) -> list[str]:
    """How many cases meet their goal, by kind of goal, and which do not."""
    lines = []
    for measure, label in (("p50", "report and dashboard figures, p50 < 100 ms"),
                           ("p95", "availability, timeline and table searches (p95)"),
                           ("× SQL", f"lists at most {LIST_RATIO:g}× their bare SQL (p50)")):
        rows = [row for row in results if row.get("target") and row["target"][0] == measure
                and goal_met(row) is not None]
        if not rows:
            continue
        missed = [row["name"] for row in rows if not goal_met(row)]
        line = f"- {label}: {len(rows) - len(missed)} of {len(rows)} met"
        lines.append(line + (f"; not: {', '.join(missed)}" if missed else ""))
    return lines


def _count_seconds() -> int:
    from app.config import TestingConfig

    return TestingConfig.COUNT_CACHE_SECONDS


def section(engine_name, version, scale, counts, results, repeats) -> str:
    lines = [f"<!-- bench:{engine_name} -->", f"## {engine_name}", "",
             f"- run: {datetime.now():%Y-%m-%d %H:%M}, {engine_name} {version}, "
             f"BENCH_SCALE={scale:g}, {repeats} timed runs per case after a warm-up, "
             f"COUNT_CACHE_SECONDS={_count_seconds()} (a list's count is remembered that "
             "long: the timed runs of a list read it, not count it; 0 counts every time)",
             f"- rows: {_row_line(counts)}", *goal_summary(results), "",
             COLUMNS, ""]
    lines += table_lines(results)
    lines += ["", "### Query plans", ""]
    shown = set()
    for row in results:
        for statement, _parameters, plan in row["plans"]:
            compact = re.sub(r"\s+", " ", statement).strip()
            if compact in shown or PRIMARY_KEY_LOAD.search(compact):
                continue
            shown.add(compact)
            shown_sql = SELECT_LIST.sub(lambda m: f"SELECT {m.group(1)[:80]} … FROM", compact)
            lines += [f"**{row['name']}**", "", "```sql", shown_sql, "```", "```", plan, "```",
                      ""]
    lines.append(f"<!-- /bench:{engine_name} -->")
    return "\n".join(lines)


COLUMNS = (
    "`SQL @10` / `@100` = statements per request (authentication and the list's count "
    "included) asking for 10 and for 100 rows (the same number twice for an endpoint without a "
    "length); `p50`/`p95`/`bytes` = the endpoint through the test client as the owner, in the "
    "steady state (a list's count remembered, services/engine/counts.py, except for the "
    "table searches, counted every time as a new text would be); `SQL p50` = the "
    "SELECTs the endpoint ran for its page in that state (inside the view, after "
    "authentication) replayed on one connection, rows fetched; `Flask p50` = the same SELECTs behind a bare Flask route "
    "(bench/bare_app.py: no authentication, rows to JSON) through its test client; "
    "`service p50` = the service function behind the endpoint called directly, where the "
    "case names one; `×` = endpoint p50 / that p50, all measured in this run; `goal` = the "
    "issue's goal for the case: p50 < 100 ms for report and dashboard figures, a p95 for "
    "availability, the timeline and the table searches, and at most 1.5× the bare SQL of the "
    "same page for every other list.")

# eager loads of a page's related rows by primary key: their plans say nothing new
PRIMARY_KEY_LOAD = re.compile(r"^SELECT .* FROM \w+ WHERE \w+\.id IN \(")
SELECT_LIST = re.compile(r"SELECT ((?:(?!\bFROM\b).){120,}?) FROM")

HEADER = """# Benchmark results

Written by `make bench` (bench/run.py) and `make bench-load` (bench/load.py: the Throughput
sections); each engine's section is replaced by its last run.
Data: bench/dataset.py (a busy year: 1M order items, 200k appointments at BENCH_SCALE=1).
"""


def write_results(path: Path, engine_name: str, text: str):
    old = path.read_text() if path.exists() else HEADER
    pattern = re.compile(rf"<!-- bench:{engine_name} -->.*?<!-- /bench:{engine_name} -->",
                         re.S)
    if pattern.search(old):
        new = pattern.sub(lambda _m: text, old)
    else:
        new = old.rstrip() + "\n\n" + text + "\n"
    path.write_text(new if new.endswith("\n") else new + "\n")


# ---- main -------------------------------------------------------------------------------------
def main(engine_name=None, scale=None, repeats=None, results_path=None, only=None,
         progress=True) -> list[dict]:
    engine_name = (engine_name or os.environ.get("BENCH_DB") or "sqlite").lower()
    if engine_name not in ("sqlite", "mariadb"):
        raise SystemExit("BENCH_DB must be sqlite or mariadb")
    scale = dataset.scale_from_env() if scale is None else scale
    repeats = repeats or int(os.environ.get("BENCH_REPEATS") or 15)
    only = os.environ.get("BENCH_ONLY", "") if only is None else only
    results_path = Path(results_path or os.environ.get("BENCH_RESULTS")
                        or ROOT / "bench" / "RESULTS.md")
    from models import clinic_now

    today = clinic_now().date()
    folder = Path(tempfile.mkdtemp(prefix="colederma-bench-"))
    started = []
    try:
        url, counts = working_database(engine_name, scale, today, folder, started, progress)
        results, version = _run(url, folder, scale, repeats, only, today)
        text = section(engine_name, version, scale, counts, results, repeats)
        print("\n".join(table_lines(results)))
        write_results(results_path, engine_name, text)
        print(f"\nwritten to {results_path}")
        return results
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        for script in started:
            subprocess.run(["bash", str(script), "stop"], check=False)


def _run(url, folder, scale, repeats, only, today):
    from app import create_app
    from app.config import TestingConfig
    from models import db

    # record reads go to the audit queue as in production (a message to the broker: here
    # kombu's in-memory one, nobody consumes it), not written in the request as the tests do
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=url, UPLOAD_DIR=str(folder),
                     ARGON2_TIME_COST=1, ARGON2_MEMORY_COST=1024, AUDIT_QUEUE_EAGER=False)
    gc.freeze()  # as wsgi.py does in production: the app's own objects stay out of full GCs
    client = app.test_client()
    login = client.post("/api/users/login", json={"username": dataset.OWNER_USERNAME,
                                                  "password": dataset.OWNER_PASSWORD})
    if login.status_code != 200:
        raise SystemExit(f"bench: the owner cannot sign in: {login.get_data(as_text=True)}")
    headers = {"Authorization": f"Bearer {login.get_json()['bearer']}"}
    callers = Callers(app, client, headers)
    span = dataset.Span(today)
    values = {"@days30_first": (today - timedelta(days=29)).isoformat(),
              "@year_first": span.first.isoformat(), "@today": today.isoformat(),
              "@week_first": (today - timedelta(days=6)).isoformat()}
    with app.app_context():
        engine = db.engine
        version = engine.dialect.name
        with engine.connect() as connection:
            version = connection.exec_driver_sql(
                "SELECT sqlite_version()" if engine.dialect.name == "sqlite"
                else "SELECT VERSION()").scalar()
    ctx = Context(None, values)
    cases = [case for case in CASES if only.lower() in case.name.lower()]
    from bench.bare_app import create_bare_app

    bare_web = create_bare_app(url)
    in_view = InView(app)
    results = []
    for case in cases:
        result = measure(app, client, callers.headers(case.caller), ctx, case, repeats,
                         bare_web, in_view)
        print(f"  {case.name:52s} {result['p50']:8.1f} ms  (SQL {_ms(result['sql']) or '-'}, "
              f"Flask {_ms(result['flask']) or '-'})", flush=True)
        results.append(result)
    bare_web.extensions["bare_engine"].dispose()
    with app.app_context():
        db.engine.dispose()
    return results, version


if __name__ == "__main__":
    main()
