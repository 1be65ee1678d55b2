"""Patients, allergies and medical records through the API: documented shapes, every endpoint
with bad input, allergies created and replaced, the partial address update, keyword search,
picture upload, linking, verification locking, version history, the read/change audit, the
users/data part and soft deletion."""
import io
import os
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from models import (Log, MedicalRecord, MedicalRecordVersion, Patient, PatientAllergy,
                    clinic_now, db)
from tests.conftest import count_queries, make_user, png_bytes
from tests.factories.patients import (make_appointment_with, make_doctor_account,
                                      make_medical_record, make_patient)

CREATE = {
    "id_users": None, "patient_external_id": "DIGISOFT_PATIENT-00934203",
    "nama_lengkap_pasien": "Andrianto", "tempat_lahir": "Jakarta", "tanggal_lahir": "31/12/1992",
    "alamat_domisili": "Babakan Jeruk 2 Sarijadi Bandung.", "nama_ibu_kandung": "Linda",
    "jenis_kelamin": "L", "nama_wali": "Linda", "hubungan_dengan_wali": "Orangtua",
    "alamat_wali": "JL Pelajar Pejuang Baru No 34", "no_telp_wali": "081300912993",
    "golongan_darah": "B+", "no_identitas": "3671290261191001", "jenis_identitas": "KTP",
    "alamat_identitas": "Babakan Jeruk 2 Sarijadi Bandung.", "nama_ayah": "Budi",
    "catatan": "opsional", "pekerjaan": "Guru", "perusahaan_tempat_bekerja": "SMA 1",
    "perusahaan_no_telp": "0221234567", "no_telp_rumah": "0225551234",
    "no_handphone": "081381461286", "provinsi": "JAWA BARAT", "kota": "CIMAHI",
    "kecamatan": "PADASUKA", "kode_provinsi": "12", "kode_kota": "312",
    "kode_kecamatan": "00981", "lat": 0.23878, "lng": 7.87981,
    "allergies": ["Kerang Seafood", "Bonteng", "Nangka"],
}


def fresh(model, object_id):
    """The row as the database has it now."""
    db.session.rollback()
    return db.session.get(model, object_id)


def fields_of(response):
    return response.get_json()["exception"]["fields"]


def allergy_names(patient_id):
    db.session.rollback()
    return [row.allergies for row in db.session.execute(
        select(PatientAllergy).where(PatientAllergy.id_patients == patient_id)
        .order_by(PatientAllergy.id)).scalars()]


def audit_entries(action, patient_id=None):
    db.session.rollback()
    stmt = select(Log).where(Log.action == action).order_by(Log.id)
    if patient_id is not None:
        stmt = stmt.where(Log.object_id == patient_id)
    return db.session.execute(stmt).scalars().all()


@pytest.fixture
def customer():
    return make_user(roles=("CUSTOMER",), username="didit", users_fullname="Didit Velliz")


@pytest.fixture
def doctor():
    return make_doctor_account(username="markusnr", users_fullname="Markus Nahesson SpKK")


# ---- patients: create, shapes, validation ------------------------------------------------------
def test_create_with_allergies_answers_the_documented_shape(client, owner_headers, customer):
    response = client.post("/api/patients/create", headers=owner_headers,
                           json={**CREATE, "id_users": customer.id})
    assert response.status_code == 200, response.get_json()
    patient = response.get_json()["patients"]
    assert patient["tanggal_lahir"] == "1992-12-31"
    assert patient["id_users"] == customer.id and patient["users"]["username"] == "didit"
    assert "password_hash" not in patient["users"]
    assert [row["allergies"] for row in patient["allergies"]] == ["Kerang Seafood", "Bonteng",
                                                                  "Nangka"]
    assert all(row["id_patients"] == patient["id"] and isinstance(row["id"], int)
               for row in patient["allergies"])
    assert patient["lat"] == 0.23878 and patient["golongan_darah"] == "B+"
    assert patient["patient_picture_url"] == "" and patient["patient_picture"] == ""
    for key in CREATE:
        assert key in patient, key
    assert allergy_names(patient["id"]) == ["Kerang Seafood", "Bonteng", "Nangka"]


def test_create_accepts_iso_dates_and_normalises_gender_and_blood_group(client, owner_headers):
    response = client.post("/api/patients/create", headers=owner_headers, json={
        "nama_lengkap_pasien": "Rita Ambar", "tanggal_lahir": "1988-04-17",
        "jenis_kelamin": "p", "golongan_darah": " ab- ", "allergies": ["debu", "Debu", " "]})
    body = response.get_json()["patients"]
    assert response.status_code == 200
    assert body["tanggal_lahir"] == "1988-04-17" and body["jenis_kelamin"] == "P"
    assert body["golongan_darah"] == "AB-"
    assert [row["allergies"] for row in body["allergies"]] == ["debu"]  # repeats kept once


@pytest.mark.parametrize("field, value", [
    ("jenis_kelamin", "X"), ("jenis_kelamin", "Laki"), ("golongan_darah", "C"),
    ("golongan_darah", "AB+-"), ("tanggal_lahir", "31/02/1990"), ("tanggal_lahir", "kemarin"),
    ("tanggal_lahir", (date.today() + timedelta(days=400)).strftime("%d/%m/%Y")),
    ("tanggal_lahir", "01/01/1850"), ("lat", 91), ("lng", -181), ("lat", "utara"),
    ("nama_lengkap_pasien", "   "), ("nama_lengkap_pasien", "x" * 151), ("no_handphone", "9" * 21),
    ("allergies", "x" * 151), ("allergies", [["nested"]]), ("allergies", {"a": 1}),
    ("allergies", [f"Alergi {number}" for number in range(31)]), ("id_users", "abc"),
])
def test_create_refuses_bad_fields(client, owner_headers, field, value):
    response = client.post("/api/patients/create", headers=owner_headers,
                           json={"nama_lengkap_pasien": "Pasien Uji", field: value})
    assert response.status_code == 422, response.get_json()
    assert field in fields_of(response)
    assert db.session.execute(select(Patient)).first() is None  # nothing half-written


