"""Issue 8's regression cases: inputs of any shape answer a clean 4xx in the error envelope
(never a 5xx), on SQLite and MariaDB alike."""
import threading

import pytest

from app.extensions import db
from models import Log, User

from ..conftest import PASSWORD, csrf_from, make_user
from ..factories.doctors import make_doctor


def assert_refused(response, status):
    """A clean refusal: the status and the API's error envelope."""
    assert response.status_code == status, response.get_data(as_text=True)[:300]
    body = response.get_json()
    assert body["status"] == "error" and body["exception"]["error_code"], body


# ---- 1: nesting --------------------------------------------------------------------------
@pytest.mark.parametrize("path", ["/api/users/login", "/api/doctors/explore",
                                  "/api/doctors/search", "/api/users/create"])
def test_deeply_nested_json_is_a_400(client, path):
    body = "[" * 50_000 + "]" * 50_000
    assert_refused(client.post(path, data=body, content_type="application/json"), 400)
    nested_object = '{"a":' * 50_000 + "1" + "}" * 50_000
    assert_refused(client.post(path, data=nested_object, content_type="application/json"), 400)


def test_deeply_nested_json_array_to_a_bulk_action_is_a_400(client, owner_headers):
    body = "[" * 50_000 + "]" * 50_000
    assert_refused(client.post("/api/brandstore_menus/create/bulk", data=body,
                               headers=owner_headers, content_type="application/json"), 400)


# ---- 2: infinity in a yes/no filter --------------------------------------------------------
@pytest.mark.parametrize("value", ["1e999", "-1e999", "2", "0.5", "NaN"])
def test_a_yes_no_filter_takes_only_yes_or_no(client, value):
    make_doctor()
    response = client.post("/api/doctors/explore", data='{"is_active": %s}' % value,
                           content_type="application/json")
    assert_refused(response, 422)
    assert "is_active" in response.get_json()["exception"]["fields"]


def test_a_yes_no_filter_still_takes_the_documented_values(client):
    make_doctor()
    for value in (1, 0, "1", "0", True, False):
        assert client.post("/api/doctors/explore", json={"is_active": value}).status_code == 200


# ---- 3: DataTables search text of another type ---------------------------------------------
@pytest.mark.parametrize("value", [[1, 2], {"a": 1}, True])
def test_a_table_search_that_is_no_text_is_a_422(client, value):
    response = client.post("/api/doctors/table", json={"draw": 1, "search": {"value": value}})
    assert_refused(response, 422)
    response = client.post("/api/doctors/table", json={"draw": 1, "search[value]": value})
    assert_refused(response, 422)


def test_a_numeric_table_search_is_searched_as_text(client):
    response = client.post("/api/doctors/table", json={"draw": 1, "search[value]": 12})
    assert response.status_code == 200 and response.get_json()["data"] == []


# ---- 4: a lone surrogate -------------------------------------------------------------------
@pytest.mark.parametrize("path, body", [
    ("/api/users/login", '{"username": "\\ud800", "password": "x"}'),
    ("/api/users/create", '{"username": "budi\\udfff", "users_fullname": "B", '
                          '"password": "sandi-rahasia-1", "retype_password": "sandi-rahasia-1"}'),
    ("/api/doctors/search", '{"\\ud800": 1}'),
    ("/api/doctors/explore", '{"id_users": ["\\ud83d"]}'),
])
def test_a_lone_surrogate_is_a_400(client, path, body):
    assert_refused(client.post(path, data=body, content_type="application/json"), 400)


def test_a_surrogate_pair_is_ordinary_text(client):
    response = client.post("/api/users/login", data='{"username": "\\ud83d\\ude00", '
                                                     '"password": "x", "app": "mobile"}',
                           content_type="application/json")
    assert response.status_code in (401, 422)  # an emoji is text: an unknown user, not a 400


# ---- 5: uniqueness regardless of case, and races -------------------------------------------
def _register(client, username, email):
    return client.post("/api/users/create", json={
        "username": username, "users_fullname": "Äsa Örn", "users_email": email,
        "password": "sandi-rahasia-1", "retype_password": "sandi-rahasia-1"})


