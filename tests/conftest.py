"""Shared fixtures: the app on a migrated database (SQLite or TEST_DATABASE_URL), clients,
bearer-token auth, an HTMX client and small factories `make_<entity>(**kw)`."""
import io
import os
import tempfile
from contextlib import contextmanager

import pytest
from flask_migrate import upgrade
from sqlalchemy import event, text
from sqlalchemy.engine import Engine

from app import create_app
from app.config import TestingConfig
from app.extensions import db, limiter

from tests.factories import FACTORIES, VALID_CREATE  # noqa: F401
from tests.factories.accounts import (PASSWORD, make_department, make_log,  # noqa: F401
                                      make_role, make_static_content, make_user,
                                      make_user_department)


@pytest.fixture(scope="session")
def database_url():
    """TEST_DATABASE_URL (MariaDB in `make test`) or a fresh temporary SQLite file."""
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        yield url
        return
    folder = tempfile.mkdtemp(prefix="colederma-test-")
    yield f"sqlite:///{folder}/test.db"


def _build_app(database_url, upload_dir):
    return create_app(
        TestingConfig, SQLALCHEMY_DATABASE_URI=database_url, UPLOAD_DIR=upload_dir,
        ARGON2_TIME_COST=1, ARGON2_MEMORY_COST=1024, UPLOAD_MAX_BYTES=512 * 1024,
        UPLOAD_MAX_PIXELS=4_000_000,
        # room for the concurrency tests (20 simultaneous requests)
        SQLALCHEMY_ENGINE_OPTIONS={"pool_pre_ping": True, "pool_size": 25, "max_overflow": 10})


@pytest.fixture(scope="session")
def app(database_url, tmp_path_factory):
    """The application under test, its schema built by the migrations."""
    application = _build_app(database_url, str(tmp_path_factory.mktemp("uploads")))
    with application.app_context():
        if db.engine.dialect.name != "sqlite":
            db.drop_all()
            with db.engine.begin() as connection:
                connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
        upgrade()
    yield application


@pytest.fixture(scope="session")
def data_app(app, database_url):
    """A second app object on the same database, for factories and checks.

    Tests hold its app context; requests to `app` then get their own context (and their
    own session and `g`), exactly as in production."""
    return _build_app(database_url, app.config["UPLOAD_DIR"])


@pytest.fixture(autouse=True)
def _clean_database(data_app):
    """Each test starts with empty tables and a fresh rate limiter."""
    with data_app.app_context():
        yield
        db.session.rollback()
        db.session.remove()
        with db.engine.begin() as connection:
            for table in reversed(db.metadata.sorted_tables):
                connection.execute(table.delete())
        limiter.reset()


@pytest.fixture
def client(app):
    """A plain test client."""
    return app.test_client()


class HtmxClient:
    """A test client whose requests say `HX-Request: true`."""

    def __init__(self, client):
        self.client = client

    def __getattr__(self, name):
        method = getattr(self.client, name)
        if name not in {"get", "post", "put", "delete", "patch"}:
            return method

        def call(*args, headers=None, **kwargs):
            merged = {"HX-Request": "true", **(headers or {})}
            return method(*args, headers=merged, **kwargs)
        return call


@pytest.fixture
def htmx(client):
    """The same client, speaking as HTMX."""
    return HtmxClient(client)


@pytest.fixture
def factories():
    """The factories by resource name."""
    return FACTORIES


class Auth:
    """Sign users in through the real endpoints."""

    def __init__(self, client):
        self.client = client

    def token(self, user, password=PASSWORD, app="mobile"):
        """A bearer token from users/login."""
        response = self.client.post("/api/users/login", json={
            "act": "login", "username": user.username, "password": password, "app": app})
        assert response.status_code == 200, response.get_json()
        return response.get_json()["bearer"]

    def headers(self, user, password=PASSWORD):
        """Authorization headers for a user."""
        return {"Authorization": f"Bearer {self.token(user, password)}"}

    def admin_login(self, user, password=PASSWORD):
        """Sign in to /admin with the form (CSRF token included)."""
        page = self.client.get("/admin/login")
        token = csrf_from(page.get_data(as_text=True))
        return self.client.post("/admin/login", data={
            "csrf_token": token, "username": user.username, "password": password})


def csrf_from(html):
    """The CSRF token of a rendered page."""
    import re
    match = re.search(r'name="csrf-token" content="([^"]+)"', html) or re.search(
        r'name="csrf_token"[^>]*value="([^"]+)"', html)
    assert match, "no CSRF token in page"
    return match.group(1)


@pytest.fixture
def auth(client):
    """Sign-in helpers on the shared client."""
    return Auth(client)


@pytest.fixture
def owner():
    """An OWNER (with ADMIN and USERS, as the clinic sets it up)."""
    return make_user(roles=("OWNER", "ADMIN", "USERS"), username="pemilik")


@pytest.fixture
def owner_headers(auth, owner):
    """Bearer headers of the owner."""
    return auth.headers(owner)


@contextmanager
def count_queries(remembered_counts=False):
    """Count SQL statements run inside the block: `with count_queries() as queries: …`.
    Lists count their rows afresh inside it (no count remembered from before the block, see
    services/engine/counts.py), so the number is the same however the test got there;
    `remembered_counts=True` keeps them."""
    from services.engine import counts

    if not remembered_counts:
        counts.forget_all()
    statements = []

    def before(conn, cursor, statement, parameters, context, executemany):
        if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "PRAGMA")):
            statements.append(statement)

    event.listen(Engine, "before_cursor_execute", before)
    try:
        yield statements
    finally:
        event.remove(Engine, "before_cursor_execute", before)


def png_bytes(size=(40, 30), colour=(200, 30, 30), exif=False):
    """A small real PNG (or JPEG with EXIF when exif=True)."""
    from PIL import Image
    image = Image.new("RGB", size, colour)
    buffer = io.BytesIO()
    if exif:
        info = Image.Exif()
        info[0x010F] = "KameraRahasia"
        image.save(buffer, "JPEG", exif=info)
    else:
        image.save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture(scope="session")
def httpserver_listen_address():
    """pytest-httpserver's fake outside services listen on 127.0.0.1 (a free port)."""
    return ("127.0.0.1", 0)