def test_create_refuses_bad_bodies(client, owner_headers):
    assert client.post("/api/patients/create", headers=owner_headers).status_code == 400
    for bad in ("[1]", "bukan json", '"teks"'):
        response = client.post("/api/patients/create", data=bad, headers={
            **owner_headers, "Content-Type": "application/json"})
        assert response.status_code == 400
    missing = client.post("/api/patients/create", headers=owner_headers, json={"kota": "X"})
    assert missing.status_code == 422 and "nama_lengkap_pasien" in fields_of(missing)
    assert client.post("/api/patients/create", json={"nama_lengkap_pasien": "A"}).status_code == 401


def test_staff_link_only_to_a_live_customer_and_external_ids_are_unique(client, owner_headers,
                                                                          owner):
    staff = make_user(roles=("USERS",))
    gone = make_user(roles=("CUSTOMER",))
    gone.deleted_at = clinic_now()
    db.session.commit()
    for user_id in (staff.id, gone.id, 999999):
        response = client.post("/api/patients/create", headers=owner_headers,
                               json={"nama_lengkap_pasien": "A", "id_users": user_id})
        assert response.status_code == 422 and "id_users" in fields_of(response)
    make_patient(patient_external_id="DIGI-1")
    taken = client.post("/api/patients/create", headers=owner_headers, json={
        "nama_lengkap_pasien": "B", "patient_external_id": "digi-1"})
    assert taken.status_code == 422 and "patient_external_id" in fields_of(taken)


def test_customers_create_patients_linked_to_themselves_only(client, auth, customer):
    headers = auth.headers(customer)
    own = client.post("/api/patients/create", headers=headers,
                      json={"nama_lengkap_pasien": "Anak Didit", "allergies": ["Susu sapi"]})
    assert own.status_code == 200 and own.get_json()["patients"]["id_users"] == customer.id
    explicit = client.post("/api/patients/create", headers=headers, json={
        "nama_lengkap_pasien": "Istri Didit", "id_users": customer.id})
    assert explicit.status_code == 200
    other = make_user(roles=("CUSTOMER",))
    refused = client.post("/api/patients/create", headers=headers, json={
        "nama_lengkap_pasien": "Bukan Keluarga", "id_users": other.id})
    assert refused.status_code == 403 and "id_users" in fields_of(refused)
    patient_id = own.get_json()["patients"]["id"]
    moved = client.put(f"/api/patients/{patient_id}/update", headers=headers,
                       json={"id_users": other.id})
    assert moved.status_code == 403
    assert fresh(Patient, patient_id).id_users == customer.id


def test_doctors_do_not_create_patients(client, auth, doctor):
    response = client.post("/api/patients/create", headers=auth.headers(doctor),
                           json={"nama_lengkap_pasien": "Pasien Dokter"})
    assert response.status_code == 403


# ---- patients: update, allergies replaced, address --------------------------------------------
def test_update_replaces_the_allergy_list_only_when_sent(client, owner_headers):
    patient = make_patient(allergies=("Kerang", "Debu"))
    kept_id = next(row.id for row in patient.allergies if row.allergies == "Debu")
    response = client.put(f"/api/patients/{patient.id}/update", headers=owner_headers,
                          json={"allergies": ["debu", "Nangka"], "catatan": "Kontrol"})
    assert response.status_code == 200, response.get_json()
    rows = response.get_json()["patients"]["allergies"]
    assert [row["allergies"] for row in rows] == ["Debu", "Nangka"]
    assert rows[0]["id"] == kept_id  # the row that stays keeps its id and notes
    untouched = client.put(f"/api/patients/{patient.id}/update", headers=owner_headers,
                           json={"catatan": "Tanpa daftar alergi"})
    assert [row["allergies"] for row in untouched.get_json()["patients"]["allergies"]] == [
        "Debu", "Nangka"]
    cleared = client.put(f"/api/patients/{patient.id}/update", headers=owner_headers,
                         json={"allergies": []})
    assert cleared.get_json()["patients"]["allergies"] == []
    assert allergy_names(patient.id) == []


def test_update_refuses_bad_input_and_leaves_the_patient_unchanged(client, owner_headers):
    patient = make_patient(allergies=("Kerang",), jenis_kelamin="P")
    for body in ({"jenis_kelamin": "Z", "allergies": ["Baru"]}, {"nama_lengkap_pasien": ""},
                 {"tanggal_lahir": "99/99/2000"}):
        response = client.put(f"/api/patients/{patient.id}/update", headers=owner_headers,
                              json=body)
        assert response.status_code == 422, body
    assert fresh(Patient, patient.id).jenis_kelamin == "P"
    assert allergy_names(patient.id) == ["Kerang"]
    assert client.put(f"/api/patients/{patient.id}/update", headers=owner_headers,
                      data="x", content_type="application/json").status_code == 400
    assert client.put("/api/patients/999999/update", headers=owner_headers,
                      json={"catatan": "x"}).status_code == 404


