"""users: registration, login and lockout, tokens, profile, passwords, pictures."""
import io
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from models import DeviceToken, Log, User, UserToken, clinic_now, db
from tests.conftest import PASSWORD, count_queries, make_department, make_user, png_bytes

REGISTRATION = {"username": "didit", "users_fullname": "Didit Velliz",
                "users_email": "didit@gmail.com", "users_phone": "081381461286",
                "password": "qwerty123", "retype_password": "qwerty123"}


def fresh(model, object_id):
    """Re-read a row as the database has it now."""
    db.session.rollback()
    return db.session.get(model, object_id)


# ---- registration ---------------------------------------------------------------------
def test_public_registration_creates_a_customer(client):
    response = client.post("/api/users/create", json=REGISTRATION)
    assert response.status_code == 200, response.get_json()
    user = response.get_json()["users"]
    assert user["username"] == "didit"
    assert [role["role_codes"] for role in user["roles"]] == ["CUSTOMER"]
    text = response.get_data(as_text=True)
    assert "qwerty123" not in text and "$argon2" not in text and "password_hash" not in text
    stored = db.session.execute(select(User).where(User.username == "didit")).scalar_one()
    assert stored.password_hash.startswith("$argon2id$")


@pytest.mark.parametrize("change, field", [
    ({"retype_password": "berbeda123"}, "retype_password"),
    ({"password": "pendek", "retype_password": "pendek"}, "password"),
    ({"username": "a"}, "username"),
    ({"username": "x" * 51}, "username"),
    ({"users_email": "bukan-email"}, "users_email"),
    ({"users_fullname": ""}, "users_fullname"),
    ({"users_phone": "0" * 21}, "users_phone"),
    ({"users_birthday": "31/02/1995"}, "users_birthday"),
])
def test_registration_refuses_bad_fields(client, change, field):
    response = client.post("/api/users/create", json={**REGISTRATION, **change})
    assert response.status_code == 422
    body = response.get_json()
    assert body["status"] == "error" and field in body["exception"]["fields"]
    assert db.session.execute(select(User)).first() is None


def test_registration_refuses_taken_username_and_email_any_case(client):
    make_user(username="didit", users_email="didit@gmail.com")
    response = client.post("/api/users/create", json={**REGISTRATION, "username": "DIDIT",
                                                       "users_email": "Didit@Gmail.com"})
    assert response.status_code == 422
    assert set(response.get_json()["exception"]["fields"]) == {"username", "users_email"}


def test_public_registration_cannot_choose_roles(client):
    response = client.post("/api/users/create", json={**REGISTRATION, "roles": ["OWNER"]})
    assert response.status_code == 403
    assert "roles" in response.get_json()["exception"]["fields"]
    assert db.session.execute(select(User)).first() is None


def test_registration_accepts_documented_date_and_ignores_unknown_fields(client):
    response = client.post("/api/users/create", json={
        **REGISTRATION, "users_birthday": "25/11/1995", "unknown_field": "x", "is_blocked": 1})
    assert response.status_code == 200
    user = response.get_json()["users"]
    assert user["users_birthday"] == "1995-11-25" and user["is_blocked"] == 0


def test_admin_creates_staff_with_roles_and_departments(client, auth, owner):
    first, second = make_department(), make_department()
    response = client.post("/api/users/create", headers=auth.headers(owner), json={
        **REGISTRATION, "roles": ["ADMIN", "USERS"], "positions": "Admin",
        "id_departments": [str(first.id), second.id]})
    assert response.status_code == 200, response.get_json()
    user = response.get_json()["users"]
    assert sorted(role["role_codes"] for role in user["roles"]) == ["ADMIN", "USERS"]
    assert sorted(row["id_departments"] for row in user["departments"]) == sorted(
        [first.id, second.id])


def test_admin_cannot_create_an_owner(client, auth):
    admin = make_user(roles=("ADMIN",))
    response = client.post("/api/users/create", headers=auth.headers(admin),
                           json={**REGISTRATION, "roles": ["OWNER"]})
    assert response.status_code == 403


def test_unknown_department_is_refused_and_nothing_written(client, owner_headers):
    response = client.post("/api/users/create", headers=owner_headers,
                           json={**REGISTRATION, "id_departments": [9999]})
    assert response.status_code == 422
    assert db.session.execute(select(User).where(User.username == "didit")).first() is None


