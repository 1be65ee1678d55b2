"""OpenAPI document, docs page, CLI, configuration and security basics."""
import re

import pytest
from openapi_spec_validator import validate
from sqlalchemy import select

from app import create_app
from app.config import Config
from models import Department, StaticContent, User, db
from services.engine import REGISTRY
from tests.conftest import make_user


def test_openapi_document_is_valid_and_covers_every_route(client, app):
    document = client.get("/api/openapi.json").get_json()
    validate(document)
    documented = {path for path in document["paths"]}
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/") or rule.endpoint in ("api.openapi_document", "api.docs"):
            continue
        path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule.removeprefix("/api"))
        assert path in documented, path
    for name in REGISTRY:
        assert f"{name}_create" in document["components"]["schemas"]
    login = document["paths"]["/users/login"]["post"]
    assert login["security"] == []


def test_openapi_schema_carries_length_limits(client):
    schema = client.get("/api/openapi.json").get_json()["components"]["schemas"]["users_create"]
    assert schema["properties"]["username"]["maxLength"] == 50
    assert "username" in schema["required"] and "password" in schema["required"]


def test_docs_page_uses_local_files_only(client):
    page = client.get("/api/docs").get_data(as_text=True)
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in page
    assert "http://" not in page and "https://" not in page
    assert client.get("/static/vendor/swagger-ui/swagger-ui-bundle.js").status_code == 200


def test_security_headers_everywhere(client):
    for path in ("/admin/login", "/api/openapi.json", "/api/users/data"):
        headers = client.get(path).headers
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
        assert "default-src 'self'" in headers["Content-Security-Policy"]
        assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_session_cookie_flags(client, auth):
    response = auth.admin_login(make_user(roles=("ADMIN",)))
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_api_errors_are_json_envelopes(client):
    not_found = client.get("/api/tidak-ada")
    assert not_found.status_code == 404 and not_found.get_json()["status"] == "error"
    wrong_method = client.get("/api/users/1/delete")
    assert wrong_method.status_code == 405 and wrong_method.get_json()["status"] == "error"


def test_request_size_is_capped(app, client):
    big = b"{" + b" " * (app.config["MAX_CONTENT_LENGTH"] + 10) + b"}"
    response = client.post("/api/users/create", data=big, headers={"Content-Type": "application/json"})
    assert response.status_code == 413 and response.get_json()["status"] == "error"


def test_production_requires_a_secret_key(monkeypatch):
    monkeypatch.setattr(Config, "SECRET_KEY", None)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(Config)


def test_production_config_has_no_debug(database_url):
    application = create_app(Config, SECRET_KEY="x" * 32, SQLALCHEMY_DATABASE_URI=database_url)
    assert application.debug is False and application.testing is False
    application.config["PROPAGATE_EXCEPTIONS"] = False

    @application.get("/boom")
    def boom():
        raise RuntimeError("secret internals")

    response = application.test_client().get("/boom")
    assert response.status_code == 500
    assert "secret internals" not in response.get_data(as_text=True)
    assert "Traceback" not in response.get_data(as_text=True)


def test_create_owner_creates_then_resets(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["create-owner", "--username", "boss", "--password", "rahasia-123"])
    assert first.exit_code == 0 and "Created OWNER boss" in first.output
    db.session.rollback()
    boss = db.session.execute(select(User).where(User.username == "boss")).scalar_one()
    boss.is_blocked = True
    db.session.commit()
    second = runner.invoke(args=["create-owner", "--username", "boss", "--password", "baru-12345"])
    assert second.exit_code == 0 and "Reset OWNER boss" in second.output
    db.session.rollback()
    boss = db.session.execute(select(User).where(User.username == "boss")).scalar_one()
    assert not boss.is_blocked and boss.role_codes == {"OWNER"}
    weak = runner.invoke(args=["create-owner", "--username", "x2", "--password", "pendek"])
    assert weak.exit_code != 0


def test_seed_demo_is_idempotent_and_owner_can_sign_in(app, client):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0 and "Demo owner" in first.output
    counts = lambda: (db.session.query(User).count(), db.session.query(Department).count(),
                      db.session.query(StaticContent).count())
    db.session.rollback()
    before = counts()
    assert before[0] >= 5 and before[1] >= 3 and before[2] >= 3
    second = runner.invoke(args=["seed-demo"])
    assert "nothing new" in second.output
    db.session.rollback()
    assert counts() == before
    from services.demo import DEMO_OWNER
    login = client.post("/api/users/login", json={"username": DEMO_OWNER["username"],
                                                  "password": DEMO_OWNER["password"]})
    assert login.status_code == 200 and "OWNER" in login.get_json()["roles"]


def test_uploads_route_refuses_traversal(client):
    assert client.get("/uploads/users/..%2Fconfig.py").status_code == 404
    assert client.get("/uploads/secret/x.png").status_code == 404