def test_update_address_changes_only_the_address_fields_sent(client, owner_headers):
    patient = make_patient(nama_lengkap_pasien="Mildi Ghanesa", provinsi="JAWA BARAT",
                           kota="CIMAHI", kecamatan="PADASUKA", kode_provinsi="12",
                           kode_kota="312", lat=0.5, lng=7.5, catatan="Kurang gizi",
                           allergies=("Debu",))
    url = f"/api/patients/{patient.id}/update/address"
    response = client.put(url, headers=owner_headers, json={"kode_kota": 12})
    assert response.status_code == 200
    body = response.get_json()["patients"]
    assert body["kode_kota"] == "12" and body["kota"] == "CIMAHI" and body["lat"] == 0.5
    response = client.put(url, headers=owner_headers, json={
        "kota": "BANDUNG", "lat": 12.42387, "lng": 103.32748,
        "nama_lengkap_pasien": "Diabaikan", "catatan": "Diabaikan", "allergies": []})
    body = response.get_json()["patients"]
    assert (body["kota"], body["lat"], body["lng"]) == ("BANDUNG", 12.42387, 103.32748)
    assert body["provinsi"] == "JAWA BARAT" and body["kecamatan"] == "PADASUKA"
    row = fresh(Patient, patient.id)
    assert row.nama_lengkap_pasien == "Mildi Ghanesa" and row.catatan == "Kurang gizi"
    assert allergy_names(patient.id) == ["Debu"]
    nothing = client.put(url, headers=owner_headers, json={"catatan": "x"})
    assert nothing.status_code == 422
    assert client.put(url, headers=owner_headers).status_code == 400
    for body, field in (({"lat": 123}, "lat"), ({"lng": "timur"}, "lng"),
                        ({"kode_kota": "1" * 11}, "kode_kota"), ({"kota": "x" * 101}, "kota")):
        bad = client.put(url, headers=owner_headers, json=body)
        assert bad.status_code == 422 and field in fields_of(bad), body
    assert fresh(Patient, patient.id).lat == 12.42387
    assert client.put("/api/patients/999999/update/address", headers=owner_headers,
                      json={"kota": "X"}).status_code == 404
    assert client.put(url, json={"kota": "X"}).status_code == 401


# ---- patients: search ----------------------------------------------------------------------------
def test_keyword_matches_name_phone_and_external_id_any_case(client, owner_headers, customer):
    raka = make_patient(customer, nama_lengkap_pasien="Raka Pratama", no_handphone="0811111")
    phone = make_patient(customer, nama_lengkap_pasien="Sinta", no_handphone="0812345678")
    external = make_patient(nama_lengkap_pasien="Budi", patient_external_id="DIGISOFT-RAKA-01")
    make_patient(nama_lengkap_pasien="Lain", no_handphone="0899", catatan="raka di catatan")

    def found(body):
        response = client.post("/api/patients/search", headers=owner_headers, json=body)
        assert response.status_code == 200
        return {row["id"] for row in response.get_json()["patients"]}

    assert found({"keyword": "RAKA"}) == {raka.id, external.id}
    assert found({"keyword": "2345"}) == {phone.id}
    assert found({"keyword": "raka", "id_users": str(customer.id)}) == {raka.id}
    assert found({"id_users": customer.id}) == {raka.id, phone.id}
    assert found({"keyword": "50%"}) == set()  # wildcards are text
    explore = client.post("/api/patients/explore?page=1&length=1", headers=owner_headers,
                          json={"keyword": "raka"}).get_json()
    assert explore["totaldata"] == 2 and explore["totalpage"] == 2 and explore["displayed"] == 1
    row = explore["data"][0]
    assert "allergies" in row and "patient_picture_url" in row and "users" not in row
    got = client.get(f"/api/patients/explore?keyword=raka&id_users={customer.id}",
                     headers=owner_headers).get_json()
    assert [item["id"] for item in got["data"]] == [raka.id]
    bad = client.post("/api/patients/explore", headers=owner_headers, json={"id_users": "x"})
    assert bad.status_code == 422
    table = client.post("/api/patients/table", headers=owner_headers, data={
        "draw": "2", "id_users": str(customer.id), "search[value]": "sinta"}).get_json()
    assert table["recordsFiltered"] == 1 and table["data"][0][0] == phone.id
    assert len(table["data"][0]) == 35
    assert table["data"][0][34] == "didit" and table["data"][0][33] == "Didit Velliz"


def test_lists_of_patients_run_a_fixed_number_of_queries(client, owner_headers, customer):
    for _ in range(3):
        make_patient(customer, allergies=("Debu", "Kerang"))

    def run():
        with count_queries() as queries:
            assert client.post("/api/patients/search", headers=owner_headers,
                               json={}).status_code == 200
        return len(queries)

    run()
    small = run()
    for _ in range(10):
        make_patient(make_user(roles=("CUSTOMER",)), allergies=("Debu",))
    assert run() == small


