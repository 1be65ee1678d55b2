"""Medical records of today by default and linked to the appointment they belong to
(id_user_schedules: validated, in the output, filterable); probable duplicate patients; the
word-by-word patient search (any order) of the API's search, explore and table."""
from datetime import date, time

import pytest

from models import MedicalRecord, clinic_now, db
from services.patients import queries as patient_queries
from tests.conftest import make_user
from tests.factories.patients import (make_appointment_with, make_doctor_account,
                                      make_medical_record, make_patient)


@pytest.fixture
def doctor():
    return make_doctor_account(username="dokterkulit", users_fullname="dr. Kulit SpKK")


def today():
    return clinic_now().date()


def create(client, headers, **body):
    return client.post("/api/patient_rekam_medis/create", headers=headers, json=body)


def fields_of(response):
    return response.get_json()["exception"]["fields"]


# ---- the date of a new record -----------------------------------------------------------------
def test_a_new_record_without_a_date_is_of_today(client, auth, doctor):
    patient = make_patient()
    make_appointment_with(doctor, patient)
    response = create(client, auth.headers(doctor), id_patients=patient.id, keluhan="Gatal")
    assert response.status_code == 200, response.get_json()
    body = response.get_json()["patient_rekam_medis"]
    assert body["tanggal_konsul"] == today().isoformat()
    assert body["id_user_schedules"] is None
    # a date sent stays; an empty one is refused
    dated = create(client, auth.headers(doctor), id_patients=patient.id, keluhan="x",
                   tanggal_konsul="21/03/2023")
    assert dated.get_json()["patient_rekam_medis"]["tanggal_konsul"] == "2023-03-21"
    blank = create(client, auth.headers(doctor), id_patients=patient.id, keluhan="x",
                   tanggal_konsul="")
    assert blank.status_code == 422 and "tanggal_konsul" in fields_of(blank)


# ---- the appointment a record belongs to --------------------------------------------------------
def test_a_record_links_to_an_appointment_of_its_patient(client, auth, doctor):
    patient = make_patient()
    visit = make_appointment_with(doctor, patient, day=date(2024, 3, 4), start=time(10, 0))
    headers = auth.headers(doctor)
    response = create(client, headers, id_patients=patient.id, keluhan="Gatal",
                      tanggal_konsul="04/03/2024", id_user_schedules=str(visit.id))
    assert response.status_code == 200, response.get_json()
    body = response.get_json()["patient_rekam_medis"]
    assert body["id_user_schedules"] == visit.id
    record_id = body["id"]
    assert db.session.get(MedicalRecord, record_id).id_user_schedules == visit.id
    got = client.get(f"/api/patient_rekam_medis/{record_id}", headers=headers).get_json()
    assert got["patient_rekam_medis"]["id_user_schedules"] == visit.id
    # listed, and found by the appointment
    explore = client.post("/api/patient_rekam_medis/explore", headers=headers,
                          json={"id_user_schedules": visit.id}).get_json()
    assert [row["id"] for row in explore["data"]] == [record_id]
    assert explore["data"][0]["id_user_schedules"] == visit.id
    # the link is taken away with null, and given again
    unlinked = client.put(f"/api/patient_rekam_medis/{record_id}/update", headers=headers,
                          json={"id_user_schedules": None})
    assert unlinked.status_code == 200
    assert unlinked.get_json()["patient_rekam_medis"]["id_user_schedules"] is None
    relinked = client.put(f"/api/patient_rekam_medis/{record_id}/update", headers=headers,
                          json={"id_user_schedules": visit.id})
    assert relinked.get_json()["patient_rekam_medis"]["id_user_schedules"] == visit.id


@pytest.mark.parametrize("which, status", [
    ("other_patient", 422), ("nonexistent", 422), ("huge", 422), ("negative", 422),
    ("text", 422), ("cancelled", 422)])
def test_a_record_refuses_a_wrong_appointment(client, auth, doctor, which, status):
    patient, other = make_patient(), make_patient()
    make_appointment_with(doctor, patient)
    others_visit = make_appointment_with(doctor, other)
    cancelled = make_appointment_with(doctor, patient, status="CANCEL")
    value = {"other_patient": others_visit.id, "nonexistent": 987654,
             "huge": 99999999999999999999, "negative": -3, "text": "kemarin",
             "cancelled": cancelled.id}[which]
    response = create(client, auth.headers(doctor), id_patients=patient.id, keluhan="Gatal",
                      id_user_schedules=value)
    assert response.status_code == status, response.get_json()
    problem = fields_of(response)["id_user_schedules"]
    if which == "other_patient":
        assert problem == "Janji temu ini milik pasien lain."
    if which == "nonexistent":
        assert problem == "Janji temu tidak ditemukan."
    assert db.session.query(MedicalRecord).count() == 0


def test_an_update_refuses_another_patients_appointment(client, auth, doctor):
    patient, other = make_patient(), make_patient()
    make_appointment_with(doctor, patient)
    others_visit = make_appointment_with(doctor, other)
    record = make_medical_record(patient)
    response = client.put(f"/api/patient_rekam_medis/{record.id}/update",
                          headers=auth.headers(doctor), json={"id_user_schedules": others_visit.id})
    assert response.status_code == 422
    db.session.rollback()
    assert db.session.get(MedicalRecord, record.id).id_user_schedules is None