# ---- login ----------------------------------------------------------------------------
def test_login_returns_documented_shape_and_a_stored_hash_only(client):
    user = make_user(users_phone="081381461200", users_email="did@gmail.com")
    response = client.post("/api/users/login", json={
        "act": "login", "username": user.username, "password": PASSWORD, "app": "mobile"})
    body = response.get_json()
    assert response.status_code == 200
    assert {"users_phone", "users_email", "login", "bearer", "id",
            "is_password_reset_required", "roles"} <= set(body)
    assert body["login"] is True and body["id"] == user.id
    token = db.session.execute(select(UserToken)).scalar_one()
    assert token.token_hash != body["bearer"] and len(body["bearer"]) >= 40
    assert body["bearer"] not in token.token_hash


def test_login_by_email_any_case(client):
    user = make_user(users_email="Sari@Example.com")
    response = client.post("/api/users/login", json={"username": "sari@example.com",
                                                     "password": PASSWORD})
    assert response.status_code == 200 and response.get_json()["id"] == user.id


def test_mobile_tokens_live_longer_than_website_tokens(client):
    user = make_user()
    client.post("/api/users/login", json={"username": user.username, "password": PASSWORD,
                                          "app": "website"})
    client.post("/api/users/login", json={"username": user.username, "password": PASSWORD,
                                          "app": "mobile"})
    website, mobile = db.session.execute(select(UserToken).order_by(UserToken.id)).scalars()
    assert website.app == "website" and mobile.app == "mobile"
    assert mobile.expires_at - mobile.created > website.expires_at - website.created


def test_unknown_user_and_wrong_password_get_the_same_answer(client):
    user = make_user()
    unknown = client.post("/api/users/login", json={"username": "tidakada", "password": "x" * 9})
    wrong = client.post("/api/users/login", json={"username": user.username, "password": "x" * 9})
    assert unknown.status_code == wrong.status_code == 401
    assert unknown.get_json() == wrong.get_json()


def _login(client, username, password):
    return client.post("/api/users/login", json={"username": username, "password": password})


def test_wrong_passwords_make_sign_ins_wait_a_growing_time_that_lifts_by_itself(
        app, client, auth, owner):
    """A stranger typing wrong passwords cannot lock anyone out for good: after the fifth
    the account waits a minute, each more doubles it, the wait ends by itself, and the
    owner can read the lock in the audit log; a manager may lift it at once."""
    user = make_user()
    for attempt in range(1, 6):
        assert _login(client, user.username, "salah-sekali").status_code == 401
        assert fresh(User, user.id).num_of_login_attempts == attempt
    stored = fresh(User, user.id)
    assert not stored.is_blocked and stored.locked_until is not None
    first_wait = stored.locked_until - clinic_now()
    assert timedelta(seconds=50) < first_wait <= timedelta(seconds=60)
    waiting = _login(client, user.username, PASSWORD)  # even the right password waits
    assert waiting.status_code == 429
    assert waiting.get_json()["exception"]["error_code"] == "too_many_attempts"
    assert fresh(User, user.id).num_of_login_attempts == 5  # waiting attempts do not count
    # the wait lifts by itself; the next wrong password waits twice as long
    db.session.execute(update(User).where(User.id == user.id).values(
        locked_until=clinic_now() - timedelta(seconds=1)))
    db.session.commit()
    assert _login(client, user.username, "salah-lagi").status_code == 401
    assert fresh(User, user.id).locked_until - clinic_now() > timedelta(seconds=110)
    locks = [row.descriptions for row in db.session.execute(
        select(Log).where(Log.object_id == user.id, Log.action == "login_locked")).scalars()]
    assert len(locks) == 2 and "5 kata sandi salah" in locks[0]
    response = client.post(f"/api/users/{user.id}/unblock", headers=auth.headers(owner))
    assert response.get_json() == {"unblock": True}
    assert fresh(User, user.id).num_of_login_attempts == 0
    assert _login(client, user.username, PASSWORD).status_code == 200


def test_a_wait_never_grows_past_the_longest(app, client):
    user = make_user()
    longest = timedelta(seconds=app.config["LOGIN_LOCK_MAX_SECONDS"])
    for _ in range(12):
        db.session.execute(update(User).where(User.id == user.id).values(locked_until=None))
        db.session.commit()
        _login(client, user.username, "salah-sekali")
    assert fresh(User, user.id).locked_until - clinic_now() <= longest


