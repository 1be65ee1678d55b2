"""The admin face: login with CSRF, navigation, generic screens through HTMX, password."""
from sqlalchemy import select

from models import User, db
from tests.conftest import PASSWORD, csrf_from, make_department, make_user

NAV = ["Dashboard", "Kalender", "Pesanan", "Konsultasi", "Jadwal Dokter", "Pasien", "Katalog",
       "Layanan", "Toko", "Promosi", "Pengguna", "Laporan", "Pengaturan"]


def signed_in(auth, client, roles=("OWNER", "ADMIN", "USERS")):
    user = make_user(roles=roles)
    response = auth.admin_login(user)
    assert response.status_code == 302, response.get_data(as_text=True)
    return user


def token_of(client, path="/admin/"):
    return csrf_from(client.get(path).get_data(as_text=True))


def test_login_page_and_redirect_for_anonymous(client):
    response = client.get("/admin/users/")
    assert response.status_code == 302 and "/admin/login" in response.headers["Location"]
    page = client.get("/admin/login")
    assert page.status_code == 200 and 'name="csrf_token"' in page.get_data(as_text=True)


def test_htmx_requests_get_hx_redirect_to_login(htmx):
    response = htmx.get("/admin/users/")
    assert response.status_code == 204 and "/admin/login" in response.headers["HX-Redirect"]


def test_login_needs_csrf(client):
    user = make_user(roles=("ADMIN",))
    response = client.post("/admin/login", data={"username": user.username, "password": PASSWORD})
    assert response.status_code == 400


def test_customer_cannot_enter_and_wrong_password_counts(client, auth):
    customer = make_user()
    response = auth.admin_login(customer)
    assert response.status_code == 403
    assert "tidak dapat masuk" in response.get_data(as_text=True)
    staff = make_user(roles=("USERS",))
    assert auth.admin_login(staff, "salah-sekali").status_code == 401
    db.session.rollback()
    assert db.session.get(User, staff.id).num_of_login_attempts == 1


def test_navigation_lists_every_screen_family(client, auth):
    signed_in(auth, client)
    html = client.get("/admin/", follow_redirects=True).get_data(as_text=True)
    for label in NAV:
        assert label in html, label
    soon = client.get("/admin/soon/kalender")
    assert soon.status_code == 200 and "belum tersedia" in soon.get_data(as_text=True)
    assert client.get("/admin/soon/tidak-ada").status_code == 404


def test_open_redirect_is_refused(client, auth):
    user = make_user(roles=("ADMIN",))
    token = csrf_from(client.get("/admin/login").get_data(as_text=True))
    response = client.post("/admin/login?next=https://evil.example/", data={
        "csrf_token": token, "username": user.username, "password": PASSWORD})
    assert response.headers["Location"].endswith("/admin/")


def test_list_search_sort_and_page_through_htmx(client, htmx, auth):
    signed_in(auth, client)
    for number in range(20):
        make_user(users_fullname=f"Pasien Nomor {number:02d}")
    make_user(users_fullname="Zaskia Unik")
    page = client.get("/admin/users/")
    assert page.status_code == 200 and "<html" in page.get_data(as_text=True)
    assert "HX-Request" in page.headers["Vary"]
    partial = htmx.get("/admin/users/?q=zaskia")
    text = partial.get_data(as_text=True)
    assert partial.status_code == 200 and "<html" not in text and "HX-Request" in partial.headers["Vary"]
    assert "Zaskia Unik" in text and "Pasien Nomor" not in text
    sorted_page = htmx.get("/admin/users/?sort=users_fullname&dir=desc").get_data(as_text=True)
    assert sorted_page.index("Zaskia Unik") < sorted_page.index("Pasien Nomor 19")
    second = htmx.get("/admin/users/?sort=users_fullname&page=2").get_data(as_text=True)
    assert "Pasien Nomor 15" in second and "Pasien Nomor 14" not in second


def test_create_form_shows_inline_errors_then_creates(client, htmx, auth):
    signed_in(auth, client)
    department = make_department(department_name="Farmasi")
    token = token_of(client, "/admin/users/new")
    bad = htmx.post("/admin/users/new", headers={"X-CSRFToken": token}, data={
        "username": "kasir1", "users_fullname": "Kasir Satu", "password": "rahasia-123",
        "retype_password": "berbeda-123"})
    text = bad.get_data(as_text=True)
    assert bad.status_code == 422 and "<html" not in text
    assert "Konfirmasi kata sandi tidak sama." in text and 'value="kasir1"' in text
    good = htmx.post("/admin/users/new", headers={"X-CSRFToken": token}, data={
        "username": "kasir1", "users_fullname": "Kasir Satu", "password": "rahasia-123",
        "retype_password": "rahasia-123", "roles": ["USERS"],
        "id_departments": [str(department.id)]})
    assert good.status_code == 204 and "/admin/users/" in good.headers["HX-Redirect"]
    user = db.session.execute(select(User).where(User.username == "kasir1")).scalar_one()
    assert user.role_codes == {"USERS"} and [row.id_departments for row in user.departments] == [
        department.id]
    detail = client.get(good.headers["HX-Redirect"]).get_data(as_text=True)
    assert "kasir1" in detail and "berhasil dibuat" in detail


