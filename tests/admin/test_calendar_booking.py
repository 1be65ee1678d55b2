"""Booking quickly from the Kalender: the free slot nearest the time clicked is preselected,
the schedule part follows the chosen doctor (bad doctor ids are a clean 422), a walk-in
patient is added from the form, and the form and an appointment opened without HTMX are
pages of their own with a heading and the way back."""
import re
from datetime import time

import pytest
from sqlalchemy import func, select

from models import Patient, db
from tests.admin.test_appointments import signed_in, token_of, trigger_of
from tests.factories.appointments import booking_day, make_appointment, make_clinic
from tests.factories.treatments import make_service


@pytest.fixture
def desk(auth, client):
    """The front desk signed in; two doctors practising the same day: a morning one (three
    slots of one service) and an afternoon one (another service, two slots)."""
    user = signed_in(auth, client)
    day = booking_day()
    morning = make_clinic(day=day, starts=(time(9, 0), time(10, 0), time(11, 0)),
                          service=make_service(services_name="Konsultasi Jerawat", buffer_time=30))
    afternoon = make_clinic(day=day, starts=(time(13, 0), time(14, 0)),
                            window=(time(13, 0), time(15, 0)),
                            service=make_service(services_name="Chemical Peeling", buffer_time=30))
    return {"user": user, "day": day, "morning": morning, "afternoon": afternoon,
            "token": token_of(client)}


def checked_slot(html):
    """The id of the slot radio that is checked (None when none is)."""
    for tag in re.findall(r'<input type="radio" class="btn-check"[^>]*>', html):
        if re.search(r"\bchecked\b", tag):
            return int(re.search(r'value="(\d+)"', tag).group(1))
    return None


def selected(html, select_id):
    block = html.split(f'id="{select_id}"')[1].split("</select>")[0]
    found = re.search(r'<option value="(\d*)"\s+selected', block)
    return int(found.group(1)) if found and found.group(1) else None


# ---- the nearest free slot -----------------------------------------------------------------
def test_a_click_preselects_the_nearest_free_slot_of_the_doctor_filtered(htmx, desk):
    morning, day = desk["morning"], desk["day"].isoformat()
    html = htmx.get(f"/admin/calendar/book?id_doctors={morning['doctor'].id}&tanggal={day}"
                    "&jam=10:40").get_data(as_text=True)
    assert checked_slot(html) == morning["slots"][2].id  # 11:00: 20 minutes off
    assert 'name="jam" value="10:40"' in html
    html = htmx.get(f"/admin/calendar/book?id_doctors={morning['doctor'].id}&tanggal={day}"
                    "&jam=13:30").get_data(as_text=True)
    assert checked_slot(html) == morning["slots"][2].id  # that doctor's, not the afternoon's


def test_a_click_without_a_doctor_takes_the_nearest_free_slot_of_any_doctor(htmx, desk):
    afternoon, day = desk["afternoon"], desk["day"].isoformat()
    html = htmx.get(f"/admin/calendar/book?tanggal={day}&jam=13:10").get_data(as_text=True)
    assert selected(html, "book-doctor") == afternoon["doctor"].id
    assert selected(html, "book-service") == afternoon["service"].id
    assert checked_slot(html) == afternoon["slots"][0].id


def test_a_taken_slot_is_skipped(htmx, desk):
    morning, day = desk["morning"], desk["day"].isoformat()
    make_appointment(morning, slot=morning["slots"][1], day=desk["day"])  # 10:00 taken
    html = htmx.get(f"/admin/calendar/book?id_doctors={morning['doctor'].id}&tanggal={day}"
                    "&jam=10:00").get_data(as_text=True)
    assert "10:00–10:30" not in html
    assert checked_slot(html) == morning["slots"][2].id  # 09:00 and 11:00 tie: the later


def test_a_slot_asked_for_stays_chosen_while_free(htmx, desk):
    morning, day = desk["morning"], desk["day"].isoformat()
    html = htmx.get(f"/admin/calendar/book/schedule?id_doctors={morning['doctor'].id}"
                    f"&tanggal={day}&jam=11:00&id_doctor_schedules={morning['slots'][0].id}"
                    ).get_data(as_text=True)
    assert checked_slot(html) == morning["slots"][0].id


@pytest.mark.parametrize("jam", ["", "25:00", "abc", "10:6", "9" * 40])
def test_a_bad_time_preselects_nothing_but_answers(htmx, desk, jam):
    morning, day = desk["morning"], desk["day"].isoformat()
    response = htmx.get(f"/admin/calendar/book?id_doctors={morning['doctor'].id}&tanggal={day}"
                        f"&jam={jam}")
    assert response.status_code == 200
    assert checked_slot(response.get_data(as_text=True)) is None


