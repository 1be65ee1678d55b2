"""A list's row count is remembered for a few seconds (services/engine/counts.py, issue 13) and
never answered older than this process's own writes: ORM or not, from any engine, committed
or rolled back. Without the memory, every page of every list counted its rows again."""
import pytest
from sqlalchemy import text

from models import Patient, db
from services.engine import counts
from tests.conftest import count_queries
from tests.factories.accounts import PASSWORD, make_user
from tests.factories.patients import make_patient


@pytest.fixture(autouse=True)
def _fresh_counts(app):
    counts.forget_all()
    previous = app.config["COUNT_CACHE_SECONDS"]
    app.config["COUNT_CACHE_SECONDS"] = 60
    yield
    app.config["COUNT_CACHE_SECONDS"] = previous
    counts.forget_all()


def _explore(client, headers, body=None, page=1):
    with count_queries(remembered_counts=True) as statements:
        answer = client.post(f"/api/patients/explore?page={page}&length=2", headers=headers,
                             json=body or {})
    assert answer.status_code == 200, answer.get_data(as_text=True)
    counted = [sql for sql in statements if "count(" in sql.lower()]
    return answer.get_json()["totaldata"], len(counted)


def test_a_count_is_remembered_for_every_page_and_caller(client, auth, owner, owner_headers):
    for _ in range(3):
        make_patient()
    assert _explore(client, owner_headers) == (3, 1)
    assert _explore(client, owner_headers) == (3, 0)  # the same list: not counted again
    assert _explore(client, owner_headers, page=2) == (3, 0)  # another page of it
    assert _explore(client, owner_headers, {"jenis_kelamin": "L"})[1] == 1  # other values


def test_a_write_through_the_api_is_counted_at_once(client, owner_headers):
    make_patient()
    assert _explore(client, owner_headers) == (1, 1)
    created = client.post("/api/patients/create", headers=owner_headers, json={
        "nama_lengkap_pasien": "Sri Rahayu", "jenis_kelamin": "P"})
    assert created.status_code in (200, 201), created.get_data(as_text=True)
    assert _explore(client, owner_headers) == (2, 1)


def test_writes_of_another_engine_and_of_plain_sql_are_counted_at_once(client, owner_headers):
    """The factories write through the test's own app (another engine on the same database);
    plain SQL statements name their table in the text."""
    make_patient()
    assert _explore(client, owner_headers)[0] == 1
    make_patient()  # ORM, another engine
    assert _explore(client, owner_headers) == (2, 1)
    db.session.execute(text("UPDATE patients SET deleted_at = CURRENT_TIMESTAMP WHERE id = "
                            f"{db.session.execute(text('SELECT MIN(id) FROM patients')).scalar()}"))
    db.session.commit()
    assert _explore(client, owner_headers) == (1, 1)
    before = counts.generation("patients")
    with db.engine.begin() as connection:
        connection.exec_driver_sql("DELETE FROM patients")
    assert counts.generation("patients") > before
    assert _explore(client, owner_headers) == (0, 1)


def test_a_write_rolled_back_leaves_the_committed_count(client, owner_headers):
    make_patient()
    assert _explore(client, owner_headers)[0] == 1
    db.session.add(Patient(nama_lengkap_pasien="Tidak Jadi", jenis_kelamin="L"))
    db.session.flush()  # written, not committed: other connections do not see it
    before = counts.generation("patients")
    db.session.rollback()
    assert counts.generation("patients") > before
    assert _explore(client, owner_headers) == (1, 1)


def test_a_count_taken_after_writing_in_the_same_transaction_is_not_kept(data_app, client,
                                                                         monkeypatch):
    """Inside a transaction that has written, the count holds rows nobody else sees yet:
    another caller meanwhile gets the committed count, not that one."""
    from models import User
    from services.engine.core import explore
    from services.engine.resource import get_resource

    monkeypatch.setitem(data_app.config, "COUNT_CACHE_SECONDS", 60)
    make_patient()
    owner = make_user(roles=("OWNER", "ADMIN", "USERS"), username="pemilik2")
    headers = {"Authorization": f"Bearer {_token(client, owner)}"}
    assert _explore(client, headers) == (1, 1)  # (the token's first use is written now)
    counts.forget_all()
    with data_app.test_request_context():  # the test's own session (another engine)
        db.session.add(Patient(nama_lengkap_pasien="Belum Tersimpan", jenis_kelamin="P"))
        db.session.flush()
        actor = db.session.get(User, owner.id)
        assert explore(get_resource("patients"), actor, {}).total == 2
    assert _explore(client, headers) == (1, 1)  # another connection: the committed rows
    db.session.rollback()


def _token(client, user):
    answer = client.post("/api/users/login", json={
        "act": "login", "username": user.username, "password": PASSWORD, "app": "mobile"})
    return answer.get_json()["bearer"]


def test_a_remembered_count_ends_after_its_seconds(client, owner_headers, monkeypatch, app):
    make_patient()
    assert _explore(client, owner_headers) == (1, 1)
    clock = counts.time.monotonic() + 61
    monkeypatch.setattr(counts.time, "monotonic", lambda: clock)
    assert _explore(client, owner_headers) == (1, 1)


def test_no_memory_when_the_setting_is_zero(client, owner_headers, app):
    make_patient()
    app.config["COUNT_CACHE_SECONDS"] = 0
    assert _explore(client, owner_headers) == (1, 1)
    assert _explore(client, owner_headers) == (1, 1)


def test_a_customer_never_gets_the_count_of_another_callers_list(client, auth, owner_headers):
    """The count's statement holds who asks (their own rows): another caller, another count."""
    for _ in range(4):
        make_patient()
    customer = make_user(roles=("CUSTOMER",), username="pelanggan1")
    mine = make_patient(user=customer)
    assert _explore(client, owner_headers)[0] == 5
    answer = client.post("/api/patients/explore", headers=auth.headers(customer), json={})
    assert answer.status_code == 200
    assert [row["id"] for row in answer.get_json()["data"]] == [mine.id]
    assert answer.get_json()["totaldata"] == 1


def test_the_tables_a_written_statement_names():
    class Context:  # what a plain (driver) statement's context tells
        compiled = None
        isddl = False

    assert counts._written_tables("SELECT 1", Context()) is None
    assert counts._written_tables("  with x as (select 1) select * from x", Context()) is None
    assert counts._written_tables("INSERT INTO `orders` (id) VALUES (1)", Context()) == ("orders",)
    assert counts._written_tables("insert or replace into users values (1)", Context()) == \
        ("users",)
    assert counts._written_tables('UPDATE "patients" SET x = 1', Context()) == ("patients",)
    assert counts._written_tables("DELETE FROM logs WHERE 1", Context()) == ("logs",)
    assert counts._written_tables("TRUNCATE TABLE logs", Context()) == ("",)  # every count


def test_a_count_asked_with_a_long_text_is_not_kept(client, owner_headers):
    """Megabytes of filter text would stay in memory as the count's key: counted each time."""
    make_patient(patient_external_id="RM-00001")
    long_text = "RM-" + "x" * 5000  # an equality filter takes any length (a search: ≤ 200)
    assert _explore(client, owner_headers, {"patient_external_id": long_text}) == (0, 1)
    assert _explore(client, owner_headers, {"patient_external_id": long_text}) == (0, 1)
    assert _explore(client, owner_headers, {"patient_external_id": "RM-00001"}) == (1, 1)
    assert _explore(client, owner_headers, {"patient_external_id": "RM-00001"}) == (1, 0)