def test_state_changes_need_the_csrf_token(client, htmx, auth):
    signed_in(auth, client)
    target = make_user()
    assert htmx.post("/admin/users/new", data={"username": "x"}).status_code == 400
    assert htmx.delete(f"/admin/users/{target.id}/delete").status_code == 400
    db.session.rollback()
    assert db.session.get(User, target.id).deleted_at is None


def test_edit_and_delete_from_the_list(client, htmx, auth):
    signed_in(auth, client)
    target = make_user(users_fullname="Lama")
    token = token_of(client)
    form = client.get(f"/admin/users/{target.id}/edit").get_data(as_text=True)
    assert 'value="Lama"' in form and 'name="password"' not in form
    saved = htmx.post(f"/admin/users/{target.id}/edit", headers={"X-CSRFToken": token}, data={
        "username": target.username, "users_fullname": "Baru", "roles": ["CUSTOMER"]})
    assert saved.status_code == 204
    deleted = htmx.delete(f"/admin/users/{target.id}/delete?from=list",
                          headers={"X-CSRFToken": token})
    assert deleted.status_code == 200 and deleted.get_data(as_text=True) == ""
    assert "toast" in deleted.headers["HX-Trigger"]
    db.session.rollback()
    assert db.session.get(User, target.id).deleted_at is not None


def test_refused_delete_keeps_the_row(client, htmx, auth):
    me = signed_in(auth, client)
    token = token_of(client)
    response = htmx.delete(f"/admin/users/{me.id}/delete?from=list", headers={"X-CSRFToken": token})
    assert response.headers.get("HX-Reswap") == "none" and "danger" in response.headers["HX-Trigger"]


def test_front_desk_registers_customers_but_cannot_change_users(client, htmx, auth):
    signed_in(auth, client, roles=("USERS",))
    target = make_user()
    listing = client.get("/admin/users/").get_data(as_text=True)
    assert target.username in listing and "bi-trash" not in listing
    form = client.get("/admin/users/new").get_data(as_text=True)
    assert 'name="password"' in form and 'name="roles"' not in form
    token = csrf_from(form)
    created = htmx.post("/admin/users/new", headers={"X-CSRFToken": token}, data={
        "username": "walkin", "users_fullname": "Pasien Datang", "password": "rahasia-123",
        "retype_password": "rahasia-123"})
    assert created.status_code == 204
    assert db.session.execute(select(User).where(User.username == "walkin")).scalar_one(
        ).role_codes == {"CUSTOMER"}
    forged = htmx.post("/admin/users/new", headers={"X-CSRFToken": token}, data={
        "username": "palsu", "users_fullname": "Palsu", "password": "rahasia-123",
        "retype_password": "rahasia-123", "roles": ["OWNER"]})
    assert forged.status_code == 204  # the form has no roles field for front desk: ignored
    assert db.session.execute(select(User).where(User.username == "palsu")).scalar_one(
        ).role_codes == {"CUSTOMER"}
    assert client.get(f"/admin/users/{target.id}/edit").status_code == 403
    assert client.get("/admin/logs/").status_code == 403
    assert client.get("/admin/roles/").status_code == 403


def test_generic_screens_serve_every_declared_resource(client, auth):
    signed_in(auth, client)
    for name in ("users", "roles", "departments", "user_departments", "static_contents", "logs"):
        assert client.get(f"/admin/{name}/").status_code == 200, name
        assert client.get(f"/admin/{name}/new").status_code == (403 if name == "logs" else 200), \
            name  # the audit log is read, never written, on the screens
    assert client.get("/admin/unknown/").status_code == 404


def test_change_own_password_and_logout(client, auth):
    user = signed_in(auth, client)
    token = token_of(client, "/admin/account/password")
    wrong = client.post("/admin/account/password", data={
        "csrf_token": token, "prev_password": "salah", "new_password": "baru-12345",
        "new_password_confirm": "baru-12345"})
    assert wrong.status_code == 422 and "Kata sandi lama salah." in wrong.get_data(as_text=True)
    done = client.post("/admin/account/password", data={
        "csrf_token": token, "prev_password": PASSWORD, "new_password": "baru-12345",
        "new_password_confirm": "baru-12345"})
    assert done.status_code == 302
    assert client.get("/admin/").status_code == 200  # this session follows the new password
    assert client.post("/admin/logout", data={"csrf_token": token}).status_code == 302
    assert client.get("/admin/").status_code == 302
    assert auth.admin_login(user, "baru-12345").status_code == 302