# ---- patients: picture -----------------------------------------------------------------------
def test_picture_upload_answers_as_documented(app, client, auth, customer):
    patient = make_patient(customer)
    headers = auth.headers(customer)
    response = client.post("/api/patients/picture/upload", headers=headers, data={
        "id_patients": str(patient.id), "picture": (io.BytesIO(png_bytes()), "foto.png")},
        content_type="multipart/form-data")
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["image_upload"] is True and body["img"].endswith(".png")
    assert body["img_path"].endswith(f"/uploads/patients/{body['img']}")
    assert os.path.isfile(os.path.join(app.config["UPLOAD_DIR"], "patients", body["img"]))
    got = client.get(f"/api/patients/{patient.id}", headers=headers).get_json()["patients"]
    assert got["patient_picture"] == body["img"] and got["patient_picture_url"] == body["img_path"]
    script = client.post("/api/patients/picture/upload", headers=headers, data={
        "id_patients": str(patient.id), "picture": (io.BytesIO(b"<?php ?>"), "a.jpg")},
        content_type="multipart/form-data")
    assert script.status_code == 422
    no_owner = client.post("/api/patients/picture/upload", headers=headers, data={
        "picture": (io.BytesIO(png_bytes()), "foto.png")}, content_type="multipart/form-data")
    assert no_owner.status_code == 422 and "id_patients" in fields_of(no_owner)
    no_file = client.post("/api/patients/picture/upload", headers=headers,
                          data={"id_patients": str(patient.id)},
                          content_type="multipart/form-data")
    assert no_file.status_code == 422
    foreign = make_patient(make_user(roles=("CUSTOMER",)))
    refused = client.post("/api/patients/picture/upload", headers=headers, data={
        "id_patients": str(foreign.id), "picture": (io.BytesIO(png_bytes()), "foto.png")},
        content_type="multipart/form-data")
    assert refused.status_code == 404


# ---- patients: delete ------------------------------------------------------------------------------
def test_soft_delete_hides_the_patient_its_allergies_and_records(client, owner_headers, doctor):
    patient = make_patient(allergies=("Debu",))
    record = make_medical_record(patient)
    allergy_id = patient.allergies[0].id
    assert client.delete(f"/api/patients/{patient.id}/delete",
                         headers=owner_headers).get_json() == {"deleted": True}
    row = fresh(Patient, patient.id)
    assert row is not None and row.deleted_at is not None  # kept, marked deleted
    assert client.get(f"/api/patients/{patient.id}", headers=owner_headers).status_code == 404
    assert client.get(f"/api/patient_rekam_medis/{record.id}",
                      headers=owner_headers).status_code == 404
    assert client.get(f"/api/patient_allergies/{allergy_id}",
                      headers=owner_headers).status_code == 404
    assert client.post("/api/patient_rekam_medis/search", headers=owner_headers,
                       json={}).get_json() == {"patient_rekam_medis": []}
    created = client.post("/api/patient_rekam_medis/create", headers=owner_headers, json={
        "id_patients": patient.id, "tanggal_konsul": "01/01/2024", "keluhan": "x"})
    assert created.status_code == 422


def test_a_patient_with_an_appointment_to_come_cannot_be_deleted(client, owner_headers, doctor):
    patient = make_patient()
    make_appointment_with(doctor, patient, status="BOOKING",
                          day=clinic_now().date() + timedelta(days=3))
    response = client.delete(f"/api/patients/{patient.id}/delete", headers=owner_headers)
    assert response.status_code == 409
    assert fresh(Patient, patient.id).deleted_at is None


# ---- links -------------------------------------------------------------------------------------
def test_link_and_unlink(client, auth, owner_headers, customer):
    patient = make_patient()
    linked = client.put("/api/users/patients/link", headers=owner_headers,
                        json={"id_users": customer.id, "id_patients": patient.id})
    assert linked.get_json() == {"link": True}
    assert fresh(Patient, patient.id).id_users == customer.id
    again = client.put("/api/users/patients/link", headers=owner_headers,
                       json={"id_users": str(customer.id), "id_patients": str(patient.id)})
    assert again.get_json() == {"link": True}  # same link again changes nothing
    other = make_user(roles=("CUSTOMER",))
    taken = client.put("/api/users/patients/link", headers=owner_headers,
                       json={"id_users": other.id, "id_patients": patient.id})
    assert taken.status_code == 409
    assert fresh(Patient, patient.id).id_users == customer.id
    headers = auth.headers(customer)
    assert client.get(f"/api/patients/{patient.id}", headers=headers).status_code == 200
    assert client.put("/api/users/patients/unlink", headers=auth.headers(other),
                      json={"id_patients": patient.id}).status_code == 404
    unlinked = client.put("/api/users/patients/unlink", headers=headers,
                          json={"id_patients": patient.id})
    assert unlinked.get_json() == {"unlink": True}
    assert fresh(Patient, patient.id).id_users is None
    assert client.get(f"/api/patients/{patient.id}", headers=headers).status_code == 404
    not_linked = client.put("/api/users/patients/unlink", headers=owner_headers,
                            json={"id_patients": patient.id})
    assert not_linked.status_code == 409
    assert [entry.object_id for entry in audit_entries("link_patient")] == [patient.id]
    assert [entry.object_id for entry in audit_entries("unlink_patient")] == [patient.id]


