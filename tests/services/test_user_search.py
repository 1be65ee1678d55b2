"""The users' text search (issue 13): each word of it, in any order and any case, a substring
of the username, name, e-mail, phone, position, status, birthday or address — looked for in
`search_text`, which the model keeps from those columns on every insert and update and which
no answer ever shows; the table, the admin Pengguna list and its counts read the narrow index
ix_users_search instead of the users' rows."""
from datetime import date

import pytest
from sqlalchemy import select, text

from models import User, db
from models.accounts import USER_SEARCH_TEXT_LENGTH, user_search_text
from tests.conftest import count_queries, make_user

REGISTRATION = {"username": "ritaamb", "users_fullname": "Rita Ambarwati",
                "users_email": "Rita.A@Contoh.co.id", "users_phone": "081234567890",
                "password": "qwerty123", "retype_password": "qwerty123"}


def _stored_search_text(user_id) -> str:
    db.session.rollback()
    return db.session.execute(text("SELECT search_text FROM users WHERE id = :id"),
                              {"id": user_id}).scalar_one()


def _tabled(client, headers, words, column=None, direction="asc", length=10):
    form = {"draw": "1", "start": "0", "length": str(length), "search[value]": words}
    if column is not None:
        form.update({"order[0][column]": str(column), "order[0][dir]": direction})
    response = client.post("/api/users/table", headers=headers, data=form)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def _found(client, headers, words, **kw):
    return [row[0] for row in _tabled(client, headers, words, **kw)["data"]]


def test_the_search_text_is_written_on_registration_and_follows_api_updates(client,
                                                                             owner_headers):
    created = client.post("/api/users/create", json=REGISTRATION)
    assert created.status_code == 200, created.get_json()
    user_id = created.get_json()["users"]["id"]
    assert _stored_search_text(user_id).splitlines() == [
        "ritaamb", "rita ambarwati", "rita.a@contoh.co.id", "081234567890", "", "created", ""]
    assert _found(client, owner_headers, "ambarwati") == [user_id]

    changed = client.put(f"/api/users/{user_id}/update", headers=owner_headers, json={
        "users_fullname": "Rita Kusuma", "users_address": "Jl. Merdeka 10, Bandung",
        "users_birthday": "25/11/1995", "positions": "Kasir"})
    assert changed.status_code == 200, changed.get_json()
    assert _stored_search_text(user_id).splitlines() == [
        "ritaamb", "rita kusuma", "rita.a@contoh.co.id", "081234567890", "kasir", "created",
        "1995-11-25", "jl. merdeka 10, bandung"]
    assert _found(client, owner_headers, "ambarwati") == []
    assert _found(client, owner_headers, "kusuma bandung") == [user_id]


def test_the_search_text_follows_changes_made_through_the_orm(client, owner_headers):
    user = make_user(username="budi_s", users_fullname="Budi Santoso", users_phone=None,
                     users_email=None)
    assert _stored_search_text(user.id).splitlines() == ["budi_s", "budi santoso", "", "",
                                                         "", "created", ""]
    user = db.session.get(User, user.id)
    user.users_phone = "085700000001"
    user.users_birthday = date(1990, 1, 2)
    db.session.commit()
    assert _stored_search_text(user.id).splitlines()[3] == "085700000001"
    assert "1990-01-02" in _stored_search_text(user.id)
    assert _found(client, owner_headers, "0857") == [user.id]
    # a change to another column keeps it as it is
    user = db.session.get(User, user.id)
    user.num_of_login_attempts = 3
    db.session.commit()
    assert "085700000001" in _stored_search_text(user.id)


def test_the_search_text_is_cut_at_its_length_address_last():
    values = {"username": "u" * 50, "users_fullname": "N" * 150, "users_email": "e" * 150,
              "users_phone": "0" * 20, "positions": "p" * 100, "users_status": "s" * 30,
              "users_birthday": date(2000, 1, 1), "users_address": "Jalan " * 60}
    searched = user_search_text(values)
    assert len(searched) == USER_SEARCH_TEXT_LENGTH
    assert searched.splitlines()[:7] == ["u" * 50, "n" * 150, "e" * 150, "0" * 20, "p" * 100,
                                         "s" * 30, "2000-01-01"]
    assert searched.splitlines()[7].startswith("jalan jalan")


@pytest.mark.parametrize("words", [
    "ritaamb", "RITAAMB", "ambarwati", "AMBAR rita", "rita ambar", "wati", "contoh.co",
    "rita.a@contoh", "4567", "0812 rita", "apoteker", "bandung", "merdeka ambar", "1995-11",
    "aktif"])
def test_the_table_finds_each_word_in_any_searched_column(client, owner_headers, words):
    rita = make_user(username="ritaamb", users_fullname="Rita Ambarwati",
                     users_email="rita.a@contoh.co.id", users_phone="081234567890",
                     positions="Apoteker", users_status="Aktif", users_birthday=date(1995, 11, 3),
                     users_address="Jl. Merdeka 10, Bandung")
    make_user(username="budi", users_fullname="Budi Santoso", users_email="budi@example.com",
              users_phone="085700000001", users_address="Surabaya")
    assert _found(client, owner_headers, words) == [rita.id]