def test_an_unknown_name_waits_like_an_account(client):
    """The same answers for a name that exists and one that does not, lock included."""
    user = make_user()
    for _ in range(5):
        unknown = _login(client, "tidak-ada-siapa", "salah-sekali")
        known = _login(client, user.username, "salah-sekali")
        assert unknown.status_code == known.status_code == 401
        assert unknown.get_json() == known.get_json()
    unknown, known = _login(client, "tidak-ada-siapa", "x"), _login(client, user.username, "x")
    assert unknown.status_code == known.status_code == 429
    assert unknown.get_json() == known.get_json()


def test_a_manager_block_still_holds_until_unblocked(client):
    user = make_user(is_blocked=True)
    blocked = _login(client, user.username, PASSWORD)
    assert blocked.status_code == 403
    assert blocked.get_json()["exception"]["error_code"] == "account_blocked"


def test_successful_login_resets_the_failure_counter(client):
    user = make_user()
    client.post("/api/users/login", json={"username": user.username, "password": "salah-sekali"})
    client.post("/api/users/login", json={"username": user.username, "password": PASSWORD})
    assert fresh(User, user.id).num_of_login_attempts == 0


def test_login_is_rate_limited_per_client(app, client):
    user = make_user()
    app.config["LOGIN_RATE_LIMIT"] = "3 per minute"
    try:
        statuses = [client.post("/api/users/login", json={
            "username": user.username, "password": PASSWORD}).status_code for _ in range(4)]
    finally:
        app.config["LOGIN_RATE_LIMIT"] = "1000 per minute"
    assert statuses == [200, 200, 200, 429]


@pytest.mark.parametrize("body", [{"username": "x"}, {"password": "y"}, {"username": 5, "password": []}])
def test_login_requires_both_fields(client, body):
    assert client.post("/api/users/login", json=body).status_code == 422