def test_link_refuses_bad_input(client, owner_headers, auth, customer):
    patient = make_patient()
    staff = make_user(roles=("ADMIN",))
    gone = make_user(roles=("CUSTOMER",), deleted_at=clinic_now())
    cases = [({}, 422), ({"id_users": customer.id}, 422), ({"id_patients": patient.id}, 422),
             ({"id_users": "abc", "id_patients": patient.id}, 422),
             ({"id_users": True, "id_patients": patient.id}, 422),
             ({"id_users": 10 ** 20, "id_patients": patient.id}, 422),
             ({"id_users": staff.id, "id_patients": patient.id}, 422),
             ({"id_users": gone.id, "id_patients": patient.id}, 422),
             ({"id_users": customer.id, "id_patients": 999999}, 404)]
    for body, status in cases:
        response = client.put("/api/users/patients/link", headers=owner_headers, json=body)
        assert response.status_code == status, (body, response.get_json())
    assert client.put("/api/users/patients/link", headers=owner_headers,
                      data="[1]", content_type="application/json").status_code == 400
    assert client.put("/api/users/patients/link", headers=owner_headers).status_code == 400
    assert client.put("/api/users/patients/unlink", headers=owner_headers,
                      json={}).status_code == 422
    assert client.put("/api/users/patients/unlink", headers=owner_headers,
                      json={"id_patients": "x"}).status_code == 422
    assert client.put("/api/users/patients/unlink", headers=owner_headers,
                      json={"id_patients": 999999}).status_code == 404
    assert client.put("/api/users/patients/link",
                      json={"id_users": customer.id, "id_patients": patient.id}).status_code == 401
    assert fresh(Patient, patient.id).id_users is None


# ---- users/data ----------------------------------------------------------------------------------
def test_users_data_lists_the_linked_patients_with_allergies(client, auth, customer):
    first = make_patient(customer, allergies=("Kucing",), nama_lengkap_pasien="Rikki 07 01")
    second = make_patient(customer, nama_lengkap_pasien="Rikki 07 02")
    make_patient(make_user(roles=("CUSTOMER",)), nama_lengkap_pasien="Orang Lain")
    gone = make_patient(customer, nama_lengkap_pasien="Dihapus")
    gone.deleted_at = clinic_now()
    db.session.commit()
    body = client.get("/api/users/data", headers=auth.headers(customer)).get_json()
    patients = body["users"]["patients"]
    assert [row["id"] for row in patients] == [first.id, second.id]
    assert patients[0]["allergies"][0]["allergies"] == "Kucing"
    assert patients[0]["id_users"] == customer.id and "patient_picture_url" in patients[0]
    owner = make_user(roles=("OWNER",))
    assert client.get("/api/users/data", headers=auth.headers(owner)).get_json()[
        "users"]["patients"] == []


# ---- allergies -------------------------------------------------------------------------------------
def test_allergies_create_shape_and_rules(client, auth, owner_headers, customer, doctor):
    patient = make_patient(customer)
    response = client.post("/api/patient_allergies/create", headers=auth.headers(customer),
                           json={"id_patients": str(patient.id), "allergies": " seafood "})
    assert response.status_code == 200, response.get_json()
    body = response.get_json()["patient_allergies"]
    assert body["allergies"] == "seafood" and body["patients"]["id"] == patient.id
    assert body["patients"]["nama_lengkap_pasien"] == patient.nama_lengkap_pasien
    assert body["diagnosa"] == "-" and "created" in body
    duplicate = client.post("/api/patient_allergies/create", headers=owner_headers,
                            json={"id_patients": patient.id, "allergies": "SEAFOOD"})
    assert duplicate.status_code == 422 and "allergies" in fields_of(duplicate)
    for bad in ({"id_patients": patient.id}, {"allergies": "x"},
                {"id_patients": patient.id, "allergies": "  "},
                {"id_patients": patient.id, "allergies": "x" * 151},
                {"id_patients": 999999, "allergies": "x"},
                {"id_patients": "abc", "allergies": "x"}):
        assert client.post("/api/patient_allergies/create", headers=owner_headers,
                           json=bad).status_code == 422, bad
    other = make_patient()
    moved = client.put(f"/api/patient_allergies/{body['id']}/update", headers=owner_headers,
                       json={"id_patients": other.id})
    assert moved.status_code == 422
    listed = client.post("/api/patient_allergies/search", headers=owner_headers,
                         json={"id_patients": patient.id}).get_json()["patient_allergies"]
    assert [row["allergies"] for row in listed] == ["seafood"]


# ---- medical records -------------------------------------------------------------------------------
def treated(doctor, **kw):
    patient = make_patient(**kw)
    make_appointment_with(doctor, patient)
    return patient


def test_the_office_reads_records_but_never_writes_them(client, auth, owner_headers, doctor):
    """Clinical safety: only the doctor treating the patient writes, changes and deletes a
    medical record; office staff (even the owner) read it."""
    patient = treated(doctor)
    record = make_medical_record(patient, diagnosa="Akne vulgaris")
    url = f"/api/patient_rekam_medis/{record.id}"
    assert client.get(url, headers=owner_headers).status_code == 200
    created = client.post("/api/patient_rekam_medis/create", headers=owner_headers, json={
        "id_patients": patient.id, "tanggal_konsul": "21/03/2023", "keluhan": "Gatal"})
    assert created.status_code == 403
    assert client.put(url + "/update", headers=owner_headers,
                      json={"diagnosa": "Lain"}).status_code == 403
    assert client.delete(url + "/delete", headers=owner_headers).status_code == 403
    assert fresh(MedicalRecord, record.id).diagnosa == "Akne vulgaris"
    assert client.put(url + "/update", headers=auth.headers(doctor),
                      json={"diagnosa": "Akne papulopustular"}).status_code == 200


