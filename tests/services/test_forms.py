"""Forms answer every problem in one pass, in Bahasa Indonesia: the engine's validation
(schema, declaration rules, references, uniqueness at once), money as people type it, phone
numbers, dates of birth, and the admin user form's roles."""
import re
from datetime import date, timedelta

import pytest
from marshmallow import ValidationError

from services.features import load_declarations

load_declarations()
from models import Menu, Service, User, clinic_now, db  # noqa: E402
from services.engine import REGISTRY  # noqa: E402
from services.engine.fields import BirthDate, Money, parse_rupiah, phone_problem  # noqa: E402
from tests.conftest import VALID_CREATE, csrf_from, make_user  # noqa: E402
from tests.factories.treatments import make_service  # noqa: E402

# marshmallow's English defaults (fields, validators and schema), none of which may reach a person
ENGLISH = re.compile(
    r"Not a valid|Missing data|may not be null|Unknown field|Invalid (value|input|type)|"
    r"Must be|Shorter than|Longer than|Length must|does not match|cannot be formatted|"
    r"Special numeric|Number too large|One or more of the choices|greater than|less than")
BAD_VALUES = ({"x": 1}, [1, 2], ["??", {}], "tidak-valid-!!", True, -5, 10**20, "x" * 70000,
              1.5, "")