def test_every_word_must_be_found_and_wildcards_are_plain_text(client, owner_headers):
    make_user(username="ritaamb", users_fullname="Rita Ambarwati")
    make_user(username="budi", users_fullname="Budi Santoso")
    assert _found(client, owner_headers, "rita santoso") == []
    assert _found(client, owner_headers, "%") == [] and _found(client, owner_headers, "_") == []
    assert _found(client, owner_headers, "rita\nambar") != []  # white space of any kind


def test_the_admin_user_list_searches_word_by_word(client, auth):
    owner = make_user(roles=("OWNER", "ADMIN", "USERS"), username="pemilik")
    assert auth.admin_login(owner).status_code == 302
    make_user(users_fullname="Zaskia Unik", users_address="Cimahi")
    make_user(users_fullname="Pasien Biasa")
    page = client.get("/admin/users/?q=cimahi+ZASKIA", headers={"HX-Request": "true"})
    listed = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Zaskia Unik" in listed and "Pasien Biasa" not in listed
    assert "cimahi\nzaskia" not in listed.lower() and "search_text" not in listed


def test_a_search_sorted_by_name_pages_like_offset_paging(client, owner_headers):
    made = [make_user(users_fullname=f"Sari {'BCA'[number % 3]} {number:02d}")
            for number in range(14)]
    make_user(users_fullname="Budi Lain")
    expected = [user.id for user in sorted(made, key=lambda user: (user.users_fullname,
                                                                   user.id), reverse=True)]
    pages = []
    for start in range(0, 14, 5):
        body = client.post("/api/users/table", headers=owner_headers, data={
            "draw": "1", "start": str(start), "length": "5", "search[value]": "sari",
            "order[0][column]": "2", "order[0][dir]": "desc"}).get_json()
        assert body["recordsFiltered"] == 14 and body["recordsTotal"] == 16  # + the owner
        pages += [row[0] for row in body["data"]]
    assert pages == expected


def test_a_search_costs_the_same_queries_at_length_10_and_100(client, owner_headers):
    for number in range(30):
        make_user(users_fullname=f"Sari Wulan {number}", roles=("CUSTOMER", "USERS"))
    _tabled(client, owner_headers, "sari")  # the token's first use is written once
    counts = []
    for length in (10, 100):
        with count_queries() as statements:
            body = _tabled(client, owner_headers, "sari wulan", column=2, direction="desc",
                           length=length)
        assert len(body["data"]) == min(length, 30)
        counts.append(len(statements))
    assert counts[0] == counts[1], counts


def test_the_search_text_is_never_part_of_an_answer(client, auth, owner, owner_headers):
    user = make_user(users_fullname="Rita Ambarwati", users_address="Bandung")
    marker = "rita ambarwati"  # the search text's lower-case line of the name
    answers = [
        client.get(f"/api/users/{user.id}", headers=owner_headers),
        client.post("/api/users/explore", headers=owner_headers, json={}),
        client.post("/api/users/search", headers=owner_headers, json={"keyword": "rita"}),
        client.post("/api/users/table", headers=owner_headers,
                    data={"draw": "1", "search[value]": "rita"}),
        client.get("/api/users/data", headers=auth.headers(user)),
        client.put(f"/api/users/{user.id}/update", headers=owner_headers,
                   json={"positions": "Kasir"}),
    ]
    for response in answers:
        assert response.status_code == 200, response.get_json()
        body = response.get_data(as_text=True)
        assert "search_text" not in body and marker not in body
    assert auth.admin_login(owner).status_code == 302
    for path in (f"/admin/users/{user.id}", f"/admin/users/{user.id}/edit", "/admin/users/"):
        page = client.get(path)
        assert page.status_code == 200, path
        assert "search_text" not in page.get_data(as_text=True), path


def test_a_search_compares_the_stored_lower_case_text_as_it_is(client, owner_headers):
    """No lower() of every row's search text (it is lower case already), and on MariaDB the
    live users are not taken through ix_users_deleted_at for a search."""
    for number in range(5):
        make_user(users_fullname=f"Sari {number}")
    seen = []

    def record(_conn, _cursor, statement, _parameters, _context, _many):
        if "search_text" in statement:
            seen.append(statement)

    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    event.listen(Engine, "before_cursor_execute", record)
    try:
        _tabled(client, owner_headers, "sari", column=2, direction="desc")
    finally:
        event.remove(Engine, "before_cursor_execute", record)
    assert len(seen) == 2  # the count and the page
    for statement in seen:
        assert "lower(users.search_text)" not in statement
        assert "users.search_text LIKE" in statement
    if db.engine.dialect.name == "sqlite":
        return
    assert all("IGNORE INDEX (ix_users_deleted_at)" in statement for statement in seen)


