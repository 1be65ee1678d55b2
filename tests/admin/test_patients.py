"""Admin screens of Pasien: the searchable list, and the patient chart through the test client
and the HTMX client — allergies first (added and removed inline), the records timeline with
verification, inline editing (errors inline, locked when verified) and version history, the
appointment history, a fixed number of queries, and the read audit."""
import json
from datetime import date, time, timedelta

from sqlalchemy import select

from models import Log, MedicalRecord, MedicalRecordVersion, PatientAllergy, clinic_now, db
from tests.conftest import count_queries, csrf_from, make_user
from tests.factories.patients import (make_allergy, make_appointment_with, make_doctor_account,
                                      make_medical_record, make_patient)

OFFICE = ("OWNER", "ADMIN", "USERS")


def signed_in(auth, user=None):
    user = user or make_user(roles=OFFICE)
    response = auth.admin_login(user)
    assert response.status_code == 302, response.get_data(as_text=True)
    return user


def csrf(client, path="/admin/"):
    return {"X-CSRFToken": csrf_from(client.get(path, follow_redirects=True).get_data(as_text=True))}


def reads(patient_id=None):
    db.session.rollback()
    stmt = select(Log).where(Log.action == "read_medical_record").order_by(Log.id)
    if patient_id is not None:
        stmt = stmt.where(Log.object_id == patient_id)
    return db.session.execute(stmt).scalars().all()


def toast_of(response):
    return json.loads(response.headers["HX-Trigger"])["toast"]


def chart_patient(doctor):
    """A patient with allergies, three records (one verified with an earlier version) and
    appointments."""
    patient = make_patient(nama_lengkap_pasien="Andrianto", jenis_kelamin="L",
                           tanggal_lahir=date(1992, 12, 31), golongan_darah="B+",
                           allergies=("Kerang Seafood", "Nangka"))
    old = make_medical_record(patient, tanggal_konsul=date(2024, 1, 10), diagnosa="Melasma",
                              keluhan="Flek di pipi", verified_by=doctor, author=doctor)
    db.session.add(MedicalRecordVersion(id_rekam_medis=old.id, version=1,
                                        tanggal_konsul=date(2024, 1, 10), keluhan="Flek",
                                        diagnosa="Observasi pigmentasi", changed_by=doctor.id))
    old.version = 2
    db.session.commit()
    middle = make_medical_record(patient, tanggal_konsul=date(2024, 3, 5),
                                 diagnosa="Melasma perbaikan")
    new = make_medical_record(patient, tanggal_konsul=date(2024, 6, 1),
                              diagnosa="Eritema pasca-tindakan")
    make_appointment_with(doctor, patient, status="DONE", day=date(2024, 6, 1),
                          start=time(10, 30))
    make_appointment_with(doctor, patient, status="CANCEL", day=date(2024, 5, 2))
    return patient, old, middle, new


# ---- the list ----------------------------------------------------------------------------------
def test_list_search_covers_name_phone_and_external_id(client, htmx, auth):
    signed_in(auth)
    customer = make_user(roles=("CUSTOMER",), username="rikki07")
    make_patient(customer, nama_lengkap_pasien="Rikki 07 01", no_handphone="085222123107",
                 allergies=("Kucing",))
    make_patient(nama_lengkap_pasien="Mildi Ghanesa", patient_external_id="DIGISOFT-77")
    make_patient(nama_lengkap_pasien="Rita Ambar", no_handphone="081298765432")
    page = client.get("/admin/patients/").get_data(as_text=True)
    assert "Rikki 07 01" in page and "Mildi Ghanesa" in page and "Rita Ambar" in page
    assert "Kucing" in page and "badge text-bg-danger" in page and "rikki07" in page
    assert 'href="/admin/patient_allergies/"' in page and 'href="/admin/patient_rekam_medis/"' in page
    for text, expected, absent in (("ghanesa", "Mildi Ghanesa", "Rita Ambar"),
                                   ("2123107", "Rikki 07 01", "Rita Ambar"),
                                   ("digisoft-77", "Mildi Ghanesa", "Rikki 07 01")):
        part = htmx.get(f"/admin/patients/?q={text}").get_data(as_text=True)
        assert "<html" not in part and expected in part and absent not in part, text