# ---- the schedule part follows the doctor --------------------------------------------------
def test_the_services_follow_the_chosen_doctor(htmx, desk):
    morning, afternoon, day = desk["morning"], desk["afternoon"], desk["day"].isoformat()
    response = htmx.get(f"/admin/calendar/book/schedule?id_doctors={afternoon['doctor'].id}"
                        f"&id_services={morning['service'].id}&tanggal={day}&jam=10:00")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in html and 'id="book-form"' not in html
    assert "Chemical Peeling" in html and "Konsultasi Jerawat" not in html
    assert selected(html, "book-service") == afternoon["service"].id
    assert "13:00–13:30" in html and "14:00–14:30" in html and "09:00–09:30" not in html
    assert checked_slot(html) == afternoon["slots"][0].id  # nearest 10:00 of that doctor
    back = htmx.get(f"/admin/calendar/book/schedule?id_doctors={morning['doctor'].id}"
                    f"&tanggal={day}").get_data(as_text=True)
    assert "Konsultasi Jerawat" in back and "Chemical Peeling" not in back


def test_no_doctor_chosen_lists_no_service(htmx, desk):
    response = htmx.get("/admin/calendar/book/schedule?id_doctors=")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Pilih dokter dahulu" in html
    assert "Konsultasi Jerawat" not in html and "Chemical Peeling" not in html


@pytest.mark.parametrize("doctor", ["999999", "abc", "0", "-1", "1.5", "9" * 30,
                                    "2147483648", "%00", "1%20OR%201=1"])
def test_an_unknown_or_malformed_doctor_is_a_clean_422(htmx, client, desk, doctor):
    day = desk["day"].isoformat()
    response = htmx.get(f"/admin/calendar/book/schedule?id_doctors={doctor}&tanggal={day}"
                        "&jam=10:00")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Dokter tidak ditemukan." in html
    assert "Konsultasi Jerawat" not in html and "Chemical Peeling" not in html
    assert checked_slot(html) is None and 'name="id_doctor_schedules"' not in html
    form = htmx.get(f"/admin/calendar/book?id_doctors={doctor}&tanggal={day}&jam=10:00")
    assert form.status_code == 200 and "Dokter tidak ditemukan." in form.get_data(as_text=True)
    assert client.get(f"/admin/calendar/book?id_doctors={doctor}").status_code == 200


def test_a_doctor_may_not_ask_for_the_booking_parts(client, auth, desk):
    client.post("/admin/logout", headers={"X-CSRFToken": desk["token"]})
    signed_in(auth, client, user=desk["morning"]["doctor_user"])
    assert client.get("/admin/calendar/book/schedule?id_doctors=1").status_code == 403


# ---- a walk-in patient -----------------------------------------------------------------------
def walk_in(htmx, desk, **fields):
    data = {"nama_lengkap_pasien": "Dewi Lestari", "no_handphone": "0812-3456-7890",
            "tanggal_lahir": "1990-04-12", "jenis_kelamin": "P", "q": "dew",
            "id_doctors": desk["morning"]["doctor"].id, "tanggal": desk["day"].isoformat(),
            "place": "modal"}
    data.update(fields)
    return htmx.post("/admin/calendar/patients", headers={"X-CSRFToken": desk["token"]},
                     data=data)


def patients_count():
    db.session.rollback()
    return db.session.execute(select(func.count(Patient.id))).scalar_one()


def test_a_walk_in_patient_is_added_and_chosen(htmx, desk):
    response = walk_in(htmx, desk)
    html = response.get_data(as_text=True)
    assert response.status_code == 200, html
    assert trigger_of(response)["toast"]["message"] == "Pasien baru Dewi Lestari tersimpan."
    patient = db.session.execute(select(Patient)).scalar_one()
    assert (patient.nama_lengkap_pasien, patient.no_handphone, patient.jenis_kelamin) == \
        ("Dewi Lestari", "081234567890", "P")
    assert patient.tanggal_lahir.isoformat() == "1990-04-12" and patient.id_users is None
    assert '<div class="col-12" id="book-patient">' in html and "<html" not in html
    radio = re.search(r'<input[^>]*name="id_patients"[^>]*>', html).group(0)
    assert f'value="{patient.id}"' in radio and "checked" in radio
    assert "Janji belum dibuat" in html
    assert 'name="nama_lengkap_pasien"' in html and 'value="Dewi Lestari"' not in html  # emptied


