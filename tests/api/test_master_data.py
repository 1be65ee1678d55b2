"""roles, departments, user_departments, static_contents and logs beyond generic CRUD."""
from sqlalchemy import select

from models import Department, Log, User, UserDepartment, db
from tests.conftest import (PASSWORD, make_department, make_log, make_static_content, make_user,
                            make_user_department)


def test_roles_documented_shapes(client, owner_headers):
    user = make_user(roles=())
    created = client.post("/api/roles/create", headers=owner_headers,
                          json={"iduser": str(user.id), "rolecodes": "admin"}).get_json()["roles"]
    assert created["rolecodes"] == "ADMIN" and created["user"]["id"] == user.id
    assert "password_hash" not in created["user"]
    listed = client.post("/api/roles/search", headers=owner_headers,
                         json={"iduser": user.id}).get_json()["roles"]
    assert listed == [{"id": created["id"], "iduser": user.id, "rolecodes": "ADMIN",
                       "descriptions": ""}]


def test_roles_refuse_unknown_codes_and_duplicates(client, owner_headers):
    user = make_user(roles=("USERS",))
    unknown = client.post("/api/roles/create", headers=owner_headers,
                          json={"iduser": user.id, "rolecodes": "KING"})
    assert unknown.status_code == 422
    duplicate = client.post("/api/roles/create", headers=owner_headers,
                            json={"iduser": user.id, "rolecodes": "USERS"})
    assert duplicate.status_code == 422
    missing_user = client.post("/api/roles/create", headers=owner_headers,
                               json={"iduser": 98765, "rolecodes": "USERS"})
    assert missing_user.status_code == 422 and "iduser" in missing_user.get_json()["exception"]["fields"]


def test_admin_cannot_grant_or_revoke_owner(client, auth, owner):
    admin = make_user(roles=("ADMIN",))
    headers = auth.headers(admin)
    target = make_user()
    assert client.post("/api/roles/create", headers=headers, json={
        "iduser": target.id, "rolecodes": "OWNER"}).status_code == 403
    owner_role = next(role for role in owner.roles if role.rolecodes == "OWNER")
    assert client.delete(f"/api/roles/{owner_role.id}/delete", headers=headers).status_code == 403
    assert client.put(f"/api/roles/{owner_role.id}/update", headers=headers,
                      json={"rolecodes": "USERS"}).status_code == 403


def test_last_owner_role_cannot_be_removed(client, auth, owner):
    owner_role = next(role for role in owner.roles if role.rolecodes == "OWNER")
    response = client.delete(f"/api/roles/{owner_role.id}/delete", headers=auth.headers(owner))
    assert response.status_code == 409
    second = make_user(roles=("OWNER",))
    assert client.delete(f"/api/roles/{owner_role.id}/delete",
                         headers=auth.headers(owner)).get_json() == {"deleted": True}
    db.session.rollback()
    assert db.session.get(User, second.id).has_role("OWNER")


def test_role_changes_are_audited(client, owner_headers):
    user = make_user(roles=())
    client.post("/api/roles/create", headers=owner_headers,
                json={"iduser": user.id, "rolecodes": "DOCTOR"})
    entries = db.session.execute(select(Log).where(Log.action == "role_change",
                                                   Log.object_id == user.id)).scalars().all()
    assert entries and "DOCTOR" in entries[0].descriptions


def test_department_codes_unique_any_case(client, owner_headers):
    make_department(department_codes="IT")
    response = client.post("/api/departments/create", headers=owner_headers, json={
        "department_name": "Information Technology", "department_codes": "it"})
    assert response.status_code == 422
    assert "department_codes" in response.get_json()["exception"]["fields"]


def test_department_with_members_cannot_be_deleted(client, owner_headers):
    membership = make_user_department()
    response = client.delete(f"/api/departments/{membership.id_departments}/delete",
                             headers=owner_headers)
    assert response.status_code == 409


def test_department_whose_only_members_are_deleted_users_can_be_deleted(client, owner_headers):
    """Deleted users are no members: their memberships go with the department."""
    department_id = make_department().id
    gone = [make_user().id, make_user().id]
    for user_id in gone:
        make_user_department(db.session.get(User, user_id), db.session.get(Department,
                                                                          department_id))
    for user_id in gone:
        assert client.delete(f"/api/users/{user_id}/delete",
                             headers=owner_headers).get_json() == {"deleted": True}
    response = client.delete(f"/api/departments/{department_id}/delete", headers=owner_headers)
    assert response.status_code == 200, response.get_json()
    assert response.get_json() == {"deleted": True}
    db.session.expire_all()
    assert db.session.get(Department, department_id) is None
    assert db.session.execute(select(UserDepartment).where(
        UserDepartment.id_departments == department_id)).first() is None
    for user_id in gone:  # the accounts themselves stay (soft-deleted), without the membership
        assert db.session.get(User, user_id).deleted_at is not None


def test_department_with_a_live_member_among_deleted_ones_still_refuses(client, owner_headers):
    department = make_department()
    deleted, live = make_user(), make_user()
    make_user_department(deleted, department)
    make_user_department(live, department)
    assert client.delete(f"/api/users/{deleted.id}/delete", headers=owner_headers).status_code \
        == 200
    response = client.delete(f"/api/departments/{department.id}/delete", headers=owner_headers)
    assert response.status_code == 409
    assert response.get_json()["exception"]["message"] == "Departemen masih memiliki anggota."
    db.session.expire_all()
    assert db.session.get(Department, department.id) is not None
    assert len(db.session.execute(select(UserDepartment).where(
        UserDepartment.id_departments == department.id)).all()) == 2  # nothing half-removed


