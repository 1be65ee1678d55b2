"""The connection pool on MariaDB (app/database.py): a connection is pinged only after it sat
idle, a dead one is replaced before a request uses it, one that died between two quick uses
costs that request a 503 (never a 500), and a request ends with one ROLLBACK, not two."""
import pytest
from sqlalchemy import event, text
from sqlalchemy.exc import OperationalError

from app import database
from models import db
from tests.conftest import PASSWORD, make_user


@pytest.fixture
def server_engine(app):
    """The engine of the app under test, on MariaDB only, its pool emptied before and after."""
    with app.app_context():
        engine = db.engine
    if engine.dialect.name != "mysql":
        pytest.skip("the pool's upkeep concerns a server database (MariaDB in make test)")
    engine.dispose()
    yield engine
    engine.dispose()


def _connections_used(engine, call) -> set:
    """The server's ids of the connections `call` took from the pool."""
    ids = set()

    def taken(dbapi_connection, _record, _proxy):
        ids.add(dbapi_connection.thread_id())

    event.listen(engine, "checkout", taken)
    try:
        call()
    finally:
        event.remove(engine, "checkout", taken)
    return ids


def _kill(connection_ids):
    """End those connections from the server's side (as a restart or a dropped network would)."""
    for connection_id in connection_ids:
        db.session.execute(text(f"KILL CONNECTION {int(connection_id)}"))


def _menus(client, headers):
    return client.post("/api/menus/explore", json={}, headers=headers)


def test_a_connection_that_died_while_idle_is_replaced_before_use(app, client, server_engine,
                                                                 monkeypatch):
    headers = {"Authorization": f"Bearer {_token(client)}"}
    used = _connections_used(server_engine, lambda: _menus(client, headers))
    _kill(used)
    later = database.monotonic() + app.config["DB_PING_IDLE_SECONDS"] + 1
    monkeypatch.setattr(database, "monotonic", lambda: later)  # it has sat in the pool
    assert _menus(client, headers).status_code == 200


def test_a_connection_that_died_between_two_quick_uses_costs_that_request_a_503(
        client, server_engine):
    headers = {"Authorization": f"Bearer {_token(client)}"}
    used = _connections_used(server_engine, lambda: _menus(client, headers))
    _kill(used)
    response = _menus(client, headers)
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "2"
    assert response.get_json()["exception"]["error_code"] == "database_unavailable"
    assert _menus(client, headers).status_code == 200  # the pool has replaced it


def test_a_request_rolls_back_once(client, server_engine, monkeypatch):
    headers = {"Authorization": f"Bearer {_token(client)}"}
    _menus(client, headers)
    rollbacks = []
    real = server_engine.dialect.do_rollback
    monkeypatch.setattr(server_engine.dialect, "do_rollback",
                        lambda connection: (rollbacks.append(1), real(connection)))
    assert _menus(client, headers).status_code == 200
    assert len(rollbacks) == 1


def test_any_other_database_error_is_still_a_500_without_its_text(client, monkeypatch):
    from services.engine import core

    def broken(*_args, **_kwargs):
        raise OperationalError("SELECT 1", {}, Exception(1054, "Unknown column 'rahasia'"))

    monkeypatch.setattr(core, "explore", broken)
    response = client.post("/api/menus/explore", json={})
    assert response.status_code == 500 and "rahasia" not in response.get_data(as_text=True)


def test_a_database_that_cannot_be_reached_is_a_503(client, monkeypatch):
    from services.engine import core

    def unreachable(*_args, **_kwargs):
        raise OperationalError("SELECT 1", {}, Exception(2003, "Can't connect to server"))

    monkeypatch.setattr(core, "explore", unreachable)
    response = client.post("/api/menus/explore", json={})
    assert response.status_code == 503 and response.headers["Retry-After"] == "2"
    assert "2003" not in response.get_data(as_text=True)


def _token(client) -> str:
    user = make_user(roles=("OWNER",))
    body = client.post("/api/users/login", json={"username": user.username,
                                                 "password": PASSWORD}).get_json()
    return body["bearer"]
