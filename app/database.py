"""The database engine's settings per kind of database, and what each connection needs:
SQLite's pragmas and Unicode lower(); on MariaDB, a connection pinged only when it sat idle
in the pool, and returned to it without a second ROLLBACK."""
from time import monotonic
from pathlib import Path

from sqlalchemy import event, exc

from .extensions import db


def configure_engine(app):
    """Adjust SQLALCHEMY_ENGINE_OPTIONS to the database of SQLALCHEMY_DATABASE_URI (before
    the engine is made)."""
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    options = dict(app.config["SQLALCHEMY_ENGINE_OPTIONS"])
    if url.startswith("mysql"):
        # Each statement sees what others committed; counters use conditional updates.
        options.update(isolation_level="READ COMMITTED", pool_recycle=3600)
        # Pinging on every checkout was a round trip per request (a tenth of menus/{id}
        # under load): ping_when_idle pings the connections that could have gone stale.
        options.pop("pool_pre_ping", None)
        # The session's close already rolled its transaction back (SQLAlchemy ends every
        # transaction it begins); the pool's reset was a second ROLLBACK per request.
        options["pool_reset_on_return"] = None
    if url.startswith("sqlite"):
        # a file, not a server: no connection goes stale, so none is pinged before each use
        options.pop("pool_pre_ping", None)
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options


def prepare_connections(app):
    """Register what the engine's connections need (after db.init_app)."""
    with app.app_context():
        engine = db.engine
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_connected)
    elif engine.dialect.name == "mysql":
        ping_when_idle(engine, app.config["DB_PING_IDLE_SECONDS"])


def _sqlite_connected(connection, _record):
    """SQLite enforces foreign keys only when asked, per connection."""
    cursor = connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()
    # lower() as Python's: uniqueness regardless of case holds for any letter
    # (SQLite's own lower() changes ASCII only; MariaDB's knows Unicode)
    connection.create_function("lower", 1, _unicode_lower, deterministic=True)


def _unicode_lower(value):
    """SQLite's lower(): Unicode lower case of text, other values unchanged."""
    return value.lower() if isinstance(value, str) else value


def ping_when_idle(engine, idle_seconds: float):
    """Ping a connection before handing it out only when it sat in the pool longer than
    `idle_seconds` (a server restart, a dropped network, wait_timeout): a dead one is thrown
    away and the pool hands out a new one (a DisconnectionError raised at checkout makes it
    retry). A connection in steady use is not pinged; one that dies between two quick uses
    fails that request, which the app answers with a 503 (app/__init__: _database_away), and
    the pool then replaces every connection made before the failure."""
    @event.listens_for(engine, "checkin")
    def _returned(_dbapi_connection, record):
        record.info["returned_at"] = monotonic()

    @event.listens_for(engine, "checkout")
    def _handed_out(dbapi_connection, record, _proxy):
        returned = record.info.get("returned_at")
        if returned is None or monotonic() - returned <= idle_seconds:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error as error:
            raise exc.DisconnectionError("the connection did not answer a ping") from error
