"""The bench's yardstick: a minimal Flask app on the same database, no authentication, no
engine, no ORM objects — SQLAlchemy Core on a pooled connection, rows straight to JSON.

- `GET /replay/<key>` runs the statements registered under `key` (the SELECTs an endpoint ran
  for its page, captured by bench/run.py) and answers their rows: `make bench`'s `Flask`
  column.
- `GET /menus/<id>` one SELECT of a product by id; `GET /explore/<table>?page=&length=` one
  SELECT of a page of a table (newest first): what `make bench-load` (bench/load.py) puts
  beside `menus/{id}` and the list mix under the same gunicorn settings.

Served by gunicorn as `bench.bare_app:create_bare_app()` with BARE_DATABASE_URL set."""
import os
from datetime import date, datetime, time
from decimal import Decimal

from flask import Flask, abort, jsonify, request
from sqlalchemy import create_engine, event, text

# the tables the list mix reads (bench/load.py), each one SELECT of a page
TABLES = ("menus", "users", "patients", "user_schedules", "patient_rekam_medis",
          "brandstore_menus", "orders")


def _plain(value):
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, (datetime, date, time)):
        return value.isoformat(sep=" ") if isinstance(value, datetime) else value.isoformat()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value)


def _engine(url: str):
    options = {}
    if url.startswith("mysql"):
        options = {"isolation_level": "READ COMMITTED", "pool_recycle": 3600}
    engine = create_engine(url, **options)
    if engine.dialect.name == "sqlite":
        @event.listens_for(engine, "connect")
        def _on_connect(connection, _record):
            # the app's statements may call lower(); the app defines it per connection
            connection.create_function(
                "lower", 1, lambda v: v.lower() if isinstance(v, str) else v,
                deterministic=True)
            connection.execute("PRAGMA busy_timeout=5000")
    return engine


def create_bare_app(url: str | None = None) -> Flask:
    url = url or os.environ["BARE_DATABASE_URL"]
    engine = _engine(url)
    app = Flask("bare")
    app.config["STATEMENTS"] = {}
    app.extensions["bare_engine"] = engine

    @app.get("/replay/<key>")
    def replay(key):
        statements = app.config["STATEMENTS"].get(key)
        if statements is None:
            abort(404)
        answers = []
        with engine.connect() as connection:
            for statement, parameters in statements:
                result = connection.exec_driver_sql(statement, parameters)
                answers.append([[_plain(value) for value in row] for row in result])
        return jsonify({"data": answers})

    @app.get("/menus/<int:menu_id>")
    def menu(menu_id):
        with engine.connect() as connection:
            row = connection.execute(text("SELECT * FROM menus WHERE id = :id"),
                                     {"id": menu_id}).mappings().first()
        if row is None:
            abort(404)
        return jsonify({"menus": {key: _plain(value) for key, value in row.items()}})

    @app.get("/explore/<table>")
    def explore(table):
        if table not in TABLES:
            abort(404)
        page = max(request.args.get("page", 1, type=int), 1)
        length = min(max(request.args.get("length", 10, type=int), 1), 100)
        with engine.connect() as connection:
            rows = connection.execute(
                text(f"SELECT * FROM {table} ORDER BY id DESC LIMIT :length OFFSET :offset"),
                {"length": length, "offset": (page - 1) * length}).mappings().all()
        return jsonify({"page": page, "length": length,
                        "data": [{key: _plain(value) for key, value in row.items()}
                                 for row in rows]})

    return app