def test_a_doctor_cannot_link_an_appointment_they_do_not_see(client, auth, doctor):
    """Another doctor's appointment with the same patient is out of this doctor's sight: it
    reads as unknown."""
    colleague = make_doctor_account(username="dokterlain")
    patient = make_patient()
    make_appointment_with(doctor, patient)
    theirs = make_appointment_with(colleague, patient)
    response = create(client, auth.headers(doctor), id_patients=patient.id, keluhan="x",
                      id_user_schedules=theirs.id)
    assert response.status_code == 422
    assert fields_of(response)["id_user_schedules"] == "Janji temu tidak ditemukan."


def test_todays_appointment_with_the_doctor_is_the_default(app, doctor):
    colleague = make_doctor_account(username="dokterdua")
    patient = make_patient()
    day = today()
    mine = make_appointment_with(doctor, patient, day=day, start=time(9, 0), status="ARRIVED")
    make_appointment_with(colleague, patient, day=day, start=time(11, 0), status="ARRIVED")
    make_appointment_with(doctor, patient, day=date(2024, 1, 5))
    appointments = patient_queries.patient_appointments(make_user(roles=("OWNER",)), patient.id)
    assert patient_queries.todays_appointment(doctor, appointments) == mine.id
    assert patient_queries.todays_appointment(colleague, appointments) != mine.id
    choices = patient_queries.appointment_choices(appointments)
    assert len(choices) == 3 and choices[-1][1].startswith("05/01/2024 09:00 · ")


# ---- probable duplicates ----------------------------------------------------------------------
def test_probable_duplicates_by_name_and_birth_date_or_phone(app):
    office = make_user(roles=("OWNER", "ADMIN", "USERS"))
    rita = make_patient(nama_lengkap_pasien="Rita  Ambar", tanggal_lahir=date(1990, 5, 1),
                        no_handphone="0812-3456-7890")
    make_patient(nama_lengkap_pasien="Rita Ambar", tanggal_lahir=date(1991, 5, 1),
                 no_handphone="0899000111")
    find = patient_queries.probable_duplicates
    assert find(office, "rita ambar", date(1990, 5, 1)) == [rita]
    assert find(office, "RITA AMBAR ", date(1990, 5, 1)) == [rita]
    assert find(office, "Rita Ambar", date(1990, 5, 2)) == []
    assert find(office, "Rita", None, "+62 812 3456 7890") == [rita]
    assert find(office, "", None, "6281234567890") == [rita]
    assert find(office, "", None, "081234567891") == []
    assert find(office, "", None, "0812") == []  # too short to tell
    assert find(office, "Rita Ambar", date(1990, 5, 1), exclude_id=rita.id) == []
    # nobody but the office looks among other patients
    customer = make_user(roles=("CUSTOMER",))
    assert find(customer, "Rita Ambar", date(1990, 5, 1)) == []


def test_the_api_does_not_stop_a_duplicate_patient(client, owner_headers):
    make_patient(nama_lengkap_pasien="Rita Ambar", tanggal_lahir=date(1990, 5, 1))
    response = client.post("/api/patients/create", headers=owner_headers, json={
        "nama_lengkap_pasien": "rita ambar", "tanggal_lahir": "01/05/1990"})
    assert response.status_code == 200


# ---- word-by-word search -----------------------------------------------------------------------
def test_patient_search_matches_words_in_any_order(client, owner_headers):
    rita = make_patient(nama_lengkap_pasien="Rita Ambarwati", no_handphone="0811222333",
                        no_identitas="3671290261191001")
    make_patient(nama_lengkap_pasien="Rita Sari")
    make_patient(nama_lengkap_pasien="Ambar Lestari")
    external = make_patient(nama_lengkap_pasien="Budi Rita", patient_external_id="DGS-AMBAR-9")

    def found(keyword):
        response = client.post("/api/patients/search", headers=owner_headers,
                               json={"keyword": keyword})
        assert response.status_code == 200
        return {row["id"] for row in response.get_json()["patients"]}

    assert found("ambar rita") == {rita.id, external.id}  # each word in any searched column
    assert found("  RITA   ambarwati ") == {rita.id}
    assert found("rita 0811222") == {rita.id}
    assert found("3671290261191001") == {rita.id}  # the identity number too
    assert found("rita zzz") == set()
    assert found("50% rita") == set()  # wildcards are text
    explore = client.post("/api/patients/explore?page=1&length=10", headers=owner_headers,
                          json={"keyword": "ambar rita"}).get_json()
    assert explore["totaldata"] == 2
    table = client.post("/api/patients/table", headers=owner_headers, data={
        "draw": "1", "search[value]": "ambarwati rita"}).get_json()
    assert table["recordsFiltered"] == 1 and table["data"][0][0] == rita.id


def test_other_resources_still_search_the_whole_text(client, owner_headers):
    """Only resources that ask for it search word by word (patients, users): the menu
    categories table still looks for the text as typed."""
    from tests.factories.catalog import make_menu_category

    make_menu_category(menu_categories="Krim Wajah")
    table = client.post("/api/menu_categories/table", headers=owner_headers, data={
        "draw": "1", "search[value]": "wajah krim"}).get_json()
    assert table["recordsFiltered"] == 0
    table = client.post("/api/menu_categories/table", headers=owner_headers, data={
        "draw": "1", "search[value]": "krim wajah"}).get_json()
    assert table["recordsFiltered"] == 1
