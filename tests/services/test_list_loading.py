"""The API's lists load the rows they show with only the columns their outputs read
(Resource.list_eager), in a fixed number of statements; get and the admin keep whole objects."""
import pytest

from models import db
from tests.conftest import count_queries, make_user
from tests.factories.appointments import make_appointment, make_clinic, make_patient_of
from tests.factories.patients import make_medical_record, make_patient


@pytest.fixture
def headers(client, owner_headers):
    """The owner's bearer headers, the token used once already (its first use is written)."""
    client.get("/api/users/data", headers=owner_headers)
    return owner_headers


def _listed(client, headers, path, body=None):
    """(answer, statements) of one list request on a session holding nothing."""
    db.session.expunge_all()
    with count_queries() as statements:
        response = client.post(path, json=body or {}, headers=headers)
    assert response.status_code == 200, response.get_json()
    return response.get_json(), statements


def _page_statement(statements, table):
    """The statement that loads the page's rows of `table`."""
    found = [text for text in statements if f"FROM {table} JOIN" in text
             or f"FROM {table} INNER JOIN" in text]
    assert len(found) == 1, statements
    return found[0]


def _appointments(count):
    for _ in range(count):
        clinic = make_clinic()
        make_appointment(clinic=clinic, patient=make_patient_of(
            make_user(users_fullname="Rina Pemesan")))


def test_appointment_lists_read_names_and_pictures_not_whole_rows(client, headers):
    _appointments(2)
    few, first = _listed(client, headers, "/api/user_schedules/explore?length=50")
    _appointments(5)
    many, second = _listed(client, headers, "/api/user_schedules/explore?length=50")
    assert len(few["data"]) == 2 and len(many["data"]) == 7
    assert len(first) == len(second)  # no statement per row or per column read
    page = _page_statement(second, "user_schedules")
    for unread in ("password_hash", "doctor_description", "services_description",
                   "nama_ibu_kandung", "users_email"):
        assert unread not in page, unread
    row = many["data"][0]
    assert row["users"] == "Rina Pemesan" and row["doctors"].startswith("dr. Dokter")
    assert row["services_name"].startswith("Konsultasi") and row["nama_lengkap_pasien"]
    assert row["ends"] > row["starts"] and row["doctor_buffer_time"] == 10
    # the detail still nests whole objects
    detail = client.get(f"/api/user_schedules/{row['id']}", headers=headers).get_json()
    nested = detail["user_schedules"]
    assert nested["doctors"]["id"] == row["id_doctors"]
    assert nested["patients"]["nama_lengkap_pasien"] == row["nama_lengkap_pasien"]


@pytest.mark.parametrize("path", ["/api/user_schedules/search", "/api/user_schedules/table"])
def test_the_other_appointment_lists_load_the_same_way(client, headers, path):
    _appointments(2)
    _, first = _listed(client, headers, path)
    _appointments(4)
    answer, second = _listed(client, headers, path)
    assert len(first) == len(second)
    rows = answer["data"] if "data" in answer else answer["user_schedules"]
    assert len(rows) == 6
    assert not [text for text in second if "password_hash" in text and "user_tokens" not in text]


def test_patient_lists_do_not_load_the_account_they_do_not_show(client, headers):
    for number in range(3):
        make_patient(user=make_user(users_fullname=f"Akun {number}"),
                     nama_lengkap_pasien=f"Pasien {number}")
    listed, statements = _listed(client, headers, "/api/patients/explore")
    page = _page_statement(statements, "patients")
    assert "user_departments" not in page and "password_hash" not in page
    assert "users" not in listed["data"][0]
    table, statements = _listed(client, headers, "/api/patients/table")
    assert not [text for text in statements if "user_departments" in text]
    names = {row[33] for row in table["data"]}  # users_fullname, as the Table Specs number it
    assert {"Akun 0", "Akun 1", "Akun 2"} <= names
    detail = client.get(f"/api/patients/{listed['data'][0]['id']}",
                        headers=headers).get_json()["patients"]
    assert detail["users"]["users_fullname"].startswith("Akun")


def test_record_lists_load_the_records_alone_and_audit_without_the_readers_profile(
        client, headers):
    for _ in range(3):
        make_medical_record()
    listed, statements = _listed(client, headers, "/api/patient_rekam_medis/explore")
    assert len(listed["data"]) == 3
    page = _page_statement(statements, "patient_rekam_medis")
    assert "patients_1" not in page and "users_1" not in page
    # the reads are audited under the reader's username, read with the token
    assert not [text for text in statements if "users.users_email" in text]