def test_record_written_by_the_treating_doctor(client, auth, doctor):
    patient = treated(doctor, nama_lengkap_pasien="Mildi Ghanesa MK2", catatan="Kurang gizi")
    headers = auth.headers(doctor)
    response = client.post("/api/patient_rekam_medis/create", headers=headers, json={
        "id_patients": str(patient.id), "tanggal_konsul": "21/03/2023",
        "keluhan": "Sakit perut melilit", "diagnosa": "GERD AKUT", "catatan_kaki": "Periksa lab"})
    assert response.status_code == 200, response.get_json()
    body = response.get_json()["patient_rekam_medis"]
    assert body["tanggal_konsul"] == "2023-03-21" and body["version"] == 1
    documented = {"id": patient.id, "id_users": None, "nama": "Mildi Ghanesa MK2",
                  "tanggal_lahir": patient.tanggal_lahir.isoformat(),
                  "alamat": patient.alamat_domisili, "jenis_kelamin": "P", "catatan": "Kurang gizi"}
    # the patient's one brief shape: the documented keys among the patient's identity
    assert {key: body["patients"][key] for key in documented} == documented
    assert body["is_verified"] == 0 and body["verified_iduser"] is None
    assert body["verified_user"]["username"] is None and "users_picture_url" in body["verified_user"]
    assert fresh(MedicalRecord, body["id"]).id_users_author == doctor.id
    iso = client.post("/api/patient_rekam_medis/create", headers=headers, json={
        "id_patients": patient.id, "tanggal_konsul": "2023-03-22", "diagnosa": "Kontrol"})
    assert iso.status_code == 200


@pytest.mark.parametrize("body, field", [
    ({"tanggal_konsul": "21/03/2023", "keluhan": "x"}, "id_patients"),
    ({"tanggal_konsul": None, "keluhan": "x"}, "tanggal_konsul"),
    ({"tanggal_konsul": "", "keluhan": "x"}, "tanggal_konsul"),
    ({"tanggal_konsul": "32/03/2023", "keluhan": "x"}, "tanggal_konsul"),
    ({"tanggal_konsul": (date.today() + timedelta(days=30)).isoformat(), "keluhan": "x"},
     "tanggal_konsul"),
    ({"tanggal_konsul": "21/03/2023", "keluhan": " ", "diagnosa": ""}, "keluhan"),
    ({"tanggal_konsul": "21/03/2023", "keluhan": ["x"]}, "keluhan"),
])
def test_record_create_refuses_bad_input(client, auth, doctor, body, field):
    patient = treated(doctor)
    payload = {"id_patients": patient.id, **body}
    if field == "id_patients":
        payload.pop("id_patients")
    response = client.post("/api/patient_rekam_medis/create", headers=auth.headers(doctor),
                           json=payload)
    assert response.status_code == 422, response.get_json()
    assert field in fields_of(response)
    assert db.session.execute(select(MedicalRecord)).first() is None


def test_every_change_keeps_the_previous_version(client, auth, doctor):
    patient = treated(doctor)
    record = make_medical_record(patient, keluhan="Gatal", diagnosa="Dermatitis",
                                 catatan_kaki="-")
    headers = auth.headers(doctor)
    url = f"/api/patient_rekam_medis/{record.id}"
    first = client.put(url + "/update", headers=headers, json={
        "id_patients": str(patient.id), "diagnosa": "Dermatitis kontak alergi"})
    assert first.status_code == 200 and first.get_json()["patient_rekam_medis"]["version"] == 2
    same = client.put(url + "/update", headers=headers, json={"diagnosa": "Dermatitis kontak alergi"})
    assert same.get_json()["patient_rekam_medis"]["version"] == 2  # nothing changed, no version
    assert client.put(url + "/verify", headers=headers,
                      json={"catatan_kaki": "Periksa lab"}).get_json() == {"verify": True}
    assert client.put(url + "/unverify", headers=headers, json={}).get_json() == {
        "unverify": True}
    client.put(url + "/update", headers=headers, json={"keluhan": "Gatal dan perih"})
    row = fresh(MedicalRecord, record.id)
    assert row.version == 5 and row.keluhan == "Gatal dan perih"
    assert row.catatan_kaki == "Periksa lab"  # the verify note was written
    versions = db.session.execute(select(MedicalRecordVersion).where(
        MedicalRecordVersion.id_rekam_medis == record.id)
        .order_by(MedicalRecordVersion.version)).scalars().all()
    assert [version.version for version in versions] == [1, 2, 3, 4]
    assert [version.diagnosa for version in versions] == [
        "Dermatitis", "Dermatitis kontak alergi", "Dermatitis kontak alergi",
        "Dermatitis kontak alergi"]
    assert [version.is_verified for version in versions] == [False, False, True, False]
    assert versions[0].catatan_kaki == "-" and versions[3].keluhan == "Gatal"
    assert all(version.changed_by == doctor.id for version in versions)
    moved = client.put(url + "/update", headers=headers, json={"id_patients": make_patient().id})
    assert moved.status_code == 422


