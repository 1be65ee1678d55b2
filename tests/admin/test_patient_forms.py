"""Admin screens of patients and records beyond the chart's basics: a new record of today and
of today's appointment with the doctor, the appointment shown on the record and the record on
the appointment's page, the patient form in sections, the probable-duplicate warning (live and
on saving) and the word-by-word list search."""
from datetime import date, time

from sqlalchemy import func, select

from models import MedicalRecord, Patient, clinic_now, db
from tests.conftest import csrf_from, make_user
from tests.factories.patients import (make_appointment_with, make_doctor_account,
                                      make_medical_record, make_patient)

OFFICE = ("OWNER", "ADMIN", "USERS")


def signed_in(auth, user=None):
    user = user or make_user(roles=OFFICE)
    response = auth.admin_login(user)
    assert response.status_code == 302, response.get_data(as_text=True)
    return user


def csrf(client, path="/admin/"):
    return {"X-CSRFToken": csrf_from(client.get(path).get_data(as_text=True))}


def patient_count():
    db.session.rollback()
    return db.session.execute(select(func.count(Patient.id))).scalar_one()


# ---- records: the date and the appointment ------------------------------------------------------
def test_new_record_form_starts_today_with_todays_appointment(client, auth):
    doctor = make_doctor_account(users_fullname="dr. Sari SpKK")
    patient = make_patient()
    today = clinic_now().date()
    visit = make_appointment_with(doctor, patient, day=today, start=time(10, 0), status="ARRIVED")
    older = make_appointment_with(doctor, patient, day=date(2024, 2, 3), start=time(9, 0))
    signed_in(auth, doctor)
    page = client.get(f"/admin/patients/{patient.id}").get_data(as_text=True)
    form = page[page.index('id="new-record-tanggal"') - 300:page.index("Simpan rekam medis")]
    assert f'value="{today:%d/%m/%Y}"' in form
    assert f'<option value="{visit.id}" selected>' in form
    assert f'<option value="{older.id}" >03/02/2024 09:00 · dr. Sari SpKK' in form
    # newest first
    assert form.index(f'value="{visit.id}"') < form.index(f'value="{older.id}"')


def test_a_record_written_on_the_chart_links_its_appointment(client, htmx, auth):
    doctor = make_doctor_account(users_fullname="dr. Sari SpKK")
    patient = make_patient()
    visit = make_appointment_with(doctor, patient, day=date(2024, 2, 3), start=time(9, 0))
    signed_in(auth, doctor)
    headers = csrf(client, f"/admin/patients/{patient.id}")
    response = htmx.post(f"/admin/patients/{patient.id}/records", headers=headers, data={
        "tanggal_konsul": "2024-02-03", "keluhan": "Gatal", "id_user_schedules": str(visit.id)})
    assert response.status_code == 200, response.get_data(as_text=True)
    part = response.get_data(as_text=True)
    assert f'href="/admin/user_schedules/{visit.id}"' in part and "Janji 03/02/2024 09:00" in part
    record = db.session.execute(select(MedicalRecord)).scalars().one()
    assert record.id_user_schedules == visit.id
    # another patient's appointment comes back inline, nothing saved
    other_visit = make_appointment_with(doctor, make_patient())
    refused = htmx.post(f"/admin/patients/{patient.id}/records", headers=headers, data={
        "tanggal_konsul": "2024-02-03", "keluhan": "Gatal",
        "id_user_schedules": str(other_visit.id)})
    assert refused.status_code == 422
    assert "Janji temu ini milik pasien lain." in refused.get_data(as_text=True)
    db.session.rollback()
    assert db.session.query(MedicalRecord).count() == 1
    # the appointment's page links its record
    page = client.get(f"/admin/user_schedules/{visit.id}").get_data(as_text=True)
    assert f'href="/admin/patients/{patient.id}#record-{record.id}"' in page
    assert "Rekam medis janji ini" in page
    # the edit form keeps the link chosen
    edit = htmx.get(f"/admin/patients/records/{record.id}/edit").get_data(as_text=True)
    assert f'<option value="{visit.id}" selected>' in edit


def test_the_generic_record_form_starts_today(client, auth):
    doctor = make_doctor_account()
    signed_in(auth, doctor)
    page = client.get("/admin/patient_rekam_medis/new")
    assert page.status_code == 200
    assert f'value="{clinic_now().date():%d/%m/%Y}"' in page.get_data(as_text=True)


def test_records_of_an_appointment_are_shown_to_whoever_reads_them(client, auth):
    doctor = make_doctor_account()
    patient = make_patient()
    visit = make_appointment_with(doctor, patient)
    record = make_medical_record(patient, id_user_schedules=visit.id)
    signed_in(auth)  # the office reads records
    page = client.get(f"/admin/user_schedules/{visit.id}").get_data(as_text=True)
    assert f"#record-{record.id}" in page