def test_walk_in_errors_come_back_inline_in_one_pass(htmx, desk):
    response = walk_in(htmx, desk, nama_lengkap_pasien="  ", no_handphone="12ab",
                       tanggal_lahir="2999-01-01", jenis_kelamin="X")
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "HX-Trigger" not in response.headers
    assert "Data pasien baru belum lengkap." in html
    assert "Wajib diisi." in html
    assert "Nomor HP 8–15 angka" in html
    assert "Tanggal lahir tidak boleh di masa depan." in html
    assert "Gunakan L (laki-laki) atau P (perempuan)." in html
    assert 'value="12ab"' in html and "<details" in html and " open" in html.split("<details")[1][:120]
    assert patients_count() == 0


@pytest.mark.parametrize("fields, field", [
    ({"no_handphone": ""}, "Wajib diisi untuk pasien baru."),
    ({"tanggal_lahir": "31/02/1990"}, "tanggal"),
    ({"nama_lengkap_pasien": "x" * 151}, "150"),
])
def test_walk_in_each_bad_field(htmx, desk, fields, field):
    response = walk_in(htmx, desk, **fields)
    assert response.status_code == 422
    assert field.lower() in response.get_data(as_text=True).lower()
    assert patients_count() == 0


def test_walk_in_needs_csrf_and_the_office(client, htmx, auth, desk):
    assert htmx.post("/admin/calendar/patients", data={"nama_lengkap_pasien": "A",
                                                       "no_handphone": "081234567890"}
                     ).status_code == 400
    client.post("/admin/logout", headers={"X-CSRFToken": desk["token"]})
    signed_in(auth, client, user=desk["morning"]["doctor_user"])
    token = token_of(client)
    refused = htmx.post("/admin/calendar/patients", headers={"X-CSRFToken": token},
                        data={"nama_lengkap_pasien": "A", "no_handphone": "081234567890"})
    assert refused.status_code == 403
    assert patients_count() == 0


def test_a_walk_in_then_booking(htmx, desk):
    walk_in(htmx, desk)
    patient = db.session.execute(select(Patient)).scalar_one()
    morning = desk["morning"]
    booked = htmx.post("/admin/calendar/book", headers={"X-CSRFToken": desk["token"]}, data={
        "id_doctors": morning["doctor"].id, "id_services": morning["service"].id,
        "tanggal": desk["day"].isoformat(), "id_doctor_schedules": morning["slots"][0].id,
        "id_patients": patient.id, "place": "modal"})
    assert booked.status_code == 200
    assert trigger_of(booked)["toast"]["message"].startswith("Janji Dewi Lestari")


# ---- the pages of their own ------------------------------------------------------------------
def test_the_booking_form_without_htmx_is_a_page(client, desk):
    response = client.get(f"/admin/calendar/book?id_doctors={desk['morning']['doctor'].id}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" in html
    assert re.search(r"<h1[^>]*>.*Buat janji</h1>", html)
    assert 'href="/admin/calendar/"' in html and "Kembali ke kalender" in html
    assert 'data-bs-dismiss="modal"' not in html and 'name="place" value="calendar"' in html
    assert 'class="card shadow-sm page-card"' in html


def test_the_booking_form_in_the_modal_keeps_its_close_buttons(htmx, desk):
    html = htmx.get("/admin/calendar/book").get_data(as_text=True)
    assert "<html" not in html and "data-bs-dismiss" in html
    assert 'name="place" value="modal"' in html and "Kembali ke kalender" not in html


def test_an_appointment_without_htmx_is_a_page(client, htmx, desk):
    appointment = make_appointment(desk["morning"], day=desk["day"])
    response = client.get(f"/admin/calendar/appointments/{appointment.id}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" in html
    assert re.search(rf"<h1[^>]*>.*Janji #{appointment.id}</h1>", html)
    assert 'href="/admin/calendar/"' in html and "Kembali ke kalender" in html
    assert 'data-bs-dismiss="modal"' not in html and "Rincian janji" in html
    assert 'name="place" value="calendar"' in html  # its actions answer the page's panel
    assert "Jadwal" in html and "Dokter" in html  # the facts are shown
    modal = htmx.get(f"/admin/calendar/appointments/{appointment.id}").get_data(as_text=True)
    assert "<html" not in modal and "data-bs-dismiss" in modal


def test_an_action_on_the_appointment_page_answers_the_page_panel(htmx, desk):
    appointment = make_appointment(desk["morning"], day=desk["day"])
    response = htmx.post(f"/admin/calendar/appointments/{appointment.id}/cancel",
                         headers={"X-CSRFToken": desk["token"]},
                         data={"cancel_reason": "Pasien sakit", "place": "calendar"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Rincian janji" in html
    assert 'data-bs-dismiss="modal"' not in html and "Alasan batal" in html