def messages_of(value):
    """Every message string inside a marshmallow message tree."""
    if isinstance(value, dict):
        for item in value.values():
            yield from messages_of(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from messages_of(item)
    else:
        yield str(value)


# ---- money, phone, birth date ------------------------------------------------------------
@pytest.mark.parametrize("typed, amount", [
    ("160000", 160000), ("160.000", 160000), ("Rp 160.000", 160000), ("Rp160.000", 160000),
    ("rp. 160.000", 160000), ("160.000,00", 160000), ("Rp 160.000,-", 160000),
    ("IDR 1.250.000", 1250000), (" 0 ", 0), (160000, 160000), (160000.0, 160000),
    ("1.000.000.000", 1_000_000_000)])
def test_money_accepts_what_people_type(typed, amount):
    assert parse_rupiah(typed) == amount


@pytest.mark.parametrize("typed", ["160.5", "1.60.000", "160,000", "160.000,50", "16O.000",
                                   "Rp", "abc", "1.2345", "160000.5", 160000.5, True, [1]])
def test_money_refuses_what_is_no_whole_rupiah(typed):
    with pytest.raises(ValueError):
        parse_rupiah(typed)


def test_money_field_messages_are_indonesian():
    field = Money(required=True)
    with pytest.raises(ValidationError, match="Nominal tidak valid"):
        field.deserialize("160.5")
    with pytest.raises(ValidationError, match="Nominal tidak boleh negatif"):
        field.deserialize("-Rp 5.000")
    with pytest.raises(ValidationError, match="Nominal terlalu besar"):
        field.deserialize("3.000.000.000")
    assert Money(allow_none=True).deserialize("") is None


@pytest.mark.parametrize("number", ["081234567890", "0812-3456-7890", "0812 3456 7890",
                                    "+62 812 3456 7890", "6281234567890", "+6281234567890",
                                    "(022) 1234567", "022-1234567", "85312345"])
def test_indonesian_phone_numbers_pass(number):
    assert phone_problem(number) is None


@pytest.mark.parametrize("number", ["12345", "0812", "abc", "0812-ABCD-7890", "+1 555 123 4567",
                                    "1234567890", "0012345678", "08123456789012345678",
                                    "0812/3456/7890", "62"])
def test_what_is_no_phone_number_is_refused(number):
    assert phone_problem(number) is not None


def test_birth_date_cannot_be_in_the_future(app):
    field = BirthDate(allow_none=True)
    tomorrow = clinic_now().date() + timedelta(days=1)
    with pytest.raises(ValidationError, match="tidak boleh di masa depan"):
        field.deserialize(tomorrow.strftime("%d/%m/%Y"))
    with pytest.raises(ValidationError, match="1900"):
        field.deserialize("31/12/1899")
    assert field.deserialize(clinic_now().date().isoformat()) == clinic_now().date()
    assert field.deserialize("31/12/1992") == date(1992, 12, 31)


def test_every_phone_and_birth_date_input_is_declared_as_such():
    """Every input column named like a phone number or a date of birth uses those fields."""
    for resource in REGISTRY.values():
        for name in resource.inputs:
            if re.search(r"phone|telp|handphone|(^|_)hp$|(^|_)wa$|whatsapp", name):
                assert name in resource.phone_inputs, (resource.name, name)
            if re.search(r"birth|lahir", name) and name != "tempat_lahir":
                assert name in resource.birth_date_inputs, (resource.name, name)
            if re.search(r"harga|price|pajak|biaya|nominal|fee", name) \
                    and not re.match(r"mulai_|selesai_", name):
                field = resource.input_fields(True)[name]
                assert isinstance(field, Money), (resource.name, name)


# ---- no English from marshmallow ---------------------------------------------------------
@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_no_english_message_from_any_input(app, name):
    """Every input of every resource, given bad values (and nothing at all), answers in
    Bahasa Indonesia."""
    resource = REGISTRY[name]
    seen = []
    for creating in (True, False):
        schema = resource.schema(creating)
        payloads = [{}, {"unknown_extra": 1}] + [
            {field: bad} for field in resource.input_fields(creating) for bad in BAD_VALUES]
        for payload in payloads:
            try:
                schema.load(payload)
            except ValidationError as exc:
                seen.extend(messages_of(exc.normalized_messages()))
    english = sorted({message for message in seen if ENGLISH.search(message)})
    assert not english, (name, english)
    if resource.required:
        assert "Wajib diisi." in seen


# ---- one pass ----------------------------------------------------------------------------
def test_registration_reports_every_problem_at_once_in_the_documented_envelope(client):
    make_user(username="sudahada")
    response = client.post("/api/users/create", json={
        "username": "sudahada", "users_fullname": "x" * 300, "users_email": "bukan-email",
        "users_phone": "12", "users_birthday": "01/01/2999",
        "password": "pendek", "retype_password": "lain"})
    assert response.status_code == 422
    body = response.get_json()
    assert body["status"] == "error"
    assert set(body["exception"]) == {"error_code", "message", "fields"}
    assert body["exception"]["error_code"] == "invalid_fields"
    fields = body["exception"]["fields"]
    # schema (length, phone, birth date), the declaration's rules (e-mail, passwords) and
    # uniqueness (username), all in one answer
    assert set(fields) == {"username", "users_fullname", "users_email", "users_phone",
                           "users_birthday", "password", "retype_password"}, fields
    assert fields["username"] == "Sudah digunakan."
    assert fields["users_email"] == "Alamat e-mail tidak valid."
    assert fields["retype_password"] == "Konfirmasi kata sandi tidak sama."
    assert "masa depan" in fields["users_birthday"]
    assert db.session.query(User).filter_by(users_fullname="x" * 300).count() == 0


def test_bad_type_and_unknown_reference_come_back_together(client, owner_headers):
    response = client.post("/api/menus/create", headers=owner_headers, json={
        "nama_menus": "Serum", "harga": "seratus ribu", "id_menu_categories_1": 999999})
    assert response.status_code == 422
    fields = response.get_json()["exception"]["fields"]
    assert fields["harga"].startswith("Nominal tidak valid")
    assert fields["id_menu_categories_1"] == "Data yang dirujuk tidak ditemukan."


def test_first_message_per_field_wins(client):
    """The schema's message for a field stands; a later stage does not overwrite it."""
    response = client.post("/api/users/create", json={
        "username": "ok.name", "users_fullname": "Nama", "password": {"x": 1},
        "retype_password": "kata-sandi-9"})
    fields = response.get_json()["exception"]["fields"]
    assert fields["password"] == "Harus berupa teks."
    assert fields["retype_password"] == "Konfirmasi kata sandi tidak sama."


def test_money_typed_with_dots_and_rp_is_stored_as_rupiah(client, owner_headers):
    body = VALID_CREATE["services"]()
    body["services_price"] = "Rp 160.000"
    response = client.post("/api/services/create", headers=owner_headers, json=body)
    assert response.status_code == 200, response.get_json()
    service = db.session.get(Service, response.get_json()["services"]["id"])
    assert service.services_price == 160000
    menu = client.post("/api/menus/create", headers=owner_headers, json={
        "nama_menus": "Toner", "harga": "85.000", "pajak": "Rp 8.500", "harga_promosi": ""})
    assert menu.status_code == 200, menu.get_json()
    row = db.session.get(Menu, menu.get_json()["menus"]["id"])
    assert (row.harga, row.pajak, row.harga_promosi) == (85000, 8500, 0)


def test_registration_without_roles_is_still_a_customer(client):
    """The documented registration (the mobile app) is unchanged: no roles, a CUSTOMER."""
    response = client.post("/api/users/create", json={
        "username": "pasien.baru", "users_fullname": "Pasien Baru",
        "users_phone": "0812-3456-7890", "password": "kata-sandi-9",
        "retype_password": "kata-sandi-9"})
    assert response.status_code == 200, response.get_json()
    user = db.session.query(User).filter_by(username="pasien.baru").one()
    assert [role.rolecodes for role in user.roles] == ["CUSTOMER"]
    assert user.users_phone == "0812-3456-7890"


# ---- the admin form ------------------------------------------------------------------------
def signed_in(auth):
    user = make_user(roles=("OWNER", "ADMIN", "USERS"))
    assert auth.admin_login(user).status_code == 302
    return user


def test_admin_user_form_asks_for_roles_with_every_other_problem(client, auth):
    signed_in(auth)
    form = client.get("/admin/users/new").get_data(as_text=True)
    assert "<title>Tambah Pengguna · " in form and '<h1 class="h4 mb-3">Tambah Pengguna</h1>' in form
    response = client.post("/admin/users/new", data={
        "csrf_token": csrf_from(form), "username": "a b", "users_fullname": "Sinta",
        "users_email": "sinta@", "users_phone": "0812-3456-7890", "password": "kata-sandi-9",
        "retype_password": "kata-sandi-8"})
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    for message in ("Pilih setidaknya satu peran.", "Alamat e-mail tidak valid.",
                    "Konfirmasi kata sandi tidak sama.", "3–50 karakter"):
        assert message in text, message
    assert 'value="a b"' in text and 'value="sinta@"' in text and 'value="0812-3456-7890"' in text
    assert db.session.query(User).filter_by(users_fullname="Sinta").count() == 0
    # roles alone missing: still refused, nothing written
    alone = client.post("/admin/users/new", data={
        "csrf_token": csrf_from(form), "username": "sinta", "users_fullname": "Sinta",
        "password": "kata-sandi-9", "retype_password": "kata-sandi-9"})
    assert alone.status_code == 422 and "Pilih setidaknya satu peran." in alone.get_data(as_text=True)
    assert db.session.query(User).filter_by(username="sinta").count() == 0
    given = client.post("/admin/users/new", data={
        "csrf_token": csrf_from(form), "username": "sinta", "users_fullname": "Sinta",
        "password": "kata-sandi-9", "retype_password": "kata-sandi-9", "roles": "USERS"})
    assert given.status_code == 302
    user = db.session.query(User).filter_by(username="sinta").one()
    assert [role.rolecodes for role in user.roles] == ["USERS"]
    edit = client.get(f"/admin/users/{user.id}/edit").get_data(as_text=True)
    assert "<title>Ubah Pengguna: sinta · " in edit
    emptied = client.post(f"/admin/users/{user.id}/edit", data={
        "csrf_token": csrf_from(edit), "username": "sinta", "users_fullname": "Sinta"})
    assert emptied.status_code == 422 and "Pilih setidaknya satu peran." in emptied.get_data(
        as_text=True)
    db.session.refresh(user)
    assert [role.rolecodes for role in user.roles] == ["USERS"]


def test_admin_money_and_date_inputs_read_as_people_write_them(client, auth):
    signed_in(auth)
    service = make_service(services_price=160000)
    edit = client.get(f"/admin/services/{service.id}/edit").get_data(as_text=True)
    price = re.search(r'<input[^>]*name="services_price"[^>]*>', edit).group(0)
    assert 'type="text"' in price and 'inputmode="numeric"' in price and 'value="160.000"' in price
    assert '<span class="input-group-text">Rp</span>' in edit
    user = make_user(users_birthday=date(1990, 3, 7))
    form = client.get(f"/admin/users/{user.id}/edit").get_data(as_text=True)
    birthday = re.search(r'<input[^>]*name="users_birthday"[^>]*>', form).group(0)
    assert 'type="text"' in birthday and "data-date" in birthday and 'value="07/03/1990"' in birthday
    assert 'type="date"' not in form and 'type="datetime-local"' not in form


def test_every_generic_form_page_has_a_title_and_a_heading(client, auth):
    signed_in(auth)
    checked = 0
    for name in sorted(REGISTRY):
        response = client.get(f"/admin/{name}/new")
        if response.status_code != 200:
            continue
        text = response.get_data(as_text=True)
        label = REGISTRY[name].label
        assert f"<title>Tambah {label} · " in text, name
        assert f'<h1 class="h4 mb-3">Tambah {label}</h1>' in text, name
        assert 'type="date"' not in text and 'type="datetime-local"' not in text, name
        checked += 1
    assert checked >= 15