def test_migrations_match_the_models():
    """Every schema change is a migration: after upgrade, nothing is left to autogenerate."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, db.metadata) == []


def test_migrations_upgrade_a_database_that_holds_doctors(tmp_path):
    """A clinic that upgrades keeps its data: the migrations that rebuild `doctors` and
    `doctor_services` (referenced by other tables) run on an SQLite file with rows in them,
    and down and up again."""
    from flask_migrate import downgrade, upgrade
    from sqlalchemy import text

    from app import create_app
    from app.config import TestingConfig

    application = create_app(TestingConfig,
                             SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'old.db'}")
    stamp = "'2026-01-01 00:00:00'"
    with application.app_context():
        upgrade(revision="c013616d3257")
        with db.engine.begin() as connection:
            for statement in (
                "INSERT INTO users (id, username, users_fullname, users_picture, users_status, "
                "positions, is_blocked, is_email_confirmed, is_phone_confirmed, "
                "is_password_reset_required, num_of_login_attempts, password_hash, created, "
                f"updated) VALUES (1, 'dok', 'Dok', '', 'Created', '', 0, 0, 0, 0, 0, 'x', {stamp}, "
                f"{stamp})",
                "INSERT INTO service_categories (id, service_categories, codes, color, images, "
                f"created, updated) VALUES (1, 'Kulit', 'K', '#000000', '', {stamp}, {stamp})",
                "INSERT INTO services (id, services_name, services_price, services_description, "
                "buffer_time, is_available, id_service_categories, created, updated) VALUES "
                f"(1, 'Konsultasi', 1, '', 30, 1, 1, {stamp}, {stamp})",
                "INSERT INTO doctors (id, id_users, custom_price, doctor_description, "
                "availability_description, short_description, is_active, created, updated) "
                f"VALUES (1, 1, 0, '', '', '', 1, {stamp}, {stamp})",
                "INSERT INTO doctor_services (id, id_doctors, id_services, custom_price, "
                f"doctor_buffer_time, is_active, created, updated) VALUES (1, 1, 1, 0, 0, 1, "
                f"{stamp}, {stamp})"):
                connection.execute(text(statement))
        upgrade()
        downgrade(revision="c013616d3257")
        upgrade()
        with db.engine.connect() as connection:
            assert connection.execute(text("SELECT live_id_users FROM doctors")).all() == [(1,)]
            assert connection.execute(text(
                "SELECT live_id_services, deleted_at FROM doctor_services")).all() == [(1, None)]
            assert connection.execute(text("PRAGMA foreign_key_check")).all() == []
        db.engine.dispose()


def test_the_record_appointment_link_migrates_down_and_up(tmp_path):
    """patient_rekam_medis gains id_user_schedules on a database holding records (SQLite
    rebuilds the table that the versions reference) and loses it again on the way down."""
    from flask_migrate import downgrade, upgrade
    from sqlalchemy import inspect, text

    from app import create_app
    from app.config import TestingConfig

    application = create_app(TestingConfig,
                             SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'records.db'}")
    stamp = "'2026-01-01 00:00:00'"
    with application.app_context():
        upgrade(revision="9d41c3e7a2b8")
        with db.engine.begin() as connection:
            for statement in (
                "INSERT INTO patients (id, patient_external_id, nama_lengkap_pasien, "
                f"patient_picture, created, updated) VALUES (1, '', 'Rita', '', {stamp}, {stamp})",
                "INSERT INTO patient_rekam_medis (id, id_patients, tanggal_konsul, keluhan, "
                "diagnosa, catatan_kaki, is_verified, version, created, updated) VALUES "
                f"(1, 1, '2024-01-01', 'Gatal', '', '', 0, 2, {stamp}, {stamp})",
                "INSERT INTO patient_rekam_medis_versions (id, id_rekam_medis, version, "
                "tanggal_konsul, keluhan, diagnosa, catatan_kaki, is_verified, changed_at) "
                f"VALUES (1, 1, 1, '2024-01-01', 'Gatal', '', '', 0, {stamp})"):
                connection.execute(text(statement))
        upgrade()
        columns = {column["name"] for column in inspect(db.engine).get_columns(
            "patient_rekam_medis")}
        assert "id_user_schedules" in columns
        downgrade(revision="9d41c3e7a2b8")
        assert "id_user_schedules" not in {column["name"] for column in inspect(
            db.engine).get_columns("patient_rekam_medis")}
        upgrade()
        with db.engine.connect() as connection:
            assert connection.execute(text(
                "SELECT id, keluhan, id_user_schedules FROM patient_rekam_medis")).all() == [
                (1, "Gatal", None)]
            assert connection.execute(text(
                "SELECT count(*) FROM patient_rekam_medis_versions")).scalar_one() == 1
            assert connection.execute(text("PRAGMA foreign_key_check")).all() == []
        db.engine.dispose()