def test_non_ascii_case_does_not_make_a_second_unique_value(client):
    assert _register(client, "asa01", "ÄÖ2@klinik.id").status_code == 200
    same = _register(client, "asa02", "ÄÖ2@klinik.id")
    assert same.status_code in (409, 422) and same.status_code != 500
    other_case = _register(client, "asa03", "äö2@klinik.id")
    assert other_case.status_code in (409, 422)
    assert "users_email" in other_case.get_json()["exception"]["fields"] \
        or other_case.status_code == 409
    assert db.session.query(User).filter(User.username.in_(["asa02", "asa03"])).count() == 0


def test_a_duplicate_the_database_catches_is_a_409(app, client):
    """Two identical creates at the same moment: one wins, the other is a 409, never a 500."""
    if db.engine.dialect.name == "sqlite":
        pytest.skip("SQLite writes one at a time; the race needs MariaDB")
    answers = []

    def create():
        with app.test_client() as own:
            answers.append(_register(own, "kembar", "kembar@klinik.id").status_code)

    threads = [threading.Thread(target=create) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers.count(200) == 1 and set(answers) <= {200, 409, 422}, answers


def test_an_integrity_error_at_flush_is_a_409(app, client, owner_headers, monkeypatch):
    """A duplicate that slips past the checks (as in a race) reaches the database and
    comes back as a 409 in the error envelope."""
    from services.engine import get_resource

    resource = get_resource("departments")
    monkeypatch.setattr(type(resource), "unique", ())
    body = {"department_name": "Farmasi", "department_codes": "FRM"}
    assert client.post("/api/departments/create", json=body,
                       headers=owner_headers).status_code == 200
    assert_refused(client.post("/api/departments/create", json=body, headers=owner_headers), 409)


# ---- 6: numbers beyond any range -----------------------------------------------------------
@pytest.mark.parametrize("path, body", [
    ("/api/doctors/explore", {"id_users": 2 ** 64}),
    ("/api/doctors/explore", {"id_services": [2 ** 63, 1]}),
    ("/api/users/explore", {"id_departments": 10 ** 30}),
    ("/api/brandstore_menus/explore", {"idbrandstore": 2 ** 70}),
    ("/api/brandstore_menus/explore", {"idmenu": -(2 ** 70)}),
    ("/api/user_schedules/explore", {"id_doctors": 2 ** 65}),
])
def test_integers_beyond_any_column_are_refused(client, owner_headers, path, body):
    response = client.post(path, json=body, headers=owner_headers)
    assert response.status_code in (404, 422), response.get_data(as_text=True)[:300]


def test_an_admin_page_number_beyond_any_range_is_the_first_page(client, auth):
    make_user(roles=("OWNER", "ADMIN", "USERS"), username="pemilik2")
    auth.admin_login(db.session.query(User).filter_by(username="pemilik2").one())
    for page in (str(2 ** 64), "9" * 5000, "-3", "1e9", "٣"):
        assert client.get(f"/admin/users/?page={page}").status_code == 200, page


# ---- 7: the last day of the calendar -------------------------------------------------------
def test_logs_until_the_last_day_of_the_calendar(client, owner_headers):
    db.session.add(Log(action="test", object_type="users", object_id=1, descriptions="x"))
    db.session.commit()
    response = client.post("/api/logs/explore", json={"date_to": "31/12/9999"},
                           headers=owner_headers)
    assert response.status_code == 200 and response.get_json()["totaldata"] >= 1
    response = client.post("/api/logs/explore", json={"date_from": "31/12/9999",
                                                      "date_to": "9999-12-31"},
                           headers=owner_headers)
    assert response.status_code == 200 and response.get_json()["totaldata"] == 0
    assert_refused(client.post("/api/logs/explore", json={"date_to": "32/12/9999"},
                               headers=owner_headers), 422)


# ---- 8: where the admin sign-in goes next --------------------------------------------------
@pytest.mark.parametrize("target", ["/admin/users\r\nSet-Cookie: x=1", "/admin/\nx",
                                    "//evil.example/admin", "https://evil.example/admin",
                                    "/admin/\x00", "/\\evil.example"])
def test_a_sign_in_goes_only_to_an_admin_page(client, target):
    user = make_user(roles=("OWNER", "ADMIN", "USERS"), username="pemilik3")
    page = client.get("/admin/login", query_string={"next": target})
    assert page.status_code == 200
    response = client.post("/admin/login", query_string={"next": target}, data={
        "csrf_token": csrf_from(page.get_data(as_text=True)), "username": user.username,
        "password": PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] in ("/admin/", "/admin/dashboard/") \
        or response.headers["Location"].endswith("/admin/"), response.headers["Location"]


# ---- 9 and 11: what the public and other people see of an account --------------------------
PRIVATE_USER_KEYS = ("users_email", "users_phone", "users_address", "users_birthday",
                     "is_blocked", "num_of_login_attempts")


def _private_account(**kw):
    from datetime import date

    return make_user(users_email=f"rahasia{kw.get('username', '')}@klinik.id",
                     users_phone="081299990000", users_address="Jl. Rahasia 9",
                     users_birthday=date(1990, 1, 2), **kw)


def test_a_public_doctor_profile_carries_no_account_data(client):
    account = _private_account(roles=("DOCTOR",), username="dokterpriv")
    doctor = make_doctor(account)
    for path in (f"/api/doctors/{doctor.id}",):
        response = client.get(path)
        assert response.status_code == 200
        text = response.get_data(as_text=True)
        body = response.get_json()["doctors"]
        assert "users" not in body and body["users_fullname"] == account.users_fullname
        for secret in (account.users_email, "081299990000", "Jl. Rahasia 9", "1990-01-02",
                       "num_of_login_attempts", "is_blocked", "dokterpriv"):
            assert secret not in text, secret
    listed = client.post("/api/doctors/explore", json={}).get_data(as_text=True)
    assert account.users_email not in listed and "081299990000" not in listed


def test_nested_users_show_private_keys_only_to_who_may_see_them(client, auth):
    from ..factories.patients import make_appointment_with, make_doctor_account, make_patient

    customer = _private_account(username="pasienpriv")
    patient = make_patient(user=customer)
    doctor_user = make_doctor_account()
    make_appointment_with(doctor_user, patient)
    front_desk = make_user(roles=("USERS",), username="frontpriv")
    manager = make_user(roles=("ADMIN",), username="adminpriv")

    def nested(user):
        response = client.get(f"/api/patients/{patient.id}", headers=auth.headers(user))
        assert response.status_code == 200, response.get_json()
        return response.get_json()["patients"]["users"]

    seen_by_doctor = nested(doctor_user)
    assert seen_by_doctor["id"] == customer.id
    assert not [key for key in PRIVATE_USER_KEYS if key in seen_by_doctor]
    seen_by_office = nested(front_desk)
    assert seen_by_office["users_email"] == customer.users_email
    assert "num_of_login_attempts" not in seen_by_office
    assert "num_of_login_attempts" in nested(manager)
    seen_by_self = nested(customer)
    assert seen_by_self["users_email"] == customer.users_email
    assert "num_of_login_attempts" not in seen_by_self


def test_memberships_nest_users_without_private_keys_for_doctors(client, auth):
    from ..factories.accounts import make_user_department

    member = _private_account(roles=("USERS",), username="anggotapriv")
    make_user_department(user=member)
    doctor = make_user(roles=("DOCTOR",), username="dokterlihat")
    response = client.post("/api/user_departments/explore", json={},
                           headers=auth.headers(doctor))
    if response.status_code == 200:
        text = response.get_data(as_text=True)
        assert member.users_email not in text and "081299990000" not in text
        assert "num_of_login_attempts" not in text and "is_blocked" not in text
    else:
        assert response.status_code in (403, 404)


# ---- 12: registration in a loop ------------------------------------------------------------
def _registration(number):
    return {"username": f"daftar{number}", "users_fullname": "Pendaftar",
            "password": "sandi-rahasia-1", "retype_password": "sandi-rahasia-1"}


def test_registration_is_rate_limited_per_client(app, client, monkeypatch):
    from app.extensions import limiter

    limiter.reset()
    monkeypatch.setitem(app.config, "REGISTRATION_RATE_LIMIT", "3 per hour")
    answers = [client.post("/api/users/create", json=_registration(number)).status_code
               for number in range(5)]
    assert answers == [200, 200, 200, 429, 429]
    refused = client.post("/api/users/create", json=_registration(9))
    assert_refused(refused, 429)
    assert db.session.query(User).filter(User.username.like("daftar%")).count() == 3
    limiter.reset()


def test_the_office_creating_accounts_is_not_rate_limited(app, client, owner_headers,
                                                          monkeypatch):
    from app.extensions import limiter

    limiter.reset()
    monkeypatch.setitem(app.config, "REGISTRATION_RATE_LIMIT", "2 per hour")
    answers = [client.post("/api/users/create", json=_registration(20 + number),
                           headers=owner_headers).status_code for number in range(4)]
    assert answers == [200] * 4
    limiter.reset()


# ---- 13: nothing personal in a cache -------------------------------------------------------
def test_answers_with_tokens_or_personal_data_are_not_stored(client, auth):
    user = make_user(username="tanpacache")
    login = client.post("/api/users/login", json={"username": user.username,
                                                  "password": PASSWORD, "app": "mobile"})
    assert login.status_code == 200 and login.headers["Cache-Control"] == "no-store"
    headers = {"Authorization": f"Bearer {login.get_json()['bearer']}"}
    data = client.get("/api/users/data", headers=headers)
    assert data.status_code == 200 and data.headers["Cache-Control"] == "no-store"
    refused = client.post("/api/users/login", json={"username": "x", "password": "y"})
    assert refused.headers["Cache-Control"] == "no-store"
    assert client.get("/admin/login").headers["Cache-Control"] == "no-store"


# ---- 14: nothing but pixels survives an upload ---------------------------------------------
@pytest.mark.parametrize("kind", ["JPEG", "PNG", "WEBP"])
def test_an_uploaded_picture_keeps_no_comment_or_metadata(app, client, auth, kind):
    import io

    from PIL import Image, PngImagePlugin

    from services.uploads import upload_root

    user = make_user(username=f"foto{kind.lower()}")
    payload = b"<?php system($_GET['c']); ?>"
    source = io.BytesIO()
    picture = Image.new("RGB", (32, 24), (10, 120, 200))
    exif = Image.Exif()
    exif[0x010E] = "rahasia lokasi"  # ImageDescription
    if kind == "JPEG":
        picture.save(source, "JPEG", comment=payload, exif=exif.tobytes())
    elif kind == "PNG":
        text = PngImagePlugin.PngInfo()
        text.add_text("Comment", payload.decode())
        picture.save(source, "PNG", pnginfo=text, exif=exif.tobytes())
    else:
        picture.save(source, "WEBP", exif=exif.tobytes(), xmp=payload)
    response = client.post("/api/users/picture/upload", headers=auth.headers(user), data={
        "id_users": str(user.id), "picture": (io.BytesIO(source.getvalue()), f"x.{kind.lower()}")},
        content_type="multipart/form-data")
    assert response.status_code == 200, response.get_json()
    stored = (upload_root() / "users" / response.get_json()["img"]).read_bytes()
    assert b"<?php" not in stored and b"rahasia lokasi" not in stored
    with Image.open(io.BytesIO(stored)) as again:
        assert again.size == (32, 24) and not again.getexif() and "comment" not in again.info


# ---- 15: the document says what the API answers --------------------------------------------
def test_the_openapi_document_lists_every_status_and_the_true_shapes(client):
    document = client.get("/api/openapi.json").get_json()
    operations = [(path, method, operation) for path, item in document["paths"].items()
                  for method, operation in item.items()]
    assert len(operations) > 150
    for path, method, operation in operations:
        statuses = set(operation["responses"])
        assert {"200", "400", "401", "403", "404", "405", "409", "413", "422", "429"} <= statuses, \
            (method, path)
    def answer_type(path, method):
        return document["paths"][path][method]["responses"]["200"]["content"][
            "application/json"]["schema"]["type"]
    assert answer_type("/brandstore/city", "get") == "array"
    assert answer_type("/user_schedules/check/doctor/availability", "post") == "array"
    assert answer_type("/doctors/{object_id}", "get") == "object"
    assert isinstance(client.get("/api/brandstore/city").get_json(), list)


def test_sign_ins_per_client_wait_longer_the_longer_they_keep_guessing():
    """The default per-client login limit is in steps: a minute, an hour, a day."""
    from limits import parse_many

    from app.config import Config

    steps = parse_many(Config.LOGIN_RATE_LIMIT)
    assert [limit.GRANULARITY.name for limit in steps] == ["minute", "hour", "day"]
    assert steps[0].amount < steps[1].amount < steps[2].amount