def test_password_change_elsewhere_ends_this_session(client, auth):
    user = signed_in(auth, client)
    from services.accounts.operations import hash_password
    db.session.get(User, user.id).password_hash = hash_password("lain-lagi-123")
    db.session.commit()
    assert client.get("/admin/").status_code == 302


def test_blocked_staff_lose_their_session(client, auth):
    user = signed_in(auth, client)
    db.session.get(User, user.id).is_blocked = True
    db.session.commit()
    assert client.get("/admin/").status_code == 302


def test_manager_unblocks_sets_password_and_uploads_picture(client, htmx, auth):
    import io

    from tests.conftest import png_bytes
    signed_in(auth, client)
    target = make_user(roles=("USERS",), is_blocked=True, num_of_login_attempts=5)
    detail = client.get(f"/admin/users/{target.id}").get_data(as_text=True)
    assert "Buka blokir" in detail and "Atur kata sandi" in detail
    token = csrf_from(detail)
    assert client.post(f"/admin/users/{target.id}/unblock",
                       data={"csrf_token": token}).status_code == 302
    bad = htmx.post(f"/admin/users/{target.id}/password", headers={"X-CSRFToken": token},
                    data={"new_password": "pendek", "new_password_confirm": "pendek"})
    assert bad.status_code == 422 and "Minimal 8 karakter." in bad.get_data(as_text=True)
    good = htmx.post(f"/admin/users/{target.id}/password", headers={"X-CSRFToken": token},
                     data={"new_password": "sementara-1", "new_password_confirm": "sementara-1"})
    assert good.status_code == 204
    refused = client.post(f"/admin/users/{target.id}/picture", data={
        "csrf_token": token, "picture": (io.BytesIO(b"<?php echo 1; ?>"), "x.jpg")},
        content_type="multipart/form-data", follow_redirects=True)
    assert "Gunakan gambar" in refused.get_data(as_text=True)
    uploaded = client.post(f"/admin/users/{target.id}/picture", data={
        "csrf_token": token, "picture": (io.BytesIO(png_bytes()), "foto.png")},
        content_type="multipart/form-data", follow_redirects=True)
    assert "Foto profil diperbarui." in uploaded.get_data(as_text=True)
    db.session.rollback()
    stored = db.session.get(User, target.id)
    assert not stored.is_blocked and stored.is_password_reset_required and stored.users_picture
    client.post("/admin/logout", data={"csrf_token": token})
    assert auth.admin_login(stored, "sementara-1").headers["Location"].endswith("/admin/account/password")


def test_front_desk_cannot_use_manager_actions(client, auth):
    signed_in(auth, client, roles=("USERS",))
    target = make_user(is_blocked=True)
    detail = client.get(f"/admin/users/{target.id}").get_data(as_text=True)
    assert "Buka blokir" not in detail and "Atur kata sandi" not in detail
    token = csrf_from(detail)
    assert client.post(f"/admin/users/{target.id}/unblock",
                       data={"csrf_token": token}).status_code == 403
    assert client.get(f"/admin/users/{target.id}/password").status_code == 403


SCREEN_SETTINGS = ("labels", "label_plural", "choices", "form_help", "admin_columns",
                   "admin_detail", "admin_filters", "admin_section", "admin_cell",
                   "form_extra_values")


def test_screen_settings_live_in_the_admin_views_not_the_declarations(app):
    """A declaration is the API contract; labels, columns and choices are its admin view's.
    Every declared resource has a view of its own; no list column is headed by a field code
    (a field whose name reads as words, such as tanggal_lahir, may keep its default label)."""
    from blueprints.views import view_for
    from blueprints.views.base import VIEWS
    from services.engine import REGISTRY

    assert len(REGISTRY) >= 25
    for name, resource in REGISTRY.items():
        assert not [setting for setting in SCREEN_SETTINGS if hasattr(resource, setting)], name
        assert name in VIEWS, f"{name} has no admin view of its own"
        view = view_for(name)
        assert view.label_plural and view.labels, name
        coded = [column for column in view.list_columns
                 if column not in view.labels and column not in view.columns
                 and (column == "id" or column.startswith(("id_", "is_")) or column.isupper())]
        assert not coded, (name, coded)
        headings = [view.label_for(column) for column in view.list_columns]
        assert all(heading and "_" not in heading for heading in headings), (name, headings)