def test_user_departments_shapes_and_join_columns(client, owner_headers):
    user = make_user(users_fullname="Didit Velliz")
    department = make_department(department_name="Finance", department_codes="02")
    created = client.post("/api/user_departments/create", headers=owner_headers, json={
        "id_departments": department.id, "id_users": user.id,
        "descriptions": "Hello testing"}).get_json()["user_departments"]
    assert created["users"]["users_fullname"] == "Didit Velliz"
    assert created["departments"]["department_name"] == "Finance"
    assert created["users"]["department_ids"] == str(department.id)
    row = client.post("/api/user_departments/search", headers=owner_headers,
                      json={"id_users": user.id}).get_json()["user_departments"][0]
    assert row["users_fullname"] == "Didit Velliz" and row["department_name"] == "Finance"
    table = client.post("/api/user_departments/table", headers=owner_headers, data={
        "draw": "1", "search[value]": "finan", "order[0][column]": "4"}).get_json()
    assert table["recordsFiltered"] == 1
    assert table["data"][0][4:] == ["Didit Velliz", "Finance"]
    again = client.post("/api/user_departments/create", headers=owner_headers, json={
        "id_departments": department.id, "id_users": user.id})
    assert again.status_code == 422


def test_users_filters(client, owner_headers):
    department = make_department()
    doctor = make_user(roles=("DOCTOR",), users_fullname="Markus Nahesson", positions="Dokter")
    make_user_department(user=doctor, department=department)
    make_user(users_fullname="Rikki Tujuh", is_blocked=True)

    def ids(body):
        return sorted(row["id"] for row in client.post(
            "/api/users/search", headers=owner_headers, json=body).get_json()["users"])

    assert ids({"role_codes": "DOCTOR"}) == [doctor.id]
    assert ids({"users_fullname": "NAHES"}) == [doctor.id]
    assert ids({"id_departments": department.id}) == [doctor.id]
    assert ids({"positions": "Dokter", "is_blocked": 0}) == [doctor.id]
    assert len(ids({"is_blocked": "1"})) == 1
    assert ids({"users_fullname": "%"}) == []


def test_static_contents_public_read_and_documented_search(client):
    page = make_static_content(type="about-us", contents="<p>Tentang kami</p>")
    assert client.get(f"/api/static_contents/{page.id}").get_json()["static_contents"][
        "contents"] == "<p>Tentang kami</p>"
    body = client.post("/api/static_contents/search", json={"type": "about-us"}).get_json()
    assert body["totaldata"] == 1 and body["data"][0]["type"] == "about-us"
    assert client.post("/api/static_contents/create",
                       json={"type": "x", "contents": "y"}).status_code == 401


def test_application_writes_its_own_audit_log(client, auth, owner):
    user = make_user()
    client.post("/api/users/login", json={"username": user.username, "password": "salah-sekali"})
    auth.token(user)
    headers = auth.headers(owner)
    client.delete(f"/api/users/{user.id}/delete", headers=headers)
    rows = client.post("/api/logs/search", headers=headers,
                       json={"object_type": "users", "object_id": user.id}).get_json()["logs"]
    actions = {row["action"] for row in rows}
    assert {"login_failed", "login", "delete"} <= actions
    assert rows[0]["id"] > rows[-1]["id"]  # newest first
    assert all(row["ip_address"] == "127.0.0.1" for row in rows)


def test_system_log_entries_are_immutable_manual_notes_are_not(client, owner_headers):
    system = make_log()
    assert client.put(f"/api/logs/{system.id}/update", headers=owner_headers,
                      json={"descriptions": "ubah"}).status_code == 409
    assert client.delete(f"/api/logs/{system.id}/delete", headers=owner_headers).status_code == 409
    note = client.post("/api/logs/create", headers=owner_headers, json={
        "action": "catatan", "descriptions": "Stok opname bulanan"}).get_json()["logs"]
    assert note["is_manual"] == 1 and note["username"] == "pemilik"
    assert client.put(f"/api/logs/{note['id']}/update", headers=owner_headers,
                      json={"descriptions": "Stok opname"}).status_code == 200
    assert client.delete(f"/api/logs/{note['id']}/delete",
                         headers=owner_headers).get_json() == {"deleted": True}


def test_logs_filter_by_date(client, owner_headers):
    from datetime import datetime
    make_log(created=datetime(2026, 1, 5, 10, 0))
    make_log(created=datetime(2026, 1, 7, 10, 0))
    rows = client.post("/api/logs/search", headers=owner_headers, json={
        "date_from": "05/01/2026", "date_to": "2026-01-05"}).get_json()["logs"]
    assert [row["created"] for row in rows if row["created"].startswith("2026-01")] == [
        "2026-01-05 10:00:00"]
    assert client.post("/api/logs/search", headers=owner_headers,
                       json={"date_from": "kemarin"}).status_code == 422


def test_roles_reads_never_leak_secrets(client, owner_headers):
    make_user()
    for path in ("/api/roles/search", "/api/users/search", "/api/user_departments/search"):
        text = client.post(path, headers=owner_headers, json={}).get_data(as_text=True)
        assert "$argon2" not in text and "password_hash" not in text and PASSWORD not in text