def test_a_doctor_lists_and_opens_only_the_patients_they_treat(client, auth):
    doctor = make_doctor_account()
    mine = make_patient(nama_lengkap_pasien="Pasien Saya")
    make_appointment_with(doctor, mine, status="CANCEL")
    other = make_patient(nama_lengkap_pasien="Pasien Dokter Lain")
    signed_in(auth, doctor)
    page = client.get("/admin/patients/").get_data(as_text=True)
    assert "Pasien Saya" in page and "Pasien Dokter Lain" not in page
    assert client.get(f"/admin/patients/{mine.id}").status_code == 200
    assert client.get(f"/admin/patients/{other.id}").status_code == 404
    records = client.get("/admin/patient_rekam_medis/").status_code
    assert records == 200


# ---- the chart -----------------------------------------------------------------------------------
def test_chart_shows_allergies_records_history_and_appointments(client, auth):
    doctor = make_doctor_account(users_fullname="Markus Nahesson SpKK")
    patient, old, middle, new = chart_patient(doctor)
    signed_in(auth)
    response = client.get(f"/admin/patients/{patient.id}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "css/patients.css" in page and "js/patients.js" in page
    assert 'style="' not in page and "<script>" not in page  # the CSP forbids inline code
    alert = page.index("alert-danger")
    assert alert < page.index("Kerang Seafood") < page.index("Rekam medis")
    assert "Nangka" in page and "2 alergi" in page
    # identity
    assert "31/12/1992" in page and "Laki-laki" in page and "B+" in page
    # the timeline, newest first, with verification state
    assert page.index(f'id="record-{new.id}"') < page.index(f'id="record-{middle.id}"') \
        < page.index(f'id="record-{old.id}"')
    card = page[page.index(f'id="record-{old.id}"'):]
    assert "Terverifikasi" in card[:1500] and "Markus Nahesson SpKK" in card[:1500]
    assert "Riwayat versi (1)" in card and "Observasi pigmentasi" in card
    assert '<details class="card-body border-top bg-body-tertiary record-history">' in card
    new_card = page[page.index(f'id="record-{new.id}"'):page.index(f'id="record-{middle.id}"')]
    assert "Belum diverifikasi" in new_card
    # office staff read the records; only the treating doctor writes, changes or verifies
    assert f"/admin/patients/records/{new.id}/edit" not in new_card
    assert "/verify" not in page and "Tulis rekam medis" not in page
    # appointments
    history = page[page.index("Riwayat janji temu"):]
    assert "01/06/2024" in history and "10:30" in history and "Markus Nahesson SpKK" in history
    assert "Selesai" in history and "Dibatalkan" in history
    assert "%23157347" in history  # DONE in its one colour (the same as on the Kalender)
    assert history.index("01/06/2024") < history.index("02/05/2024")


def test_chart_without_allergies_says_so(client, auth):
    patient = make_patient(nama_lengkap_pasien="Rhea Tatjana")
    signed_in(auth)
    page = client.get(f"/admin/patients/{patient.id}").get_data(as_text=True)
    assert "Tidak ada alergi tercatat" in page and "alert-danger" not in page
    assert "Belum ada rekam medis" in page and "Belum ada janji temu" in page


def test_chart_reads_are_audited(client, auth):
    doctor = make_doctor_account()
    patient, old, middle, new = chart_patient(doctor)
    user = signed_in(auth)
    client.get(f"/admin/patients/{patient.id}")
    entries = reads(patient.id)
    assert len(entries) == 1 and entries[0].id_users == user.id
    assert entries[0].object_type == "patients"
    assert all(f"#{record.id}" in entries[0].descriptions for record in (old, middle, new))
    client.get("/admin/patient_rekam_medis/")
    client.get(f"/admin/patient_rekam_medis/{middle.id}")
    entries = reads(patient.id)
    assert len(entries) == 3
    assert f"#{middle.id}" in entries[2].descriptions and "get" in entries[2].descriptions
    empty = make_patient()
    client.get(f"/admin/patients/{empty.id}")
    assert reads(empty.id) == []  # no record shown, nothing to audit


def test_chart_runs_a_fixed_number_of_queries(client, auth):
    small, *_ = chart_patient(make_doctor_account())
    big, *_ = chart_patient(make_doctor_account())
    for number in range(6):  # more of everything, verified by and changed by other people
        verifier = make_doctor_account()
        record = make_medical_record(big, verified_by=verifier if number % 2 else None,
                                     author=make_user())
        make_allergy(big)
        make_appointment_with(make_doctor_account(), big, status="BOOKING")
        db.session.add(MedicalRecordVersion(id_rekam_medis=record.id, version=1,
                                            tanggal_konsul=record.tanggal_konsul,
                                            changed_by=make_user().id))
    db.session.commit()
    small_id, big_id = small.id, big.id
    signed_in(auth)
    client.get(f"/admin/patients/{small_id}")

    def count(patient_id):
        with count_queries() as queries:
            assert client.get(f"/admin/patients/{patient_id}").status_code == 200
        return len(queries)

    assert count(big_id) == count(small_id)


# ---- allergies inline ------------------------------------------------------------------------
def test_allergies_added_and_removed_inline(client, htmx, auth):
    patient = make_patient(allergies=("Kerang",))
    signed_in(auth)
    headers = csrf(client, f"/admin/patients/{patient.id}")
    added = htmx.post(f"/admin/patients/{patient.id}/allergies", headers=headers,
                      data={"allergies": "Penisilin"})
    part = added.get_data(as_text=True)
    assert added.status_code == 200 and "<html" not in part
    assert "Penisilin" in part and "Kerang" in part and "2 alergi" in part
    assert toast_of(added)["message"] == "Alergi ditambahkan."
    duplicate = htmx.post(f"/admin/patients/{patient.id}/allergies", headers=headers,
                          data={"allergies": "penisilin"})
    assert duplicate.status_code == 422
    assert "is-invalid" in duplicate.get_data(as_text=True)
    assert "sudah tercatat" in duplicate.get_data(as_text=True)
    empty = htmx.post(f"/admin/patients/{patient.id}/allergies", headers=headers,
                      data={"allergies": "  "})
    assert empty.status_code == 422 and "Wajib diisi" in empty.get_data(as_text=True)
    db.session.rollback()
    rows = db.session.execute(select(PatientAllergy).where(
        PatientAllergy.id_patients == patient.id).order_by(PatientAllergy.id)).scalars().all()
    assert [row.allergies for row in rows] == ["Kerang", "Penisilin"]
    removed = htmx.post(f"/admin/patients/allergies/{rows[0].id}/delete", headers=headers)
    part = removed.get_data(as_text=True)
    assert removed.status_code == 200 and "Kerang" not in part and "Penisilin" in part
    last = htmx.post(f"/admin/patients/allergies/{rows[1].id}/delete", headers=headers)
    assert "Tidak ada alergi tercatat" in last.get_data(as_text=True)
    plain = client.post(f"/admin/patients/{patient.id}/allergies", headers=headers,
                        data={"allergies": "Lateks"})
    assert plain.status_code == 302 and plain.headers["Location"].endswith(
        f"/admin/patients/{patient.id}")
    assert client.post(f"/admin/patients/{patient.id}/allergies",
                       data={"allergies": "Tanpa token"}).status_code == 400  # CSRF


def test_doctors_see_allergies_but_do_not_change_them(client, htmx, auth):
    doctor = make_doctor_account()
    patient = make_patient(allergies=("Kerang",))
    make_appointment_with(doctor, patient)
    signed_in(auth, doctor)
    page = client.get(f"/admin/patients/{patient.id}").get_data(as_text=True)
    assert "Kerang" in page and "Tambah alergi" not in page and "Ubah data pasien" not in page
    headers = csrf(client, f"/admin/patients/{patient.id}")
    refused = htmx.post(f"/admin/patients/{patient.id}/allergies", headers=headers,
                        data={"allergies": "Lateks"})
    assert refused.status_code == 403 and toast_of(refused)["level"] == "danger"
    assert refused.headers["HX-Reswap"] == "none"


# ---- records inline ----------------------------------------------------------------------------
def test_records_written_and_edited_inline_with_errors_and_history(client, htmx, auth):
    doctor = make_doctor_account()
    patient = make_patient()
    make_appointment_with(doctor, patient)
    signed_in(auth, doctor)
    headers = csrf(client, f"/admin/patients/{patient.id}")
    bad = htmx.post(f"/admin/patients/{patient.id}/records", headers=headers, data={
        "tanggal_konsul": (clinic_now().date() + timedelta(days=2)).isoformat(),
        "keluhan": "", "diagnosa": ""})
    part = bad.get_data(as_text=True)
    assert bad.status_code == 422 and "<html" not in part
    assert "tidak boleh di masa depan" in part and "Isi keluhan atau diagnosa" in part
    assert '<details class="mb-3 new-record" open>' in part  # the form stays open
    good = htmx.post(f"/admin/patients/{patient.id}/records", headers=headers, data={
        "tanggal_konsul": "2024-05-01", "keluhan": "Gatal di sela jari", "diagnosa": "Tinea pedis"})
    assert good.status_code == 200 and toast_of(good)["message"] == "Rekam medis disimpan."
    assert "Tinea pedis" in good.get_data(as_text=True)
    db.session.rollback()
    record = db.session.execute(select(MedicalRecord)).scalars().one()
    assert record.id_users_author == doctor.id
    form = htmx.get(f"/admin/patients/records/{record.id}/edit")
    assert form.status_code == 200 and 'name="keluhan"' in form.get_data(as_text=True)
    assert "Gatal di sela jari" in form.get_data(as_text=True)
    invalid = htmx.post(f"/admin/patients/records/{record.id}/edit", headers=headers, data={
        "tanggal_konsul": "bukan tanggal", "keluhan": "x", "diagnosa": "y"})
    assert invalid.status_code == 422 and "is-invalid" in invalid.get_data(as_text=True)
    saved = htmx.post(f"/admin/patients/records/{record.id}/edit", headers=headers, data={
        "tanggal_konsul": "2024-05-01", "keluhan": "Gatal di sela jari kaki",
        "diagnosa": "Tinea pedis", "catatan_kaki": "Krim antijamur"})
    card = saved.get_data(as_text=True)
    assert saved.status_code == 200 and "Versi 2" in card and "Riwayat versi (1)" in card
    assert card.count("Gatal di sela jari") == 2  # the current text and the previous version
    cancelled = htmx.get(f"/admin/patients/records/{record.id}")
    assert cancelled.status_code == 200 and f'id="record-{record.id}"' in cancelled.get_data(
        as_text=True)
    actions = [entry.descriptions for entry in reads(patient.id)]
    assert any("formulir ubah" in text for text in actions)


def test_verification_from_the_chart_locks_editing(client, htmx, auth):
    doctor = make_doctor_account()
    patient = make_patient()
    make_appointment_with(doctor, patient)
    record = make_medical_record(patient)
    signed_in(auth, doctor)
    headers = csrf(client, f"/admin/patients/{patient.id}")
    page = client.get(f"/admin/patients/{patient.id}").get_data(as_text=True)
    assert f"/admin/patients/records/{record.id}/verify" in page
    verified = htmx.post(f"/admin/patients/records/{record.id}/verify", headers=headers)
    card = verified.get_data(as_text=True)
    assert verified.status_code == 200 and "Terverifikasi" in card and "Terkunci" in card
    assert f"/records/{record.id}/unverify" in card and f"/records/{record.id}/edit" not in card
    locked = htmx.get(f"/admin/patients/records/{record.id}/edit")
    assert locked.status_code == 409 and locked.headers["HX-Reswap"] == "none"
    assert "diverifikasi" in toast_of(locked)["message"]
    again = htmx.post(f"/admin/patients/records/{record.id}/edit", headers=headers,
                      data={"tanggal_konsul": "2024-01-01", "keluhan": "ubah"})
    assert again.status_code == 409
    assert htmx.post(f"/admin/patients/records/{record.id}/delete",
                     headers=headers).status_code == 409
    plain = client.get(f"/admin/patients/records/{record.id}/edit")
    assert plain.status_code == 302  # without HTMX: back to the chart with a message
    unverified = htmx.post(f"/admin/patients/records/{record.id}/unverify", headers=headers)
    assert unverified.status_code == 200 and "Belum diverifikasi" in unverified.get_data(
        as_text=True)
    deleted = htmx.post(f"/admin/patients/records/{record.id}/delete", headers=headers)
    assert deleted.status_code == 200 and deleted.get_data(as_text=True).strip() == ""
    db.session.rollback()
    assert db.session.get(MedicalRecord, record.id).deleted_at is not None


def test_office_staff_do_not_verify_and_other_doctors_do_not_reach(client, htmx, auth):
    doctor = make_doctor_account()
    patient = make_patient()
    make_appointment_with(doctor, patient)
    record = make_medical_record(patient)
    signed_in(auth)
    headers = csrf(client)
    refused = htmx.post(f"/admin/patients/records/{record.id}/verify", headers=headers)
    assert refused.status_code == 403
    client.post("/admin/logout", headers=headers)
    signed_in(auth, make_doctor_account())
    headers = csrf(client)
    assert htmx.post(f"/admin/patients/records/{record.id}/verify",
                     headers=headers).status_code == 404
    assert htmx.get(f"/admin/patients/records/{record.id}/edit").status_code == 404
    assert htmx.post(f"/admin/patients/{patient.id}/records", headers=headers,
                     data={"tanggal_konsul": "2024-01-01", "keluhan": "x"}).status_code == 404
    db.session.rollback()
    assert not db.session.get(MedicalRecord, record.id).is_verified


# ---- the generic patient form --------------------------------------------------------------
def test_patient_form_edits_allergies_as_a_list(client, auth):
    customer = make_user(roles=("CUSTOMER",), users_fullname="Didit Velliz", username="didit")
    patient = make_patient(customer, allergies=("Kerang", "Nangka"))
    signed_in(auth)
    form = client.get(f"/admin/patients/{patient.id}/edit").get_data(as_text=True)
    assert 'value="Kerang, Nangka"' in form and "Didit Velliz (didit)" in form
    token = csrf_from(form)
    values = {"csrf_token": token, "nama_lengkap_pasien": patient.nama_lengkap_pasien,
              "id_users": str(customer.id), "jenis_kelamin": "P", "allergies": "Nangka, Debu",
              "tanggal_lahir": "1990-05-01"}
    saved = client.post(f"/admin/patients/{patient.id}/edit", data=values)
    assert saved.status_code == 302
    db.session.rollback()
    names = [row.allergies for row in db.session.execute(select(PatientAllergy).where(
        PatientAllergy.id_patients == patient.id).order_by(PatientAllergy.id)).scalars()]
    assert names == ["Nangka", "Debu"]
    bad = client.post(f"/admin/patients/{patient.id}/edit",
                      data={**values, "golongan_darah": "Z"})
    assert bad.status_code == 422 and "Gunakan A, B, AB atau O" in bad.get_data(as_text=True)