def test_verification_locks_the_record_until_unverified(client, auth, owner_headers, doctor):
    patient = treated(doctor)
    colleague = make_doctor_account()
    make_appointment_with(colleague, patient)
    record = make_medical_record(patient, diagnosa="Akne vulgaris")
    url = f"/api/patient_rekam_medis/{record.id}"
    headers = auth.headers(doctor)
    assert client.put(url + "/verify", headers=owner_headers, json={}).status_code == 403
    assert client.put(url + "/unverify", headers=headers, json={}).status_code == 409
    assert client.put(url + "/verify", headers=headers).get_json() == {"verify": True}
    row = fresh(MedicalRecord, record.id)
    assert row.is_verified and row.verified_iduser == doctor.id and row.verified_at is not None
    got = client.get(url, headers=owner_headers).get_json()["patient_rekam_medis"]
    assert got["is_verified"] == 1 and got["verified_iduser"] == doctor.id
    assert got["verified_user"]["username"] == "markusnr" and got["verified_at"]
    assert client.put(url + "/verify", headers=headers, json={}).status_code == 409
    for caller in (headers, auth.headers(colleague)):
        locked = client.put(url + "/update", headers=caller, json={"diagnosa": "Lain"})
        assert locked.status_code == 409
        assert client.delete(url + "/delete", headers=caller).status_code == 409
    # the office reads records but never writes them, locked or not
    assert client.put(url + "/update", headers=owner_headers,
                      json={"diagnosa": "Lain"}).status_code == 403
    assert client.delete(url + "/delete", headers=owner_headers).status_code == 403
    assert client.put(url + "/unverify", headers=auth.headers(colleague),
                      json={}).status_code == 403  # only the verifying doctor
    assert fresh(MedicalRecord, record.id).diagnosa == "Akne vulgaris"
    assert client.put(url + "/verify", headers=headers, json={"catatan_kaki": ["x"]}
                      ).status_code == 409  # the state is checked before anything is written
    assert client.put(url + "/unverify", headers=headers,
                      json={"catatan_kaki": "Perlu koreksi"}).get_json() == {"unverify": True}
    row = fresh(MedicalRecord, record.id)
    assert not row.is_verified and row.verified_iduser is None and row.verified_at is None
    assert client.put(url + "/update", headers=headers,
                      json={"diagnosa": "Akne papulopustular"}).status_code == 200
    assert client.put("/api/patient_rekam_medis/999999/verify", headers=headers,
                      json={}).status_code == 404
    assert client.put(url + "/verify", headers=headers, data="[]",
                      content_type="application/json").status_code == 400
    assert client.put(url + "/verify", json={}).status_code == 401


def test_customers_read_only_verified_records_of_their_own_patients(client, auth, customer,
                                                                     doctor):
    patient = treated(doctor, user=customer)
    verified = make_medical_record(patient, verified_by=doctor)
    draft = make_medical_record(patient)
    headers = auth.headers(customer)
    listed = client.post("/api/patient_rekam_medis/search", headers=headers,
                         json={"id_patients": patient.id}).get_json()["patient_rekam_medis"]
    assert [row["id"] for row in listed] == [verified.id]
    assert client.get(f"/api/patient_rekam_medis/{draft.id}", headers=headers).status_code == 404
    assert client.get(f"/api/patient_rekam_medis/{verified.id}",
                      headers=headers).status_code == 200
    refused = client.post("/api/patient_rekam_medis/create", headers=headers, json={
        "id_patients": patient.id, "tanggal_konsul": "01/01/2024", "keluhan": "Gatal"})
    assert refused.status_code == 403


# ---- audit -----------------------------------------------------------------------------------------
def test_every_read_of_a_record_is_audited(client, auth, doctor):
    first = treated(doctor)
    second = treated(doctor)
    a = make_medical_record(first)
    b = make_medical_record(first)
    c = make_medical_record(second)
    make_medical_record(make_patient())  # out of the doctor's reach: never listed
    headers = auth.headers(doctor)
    client.get(f"/api/patient_rekam_medis/{a.id}", headers=headers)
    entries = audit_entries("read_medical_record")
    assert len(entries) == 1
    entry = entries[0]
    assert (entry.id_users, entry.username, entry.object_type, entry.object_id) == (
        doctor.id, "markusnr", "patients", first.id)
    assert f"#{a.id}" in entry.descriptions and "get" in entry.descriptions
    client.post("/api/patient_rekam_medis/explore", headers=headers, json={})
    explored = audit_entries("read_medical_record")[1:]
    assert {entry.object_id for entry in explored} == {first.id, second.id}
    by_patient = {entry.object_id: entry.descriptions for entry in explored}
    assert f"#{a.id}" in by_patient[first.id] and f"#{b.id}" in by_patient[first.id]
    assert f"#{c.id}" in by_patient[second.id] and f"#{c.id}" not in by_patient[first.id]
    client.post("/api/patient_rekam_medis/search", headers=headers,
                json={"id_patients": second.id})
    client.post("/api/patient_rekam_medis/table", headers=headers, data={"draw": "1"})
    client.get("/api/patient_rekam_medis/explore", headers=headers)
    assert len(audit_entries("read_medical_record")) == 1 + 2 + 1 + 2 + 2
    assert all(entry.object_type == "patients" for entry in audit_entries("read_medical_record"))
    # nothing read, nothing written
    client.post("/api/patient_rekam_medis/search", headers=headers, json={"id_patients": 999})
    assert len(audit_entries("read_medical_record")) == 8


def _queued_audit_messages(app):
    """The write_audit_entries messages waiting in the (memory) broker, taken off it."""
    from services import jobs

    found = []
    with jobs.celery.connection_for_read() as connection:
        queue = connection.SimpleQueue(app.config["CELERY_QUEUE"])
        try:
            while True:
                try:
                    message = queue.get(block=False)
                except queue.Empty:
                    break
                message.ack()
                if message.headers.get("task") == "colederma.write_audit_entries":
                    found.append(message.payload[0])  # (args, kwargs, embed)
        finally:
            queue.close()
    return found