def test_the_user_search_index_serves_the_count_and_the_name_order_on_mariadb(client,
                                                                               owner_headers):
    """The count of a search and its page sorted by name read ix_users_search alone (MariaDB;
    SQLite's choice depends on ANALYZE statistics: see bench/RESULTS.md)."""
    if db.engine.dialect.name == "sqlite":
        pytest.skip("SQLite's choice depends on ANALYZE statistics")
    for number in range(5):
        make_user(users_fullname=f"Sari {number}")
    raw = db.engine.raw_connection()
    try:
        cursor = raw.cursor()
        for statement in (
                "SELECT count(*) FROM users IGNORE INDEX (ix_users_deleted_at) "
                "WHERE deleted_at IS NULL AND search_text LIKE '%%sari%%'",
                "SELECT id FROM users IGNORE INDEX (ix_users_deleted_at) "
                "WHERE deleted_at IS NULL AND search_text LIKE '%%sari%%' "
                "ORDER BY users_fullname DESC, id LIMIT 10"):
            cursor.execute("EXPLAIN " + statement)
            names = [column[0] for column in cursor.description]
            rows = [dict(zip(names, row)) for row in cursor.fetchall()]
            assert rows[0]["key"] == "ix_users_search", rows
            assert "Using index" in (rows[0]["Extra"] or ""), rows
    finally:
        raw.close()


def test_the_migration_fills_the_search_text_of_existing_users_and_goes_back(tmp_path):
    from flask_migrate import downgrade, upgrade
    from sqlalchemy import inspect

    from app import create_app
    from app.config import TestingConfig

    application = create_app(TestingConfig,
                             SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'users.db'}")
    stamp = "'2026-01-01 00:00:00'"
    with application.app_context():
        upgrade(revision="c3f7a9d1e246")
        with db.engine.begin() as connection:
            for number, (name, birthday, address) in enumerate((
                    ("Rita AMBARWATI", "'1995-11-25'", "'Jl. Merdeka, Bandung'"),
                    ("Budi Santoso", "NULL", "NULL")), 1):
                connection.execute(text(
                    "INSERT INTO users (id, username, users_fullname, users_email, users_phone, "
                    "users_address, users_birthday, users_picture, users_status, positions, "
                    "is_blocked, is_email_confirmed, is_phone_confirmed, "
                    "is_password_reset_required, num_of_login_attempts, password_hash, "
                    f"created, updated) VALUES ({number}, 'User{number}', '{name}', NULL, "
                    f"'0812{number}', {address}, {birthday}, '', 'Created', 'Kasir', 0, 0, 0, "
                    f"0, 0, 'x', {stamp}, {stamp})"))
        upgrade()
        with db.engine.connect() as connection:
            stored = dict(connection.execute(text("SELECT id, search_text FROM users")).all())
        assert stored[1] == user_search_text({
            "username": "User1", "users_fullname": "Rita AMBARWATI", "users_phone": "08121",
            "users_address": "Jl. Merdeka, Bandung", "users_birthday": date(1995, 11, 25),
            "users_status": "Created", "positions": "Kasir"})
        assert stored[1].splitlines() == ["user1", "rita ambarwati", "", "08121", "kasir",
                                          "created", "1995-11-25", "jl. merdeka, bandung"]
        assert stored[2].splitlines()[:2] == ["user2", "budi santoso"]
        assert "ix_users_search" in {index["name"] for index in inspect(db.engine)
                                     .get_indexes("users")}
        downgrade(revision="c3f7a9d1e246")
        assert "search_text" not in {column["name"] for column in inspect(db.engine)
                                     .get_columns("users")}
        upgrade()
        with db.engine.connect() as connection:
            assert connection.execute(text(
                "SELECT search_text FROM users WHERE id = 2")).scalar_one() == stored[2]
            assert connection.execute(text("PRAGMA foreign_key_check")).all() == []
        db.engine.dispose()


def test_registration_still_signs_in_with_the_search_text_deferred(client):
    """The signed-in user is loaded without its search text (deferred) and still works."""
    assert client.post("/api/users/create", json=REGISTRATION).status_code == 200
    response = client.post("/api/users/login", json={
        "act": "login", "username": "ritaamb", "password": "qwerty123", "app": "mobile"})
    assert response.status_code == 200
    user = db.session.execute(select(User).where(User.username == "ritaamb")).scalar_one()
    assert "search_text" not in user.__dict__  # not loaded with the row


@pytest.mark.parametrize("path, field", [
    ("/api/patients/explore", "keyword"),  # each word, in patients.search_text
    ("/api/patients/search", "keyword"),
    ("/api/users/explore", "keyword"),  # the whole text, in four columns
    ("/api/users/explore", "users_fullname"),  # a substring filter
])
def test_a_text_looked_for_past_200_characters_is_a_422_not_a_500(client, owner_headers, path,
                                                                  field):
    """SQLite refuses a LIKE pattern of more than 50,000 characters with an error (a 500
    before); every engine now refuses a text past 200 with a message naming the limit."""
    make_user(users_fullname="Rita Ambarwati")
    for text_sent in ("a" * 100_000, "b" * 201):
        answer = client.post(path, headers=owner_headers, json={field: text_sent})
        assert answer.status_code == 422, answer.get_data(as_text=True)[:200]
        assert "200 karakter" in answer.get_json()["exception"]["fields"][field]
    answer = client.post(path, headers=owner_headers, json={field: "x" * 200})
    assert answer.status_code == 200