# ---- the patient form -----------------------------------------------------------------------------
def test_patient_form_is_in_sections_with_technical_data_folded(client, auth):
    signed_in(auth)
    page = client.get("/admin/patients/new").get_data(as_text=True)
    legends = [title for title in ("Identitas", "Kontak dan alamat", "Wali", "Dokumen identitas")
               if f'<legend class="h6 border-bottom pb-1">{title}</legend>' in page]
    assert legends == ["Identitas", "Kontak dan alamat", "Wali", "Dokumen identitas"]
    assert page.index(">Identitas<") < page.index('id="f-nama_lengkap_pasien"') \
        < page.index(">Kontak dan alamat<") < page.index('id="f-no_handphone"') \
        < page.index(">Wali<") < page.index('id="f-nama_wali"') \
        < page.index(">Dokumen identitas<") < page.index('id="f-no_identitas"')
    folded = page[page.index("<details class=\"form-section"):]
    folded = folded[:folded.index("</details>")]
    assert "Data teknis" in folded and " open>" not in folded.split("\n")[0]
    for name in ("kode_provinsi", "kode_kota", "kode_kecamatan", "lat", "lng",
                 "patient_external_id"):
        assert f'id="f-{name}"' in folded, name
    assert 'style="' not in page
    # an error in a folded field opens it
    headers = csrf(client, "/admin/patients/new")
    refused = client.post("/admin/patients/new", headers=headers, data={
        "nama_lengkap_pasien": "Dewi Lestari", "lat": "200"})
    assert refused.status_code == 422
    body = refused.get_data(as_text=True)
    assert '<details class="form-section form-section-folded border rounded px-3 pt-2 mb-3" open>' in body


def test_duplicate_is_pointed_out_while_typing_to_the_office_only(client, htmx, auth):
    rita = make_patient(nama_lengkap_pasien="Rita Ambar", tanggal_lahir=date(1990, 5, 1),
                        no_handphone="081234567890")
    signed_in(auth)
    page = client.get("/admin/patients/new").get_data(as_text=True)
    assert 'hx-get="/admin/patients/duplicates"' in page
    assert "change from:#f-nama_lengkap_pasien" in page
    found = htmx.get("/admin/patients/duplicates", query_string={
        "nama_lengkap_pasien": " rita  AMBAR", "tanggal_lahir": "1990-05-01"})
    text = found.get_data(as_text=True)
    assert found.status_code == 200 and "Mungkin sudah terdaftar" in text
    assert f'href="/admin/patients/{rita.id}"' in text
    by_phone = htmx.get("/admin/patients/duplicates",
                        query_string={"no_handphone": "+62 812-3456-7890"})
    assert "Rita Ambar" in by_phone.get_data(as_text=True)
    other_day = htmx.get("/admin/patients/duplicates", query_string={
        "nama_lengkap_pasien": "Rita Ambar", "tanggal_lahir": "02/05/1990"})
    assert "Mungkin" not in other_day.get_data(as_text=True)
    itself = htmx.get("/admin/patients/duplicates", query_string={
        "no_handphone": "081234567890", "exclude": str(rita.id)})
    assert "Mungkin" not in itself.get_data(as_text=True)
    # a doctor learns nothing of other patients
    client.post("/admin/logout", headers=csrf(client))
    signed_in(auth, make_doctor_account())
    blind = htmx.get("/admin/patients/duplicates", query_string={"no_handphone": "081234567890"})
    assert blind.status_code == 200 and "Rita" not in blind.get_data(as_text=True)


def test_saving_a_probable_duplicate_asks_once(client, auth):
    make_patient(nama_lengkap_pasien="Rita Ambar", tanggal_lahir=date(1990, 5, 1))
    signed_in(auth)
    headers = csrf(client, "/admin/patients/new")
    data = {"nama_lengkap_pasien": "rita ambar", "tanggal_lahir": "1990-05-01",
            "jenis_kelamin": "P"}
    first = client.post("/admin/patients/new", headers=headers, data=data)
    assert first.status_code == 200
    page = first.get_data(as_text=True)
    assert "Mungkin sudah terdaftar" in page and 'name="confirm_warning"' in page
    assert "Tetap simpan" in page and 'value="rita ambar"' in page  # what was typed stays
    assert patient_count() == 1  # only the one registered before
    confirmed = client.post("/admin/patients/new", headers=headers,
                            data={**data, "confirm_warning": "1"})
    assert confirmed.status_code == 302
    assert patient_count() == 2
    # no match: saved at once
    fresh = client.post("/admin/patients/new", headers=headers,
                        data={"nama_lengkap_pasien": "Bayu Aji", "tanggal_lahir": "1990-05-01"})
    assert fresh.status_code == 302


# ---- the list ------------------------------------------------------------------------------------
def test_list_search_matches_words_in_any_order(client, htmx, auth):
    signed_in(auth)
    make_patient(nama_lengkap_pasien="Rita Ambar", no_identitas="3671290261191001")
    make_patient(nama_lengkap_pasien="Rita Sari")
    make_patient(nama_lengkap_pasien="Ambar Lestari")
    part = htmx.get("/admin/patients/?q=ambar+rita").get_data(as_text=True)
    assert "Rita Ambar" in part and "Rita Sari" not in part and "Ambar Lestari" not in part
    by_identity = htmx.get("/admin/patients/?q=3671290261191001").get_data(as_text=True)
    assert "Rita Ambar" in by_identity and "Rita Sari" not in by_identity


# ---- a record's page offers only what its reader may do ------------------------------------------
def test_record_page_offers_change_to_the_treating_doctor_only(client, auth):
    doctor = make_doctor_account(users_fullname="dr. Sari SpKK")
    patient = make_patient()
    make_appointment_with(doctor, patient, day=clinic_now().date(), start=time(10, 0))
    record = make_medical_record(patient, author=doctor)
    page = f"/admin/patient_rekam_medis/{record.id}"
    edit = f'href="/admin/patient_rekam_medis/{record.id}/edit"'

    signed_in(auth)  # the owner's office reads the record but does not write it
    answer = client.get(page)
    assert answer.status_code == 200
    assert edit not in answer.get_data(as_text=True)
    assert client.get(f"{page}/edit").status_code == 403

    client.post("/admin/logout", headers=csrf(client))
    signed_in(auth, doctor)
    answer = client.get(page)
    assert answer.status_code == 200
    assert edit in answer.get_data(as_text=True)