def test_malformed_json_is_a_400(client):
    response = client.post("/api/users/login", data="{not json",
                           headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert response.get_json()["status"] == "error"


# ---- tokens ---------------------------------------------------------------------------
def test_bad_expired_and_revoked_tokens_are_refused(client, auth):
    user = make_user()
    token = auth.token(user)
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/users/data", headers=headers).status_code == 200
    assert client.get("/api/users/data", headers={"Authorization": "Bearer nope"}).status_code == 401
    assert client.get("/api/users/data", headers={"Authorization": token}).status_code == 401
    assert client.post("/api/users/logout", headers=headers).get_json() == {"logout": True}
    assert client.get("/api/users/data", headers=headers).status_code == 401
    second = auth.token(user)
    row = db.session.execute(select(UserToken).where(UserToken.revoked_at.is_(None))).scalar_one()
    from datetime import timedelta
    row.expires_at = row.created - timedelta(seconds=1)
    db.session.commit()
    assert client.get("/api/users/data",
                      headers={"Authorization": f"Bearer {second}"}).status_code == 401


def test_a_token_reads_the_users_profile_only_for_a_request_that_uses_it(client, auth):
    """Authentication's statement reads the token, the roles and what deciding needs; a
    request reading the profile loads all of it in one more statement, not one per column."""
    user = make_user(roles=("OWNER", "ADMIN"))
    headers = auth.headers(user)
    client.get("/api/users/data", headers=headers)  # its last use is written: not timed below

    def statements(path):
        db.session.expunge_all()  # the request finds nothing of the user in the session
        with count_queries() as queries:
            response = client.get(path, headers=headers)
        assert response.status_code == 200, response.get_json()
        return queries

    menus = statements("/api/menus/explore")
    token = [query for query in menus if "FROM user_tokens" in query]
    assert len(token) == 1 and "users_1.is_blocked" in token[0], token
    assert "users_email" not in token[0] and "password_hash" not in token[0]
    assert not [query for query in menus if "users.users_email" in query]
    data = statements("/api/users/data")
    profile = [query for query in data if "users.users_fullname" in query]
    assert len(profile) == 1, data
    assert "users.users_email" in profile[0] and "users.total_point" in profile[0]
    body = client.get("/api/users/data", headers=headers).get_json()
    assert body["users"]["username"] == user.username
    assert sorted(body["permissions"]) == ["ADMIN", "OWNER"]


def test_api_ignores_the_admin_session_cookie(client, auth, owner):
    auth.admin_login(owner)
    assert client.get("/api/users/data").status_code == 401


# ---- profile --------------------------------------------------------------------------
def test_data_has_the_documented_shape(client, auth):
    user = make_user()
    body = client.get("/api/users/data", headers=auth.headers(user)).get_json()
    assert body["permissions"] == ["CUSTOMER"]
    for key in ("id", "username", "roles", "departments", "notifications", "next_appointments",
                "latest_orders", "total_point", "patients", "counts_carts", "threads", "doctors"):
        assert key in body["users"], key
    assert body["users"]["next_appointments"] == [] and body["users"]["patients"] == []


def test_customer_updates_own_profile_but_not_roles(client, auth):
    user = make_user()
    headers = auth.headers(user)
    response = client.put(f"/api/users/{user.id}/update", headers=headers,
                          json={"users_fullname": "Nama Baru", "users_birthday": "01/02/2000"})
    assert response.status_code == 200
    assert response.get_json()["users"]["users_fullname"] == "Nama Baru"
    assert response.get_json()["users"]["users_birthday"] == "2000-02-01"
    refused = client.put(f"/api/users/{user.id}/update", headers=headers,
                         json={"roles": ["ADMIN"]})
    assert refused.status_code == 403
    assert fresh(User, user.id).role_codes == {"CUSTOMER"}


def test_update_with_roles_replaces_them_and_is_audited(client, owner_headers):
    user = make_user()
    response = client.put(f"/api/users/{user.id}/update", headers=owner_headers,
                          json={"roles": ["USERS", "DOCTOR"]})
    assert response.status_code == 200
    assert fresh(User, user.id).role_codes == {"USERS", "DOCTOR"}
    assert db.session.execute(select(Log).where(Log.action == "role_change")).first()


def test_the_last_owner_cannot_lose_the_role(client, auth, owner):
    response = client.put(f"/api/users/{owner.id}/update", headers=auth.headers(owner),
                          json={"roles": ["ADMIN"]})
    assert response.status_code == 409
    assert fresh(User, owner.id).has_role("OWNER")


def test_delete_is_soft_ends_tokens_and_hides_the_user(client, auth, owner):
    user = make_user()
    token = auth.token(user)
    headers = auth.headers(owner)
    assert client.delete(f"/api/users/{user.id}/delete", headers=headers).get_json() == {
        "deleted": True}
    assert fresh(User, user.id).deleted_at is not None
    assert client.get(f"/api/users/{user.id}", headers=headers).status_code == 404
    assert client.get("/api/users/data",
                      headers={"Authorization": f"Bearer {token}"}).status_code == 401
    assert client.post("/api/users/login", json={"username": user.username,
                                                 "password": PASSWORD}).status_code == 401
    assert db.session.execute(select(Log).where(Log.action == "delete")).first()


def test_nobody_deletes_themselves(client, auth, owner):
    response = client.delete(f"/api/users/{owner.id}/delete", headers=auth.headers(owner))
    assert response.status_code == 409


# ---- passwords ------------------------------------------------------------------------
def test_change_own_password_revokes_other_tokens(client, auth):
    user = make_user()
    other = auth.token(user)
    current = {"Authorization": f"Bearer {auth.token(user)}"}
    wrong = client.post(f"/api/users/{user.id}/update/password", headers=current, json={
        "prev_password": "bukan-ini", "new_password": "baru-12345",
        "new_password_confirm": "baru-12345"})
    assert wrong.status_code == 422 and "prev_password" in wrong.get_json()["exception"]["fields"]
    mismatch = client.post(f"/api/users/{user.id}/update/password", headers=current, json={
        "prev_password": PASSWORD, "new_password": "baru-12345", "new_password_confirm": "x"})
    assert mismatch.status_code == 422
    response = client.post(f"/api/users/{user.id}/update/password", headers=current, json={
        "prev_password": PASSWORD, "new_password": "baru-12345",
        "new_password_confirm": "baru-12345"})
    assert response.get_json() == {"update_password": True}
    assert client.get("/api/users/data", headers=current).status_code == 200
    assert client.get("/api/users/data",
                      headers={"Authorization": f"Bearer {other}"}).status_code == 401
    assert auth.token(user, "baru-12345")


def test_admin_sets_a_password_and_the_user_must_change_it(client, auth, owner):
    user = make_user()
    response = client.post(f"/api/users/{user.id}/update/password/admin",
                           headers=auth.headers(owner),
                           json={"new_password": "sementara-1", "new_password_confirm": "sementara-1"})
    assert response.get_json() == {"update_password_admin": True}
    login = client.post("/api/users/login", json={"username": user.username,
                                                  "password": "sementara-1"})
    assert login.get_json()["is_password_reset_required"] == 1


def test_admin_cannot_reset_an_owner_password(client, auth, owner):
    admin = make_user(roles=("ADMIN",))
    response = client.post(f"/api/users/{owner.id}/update/password/admin",
                           headers=auth.headers(admin),
                           json={"new_password": "sementara-1", "new_password_confirm": "sementara-1"})
    assert response.status_code == 403


# ---- device tokens and pictures -------------------------------------------------------
def test_register_device_token_moves_between_users(client, auth):
    first, second = make_user(), make_user()
    for user in (first, second):
        response = client.post("/api/users/register_device_token", headers=auth.headers(user),
                               json={"device_token": "LOREMIPSUM", "already_login": False})
        assert response.get_json() == {"register_device_token": True}
    rows = db.session.execute(select(DeviceToken)).scalars().all()
    assert [(row.id_users, row.device_token) for row in rows] == [(second.id, "LOREMIPSUM")]
    assert client.put("/api/users/register_device_token", headers=auth.headers(first),
                      json={}).status_code == 422


def test_picture_upload_reencodes_strips_exif_and_serves_it(client, auth, app):
    user = make_user()
    response = client.post("/api/users/picture/upload", headers=auth.headers(user), data={
        "id_users": str(user.id), "picture": (io.BytesIO(png_bytes(exif=True)), "me.jpg")},
        content_type="multipart/form-data")
    body = response.get_json()
    assert response.status_code == 200 and body["image_upload"] is True
    assert body["img_path"] == f"http://testserver.local/uploads/users/{body['img']}"
    served = client.get(f"/uploads/users/{body['img']}")
    assert served.status_code == 200 and served.headers["X-Content-Type-Options"] == "nosniff"
    assert b"KameraRahasia" not in served.data
    from PIL import Image
    assert not Image.open(io.BytesIO(served.data)).getexif()
    assert fresh(User, user.id).users_picture == body["img"]


@pytest.mark.parametrize("payload, status", [
    (b"<script>alert(1)</script>", 422),
    (b"GIF89a" + b"\x00" * 20, 422),
    (b"\xff\xd8\xff" + b"0" * (600 * 1024), 413),
])
def test_picture_upload_refusals_leave_nothing_behind(client, auth, app, payload, status):
    user = make_user()
    response = client.post("/api/users/picture/upload", headers=auth.headers(user), data={
        "id_users": str(user.id), "picture": (io.BytesIO(payload), "foto.jpg")},
        content_type="multipart/form-data")
    assert response.status_code == status
    assert response.get_json()["status"] == "error"
    import os
    folder = os.path.join(app.config["UPLOAD_DIR"], "users")
    assert not os.path.isdir(folder) or not [name for name in os.listdir(folder)
                                             if name.startswith(".")]
    assert fresh(User, user.id).users_picture == ""


def test_decompression_bomb_is_refused(client, auth):
    from PIL import Image
    buffer = io.BytesIO()
    Image.new("1", (5000, 5000)).save(buffer, "PNG")  # tiny file, 25 megapixels
    user = make_user()
    response = client.post("/api/users/picture/upload", headers=auth.headers(user), data={
        "id_users": str(user.id), "picture": (io.BytesIO(buffer.getvalue()), "bom.png")},
        content_type="multipart/form-data")
    assert response.status_code == 413


def test_upload_without_a_file_is_422(client, auth):
    user = make_user()
    response = client.post("/api/users/picture/upload", headers=auth.headers(user),
                           data={"id_users": str(user.id)}, content_type="multipart/form-data")
    assert response.status_code == 422


def test_login_attempt_counter_is_shown_to_managers_only(client, auth, owner):
    user = make_user()
    own = client.get(f"/api/users/{user.id}", headers=auth.headers(user)).get_json()["users"]
    assert "num_of_login_attempts" not in own and own["username"] == user.username
    managed = client.get(f"/api/users/{user.id}", headers=auth.headers(owner)).get_json()["users"]
    assert managed["num_of_login_attempts"] == 0


def test_token_use_is_recorded(client, auth):
    user = make_user()
    headers = auth.headers(user)
    client.get("/api/users/data", headers=headers)
    db.session.rollback()
    token = db.session.execute(select(UserToken)).scalar_one()
    assert token.last_used_at is not None and token.last_used_at >= token.created