def test_reads_are_audited_through_the_queue_not_in_the_request(app, client, auth, doctor,
                                                                monkeypatch):
    from services import jobs

    monkeypatch.setitem(app.config, "AUDIT_QUEUE_EAGER", False)
    patient = treated(doctor)
    record = make_medical_record(patient)
    headers = auth.headers(doctor)
    client.get(f"/api/patient_rekam_medis/{record.id}", headers=headers)  # the token's first use
    _queued_audit_messages(app)
    with count_queries() as statements:
        response = client.get(f"/api/patient_rekam_medis/{record.id}", headers=headers)
    assert response.status_code == 200
    assert not [sql for sql in statements if "logs" in sql.lower() and "insert" in sql.lower()]
    assert audit_entries("read_medical_record") == []  # not written by the request
    messages = _queued_audit_messages(app)
    assert len(messages) == 1  # it waits in the broker until a worker takes it
    (rows,) = messages[0]
    assert jobs.write_audit_entries.apply(args=(rows,)).get() == 1  # what a worker runs
    (entry,) = audit_entries("read_medical_record")
    assert (entry.id_users, entry.username, entry.object_type, entry.object_id) == (
        doctor.id, doctor.username, "patients", patient.id)
    assert f"#{record.id}" in entry.descriptions and "(get)" in entry.descriptions
    assert entry.created is not None


def test_reads_are_audited_in_the_request_only_when_the_broker_is_away(app, client, auth,
                                                                       doctor, monkeypatch):
    from kombu.exceptions import OperationalError

    from services import jobs

    def broker_away(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setitem(app.config, "AUDIT_QUEUE_EAGER", False)
    monkeypatch.setattr(jobs.write_audit_entries, "apply_async", broker_away)
    patient = treated(doctor)
    record = make_medical_record(patient)
    response = client.get(f"/api/patient_rekam_medis/{record.id}", headers=auth.headers(doctor))
    assert response.status_code == 200
    (entry,) = audit_entries("read_medical_record")  # never lost
    assert entry.id_users == doctor.id and entry.object_id == patient.id


def test_every_change_of_a_record_is_audited(client, auth, doctor):
    patient = treated(doctor)
    headers = auth.headers(doctor)
    created = client.post("/api/patient_rekam_medis/create", headers=headers, json={
        "id_patients": patient.id, "tanggal_konsul": "01/02/2024", "keluhan": "Gatal"}
    ).get_json()["patient_rekam_medis"]
    url = f"/api/patient_rekam_medis/{created['id']}"
    client.put(url + "/update", headers=headers, json={"diagnosa": "Tinea"})
    client.put(url + "/verify", headers=headers, json={})
    client.put(url + "/unverify", headers=headers, json={})
    client.delete(url + "/delete", headers=headers)
    for action in ("create_medical_record", "update_medical_record", "verify_medical_record",
                   "unverify_medical_record", "delete_medical_record"):
        entries = audit_entries(action, patient.id)
        assert len(entries) == 1, action
        assert entries[0].id_users == doctor.id and entries[0].object_type == "patients"
        assert f"#{created['id']}" in entries[0].descriptions
    assert "diagnosa" in audit_entries("update_medical_record")[0].descriptions
    row = fresh(MedicalRecord, created["id"])
    assert row.deleted_at is not None and row.version == 5


def test_refused_reads_and_changes_write_no_read_audit(client, auth, doctor):
    record = make_medical_record(make_patient())
    other = auth.headers(doctor)
    assert client.get(f"/api/patient_rekam_medis/{record.id}", headers=other).status_code == 404
    assert client.put(f"/api/patient_rekam_medis/{record.id}/update", headers=other,
                      json={"diagnosa": "x"}).status_code == 404
    assert audit_entries("read_medical_record") == []
    assert audit_entries("update_medical_record") == []


# ---- demo data ---------------------------------------------------------------------------------
def test_demo_patients_are_linked_verified_when_the_doctor_exists_and_idempotent():
    from services.demo import patients as demo

    rikki = make_user(roles=("CUSTOMER",), username="rikki07")
    didit = make_user(roles=("CUSTOMER",), username="didit")
    added = {}
    demo.seed(added)
    db.session.commit()
    assert 6 <= added["patients"] <= 8 and added["patient_allergies"] > 0
    patients = db.session.execute(select(Patient)).scalars().all()
    assert {patient.id_users for patient in patients} == {rikki.id, didit.id}
    assert "Rikki 07 01" in {patient.nama_lengkap_pasien for patient in patients}
    records = db.session.execute(select(MedicalRecord)).scalars().all()
    per_patient = {}
    for record in records:
        per_patient[record.id_patients] = per_patient.get(record.id_patients, 0) + 1
    assert set(per_patient) == {patient.id for patient in patients}
    assert all(1 <= count <= 3 for count in per_patient.values())
    assert not any(record.is_verified for record in records)  # no doctor row for markusnr
    again = {}
    demo.seed(again)
    db.session.commit()
    assert again == {"patients": 0, "patient_allergies": 0, "patient_rekam_medis": 0}

    db.session.execute(MedicalRecordVersion.__table__.delete())
    db.session.execute(MedicalRecord.__table__.delete())
    db.session.commit()
    markus = make_doctor_account(username="markusnr")
    demo.seed({})
    db.session.commit()
    records = db.session.execute(select(MedicalRecord)).scalars().all()
    verified = [record for record in records if record.is_verified]
    assert verified and len(verified) < len(records)
    assert all(record.verified_iduser == markus.id and record.verified_at for record in verified)
    assert db.session.execute(select(MedicalRecordVersion)).first() is not None  # a history
