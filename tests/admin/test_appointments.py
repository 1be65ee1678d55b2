"""The admin Kalender: the page, its JSON events, the booking form offering only free slots,
the patient picker, an appointment's panel with arrived / done / reschedule / cancel (each
answering with an HX-Trigger that refreshes the calendar and shows a toast, errors inline),
what a doctor may do there, the generic list and detail screens, and the demo data."""
import json
from datetime import time, timedelta

import pytest
from sqlalchemy import func, select

from models import Appointment, Holiday, clinic_now, db
from services.demo import appointments as demo
from tests.conftest import csrf_from, make_user
from tests.factories.appointments import make_appointment, make_clinic, make_patient_of


def signed_in(auth, client, roles=("USERS",), user=None):
    user = user or make_user(roles=roles)
    response = auth.admin_login(user)
    assert response.status_code == 302, response.get_data(as_text=True)
    return user


def token_of(client, path="/admin/calendar/"):
    return csrf_from(client.get(path).get_data(as_text=True))


def trigger_of(response):
    return json.loads(response.headers.get("HX-Trigger", "{}"))


def fresh(appointment_id):
    db.session.rollback()
    return db.session.get(Appointment, appointment_id)


@pytest.fixture
def desk(auth, client):
    """The front desk signed in, a clinic two days ahead and a customer's patient."""
    user = signed_in(auth, client)
    clinic = make_clinic()
    patient = make_patient_of(nama_lengkap_pasien="Rita Ambar", no_handphone="081299887766")
    return {**clinic, "user": user, "patient": patient, "token": token_of(client)}


# ---- the page ----------------------------------------------------------------------------------
def test_calendar_page_for_the_front_desk(client, desk):
    page = client.get("/admin/calendar/")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "/static/vendor/fullcalendar/fullcalendar-6.1.21.min.js" in html
    assert "/static/vendor/fullcalendar/locale-id-6.1.21.min.js" in html
    assert "/static/js/calendar.js" in html and "/static/css/calendar.css" in html
    assert html.index("js/calendar.js") < html.index("fullcalendar-6.1.21.min.js")
    for label in ("Dipesan", "Dijadwalkan ulang", "Datang", "Selesai", "Dibatalkan"):
        assert label in html
    for status in ("booking", "reschedule", "arrived", "done", "cancel"):
        assert f"legend-swatch status-{status}" in html
    assert 'id="doctor-filter"' in html and desk["doctor_user"].users_fullname in html
    assert 'id="book-button"' in html and 'data-can-book="1"' in html
    assert "<script>" not in html and " style=" not in html
    assert 'aria-current="page"' in html and ">Kalender<" in html


def test_calendar_hours_cover_every_practice_window(client, desk):
    html = client.get("/admin/calendar/").get_data(as_text=True)
    assert 'data-slot-min="07:00:00" data-slot-max="21:00:00"' in html
    make_clinic(window=(time(6, 30), time(22, 15)), starts=(time(6, 30),))
    html = client.get("/admin/calendar/").get_data(as_text=True)
    assert 'data-slot-min="06:00:00" data-slot-max="23:00:00"' in html


def test_a_doctor_sees_the_calendar_but_does_not_book(client, auth):
    clinic = make_clinic()
    signed_in(auth, client, user=clinic["doctor_user"])
    html = client.get("/admin/calendar/").get_data(as_text=True)
    assert 'data-can-book="0"' in html and 'id="book-button"' not in html
    assert 'id="doctor-filter"' not in html
    assert client.get("/admin/calendar/book").status_code == 403


def test_the_calendar_needs_a_staff_session(client):
    response = client.get("/admin/calendar/")
    assert response.status_code == 302 and "/admin/login" in response.headers["Location"]
    assert client.get("/admin/calendar/events?start=2026-01-01&end=2026-01-08").status_code == 302


# ---- events -------------------------------------------------------------------------------------
def test_events_follow_the_range_the_doctor_filter_and_the_cancelled_switch(client, desk):
    booked = make_appointment(desk, patient=desk["patient"])
    cancelled = make_appointment(desk, slot=desk["slots"][1], status="CANCEL")
    other = make_appointment(make_clinic(day=desk["day"]))
    start = desk["day"].isoformat() + "T00:00:00Z"
    end = (desk["day"] + timedelta(days=1)).isoformat() + "T00:00:00Z"
    events = client.get(f"/admin/calendar/events?start={start}&end={end}").get_json()
    assert {event["id"] for event in events} == {str(booked.id), str(other.id)}
    mine = next(event for event in events if event["id"] == str(booked.id))
    assert mine["classNames"] == ["status-event", "status-booking"]
    assert mine["title"].startswith("Rita Ambar · ") and mine["description"]
    assert mine["start"] == f"{desk['day'].isoformat()}T09:00:00"
    assert mine["end"] == f"{desk['day'].isoformat()}T09:30:00"
    assert mine["extendedProps"]["status_label"] == "Dipesan"
    with_cancelled = client.get(f"/admin/calendar/events?start={start}&end={end}"
                                f"&cancelled=1").get_json()
    assert str(cancelled.id) in {event["id"] for event in with_cancelled}
    only = client.get(f"/admin/calendar/events?start={start}&end={end}"
                      f"&id_doctors={desk['doctor'].id}").get_json()
    assert {event["id"] for event in only} == {str(booked.id)}
    next_day = client.get(f"/admin/calendar/events?start={end}&end={end[:10]}").get_json()
    assert next_day == []


def test_events_bad_parameters_are_422(client, desk):
    assert client.get("/admin/calendar/events").status_code == 422
    assert client.get("/admin/calendar/events?start=kemarin&end=besok").status_code == 422
    response = client.get("/admin/calendar/events?start=2020-01-01&end=2026-01-01")
    assert response.status_code == 422 and "date_to" in response.get_json()["fields"]


def test_a_doctor_gets_only_their_events(client, auth):
    clinic = make_clinic()
    mine = make_appointment(clinic)
    make_appointment(make_clinic(day=clinic["day"]))
    signed_in(auth, client, user=clinic["doctor_user"])
    day = clinic["day"].isoformat()
    events = client.get(f"/admin/calendar/events?start={day}&end={day}").get_json()
    assert [event["id"] for event in events] == [str(mine.id)]


# ---- booking ------------------------------------------------------------------------------------
def test_booking_form_offers_only_free_slots(htmx, desk):
    make_appointment(desk, slot=desk["slots"][1])  # 10:00 is taken
    html = htmx.get(f"/admin/calendar/book?id_doctors={desk['doctor'].id}"
                    f"&tanggal={desk['day'].isoformat()}&jam=11:00").get_data(as_text=True)
    assert "<html" not in html and 'id="book-form"' in html
    assert "09:00–09:30" in html and "11:00–11:30" in html and "10:00–10:30" not in html
    assert f'value="{desk["slots"][2].id}" id="slot-{desk["slots"][2].id}-2"' in html
    chosen = html.split(f'value="{desk["slots"][2].id}"')[1].split(">")[0]
    assert "checked" in chosen  # the time clicked in the calendar
    assert desk["service"].services_name in html and "Rp 275.000" in html


def test_booking_form_on_a_day_without_free_slots_lists_the_dates_that_have_one(htmx, desk):
    db.session.add(Holiday(dates=desk["day"], descriptions="Libur"))
    db.session.commit()
    html = htmx.get(f"/admin/calendar/book?id_doctors={desk['doctor'].id}"
                    f"&tanggal={desk['day'].isoformat()}").get_data(as_text=True)
    assert "Tidak ada slot kosong pada tanggal ini." in html
    week_later = (desk["day"] + timedelta(days=7)).isoformat()
    assert f'data-set-date="{week_later}"' in html


def test_booking_from_the_calendar(htmx, desk):
    response = htmx.post("/admin/calendar/book", headers={"X-CSRFToken": desk["token"]}, data={
        "id_doctors": desk["doctor"].id, "id_services": desk["service"].id,
        "tanggal": desk["day"].isoformat(), "id_doctor_schedules": desk["slots"][0].id,
        "id_patients": desk["patient"].id, "custom_price": "200000"})
    assert response.status_code == 200, response.get_data(as_text=True)
    trigger = trigger_of(response)
    assert trigger["calendar:refresh"] is True
    assert trigger["toast"]["message"].startswith("Janji Rita Ambar")
    stored = db.session.execute(select(Appointment)).scalar_one()
    assert stored.status == "BOOKING" and stored.custom_price == 200000
    html = response.get_data(as_text=True)
    assert f'id="appointment-{stored.id}"' in html and "Tandai datang" in html


def test_booking_errors_come_back_inline(htmx, desk):
    make_appointment(desk)  # 09:00 taken
    headers = {"X-CSRFToken": desk["token"]}
    base = {"id_doctors": desk["doctor"].id, "id_services": desk["service"].id,
            "tanggal": desk["day"].isoformat(), "id_patients": desk["patient"].id}
    taken = htmx.post("/admin/calendar/book", headers=headers,
                      data={**base, "id_doctor_schedules": desk["slots"][0].id})
    assert taken.status_code == 422 and "HX-Trigger" not in taken.headers
    html = taken.get_data(as_text=True)
    assert 'id="book-form"' in html and "Slot sudah terisi." in html
    no_patient = htmx.post("/admin/calendar/book", headers=headers, data={
        **base, "id_doctor_schedules": desk["slots"][1].id, "id_patients": ""})
    assert no_patient.status_code == 422 and "Wajib diisi." in no_patient.get_data(as_text=True)
    assert db.session.execute(select(func.count(Appointment.id))).scalar_one() == 1
    assert htmx.post("/admin/calendar/book", data={**base}).status_code == 400  # no CSRF


def test_patient_picker_finds_by_name_phone_or_record_number(htmx, desk):
    make_patient_of(nama_lengkap_pasien="Budi Santoso", no_handphone="085700001111")
    by_name = htmx.get("/admin/calendar/patients?q=rita").get_data(as_text=True)
    assert "Rita Ambar" in by_name and "Budi" not in by_name
    assert 'name="id_patients"' in by_name
    by_phone = htmx.get("/admin/calendar/patients?q=0857000").get_data(as_text=True)
    assert "Budi Santoso" in by_phone and "Rita" not in by_phone
    by_record = htmx.get(f"/admin/calendar/patients?q={desk['patient'].patient_external_id}")
    assert "Rita Ambar" in by_record.get_data(as_text=True)
    assert "minimal 2 huruf" in htmx.get("/admin/calendar/patients?q=r").get_data(as_text=True)
    assert "Tidak ada pasien" in htmx.get("/admin/calendar/patients?q=zzz").get_data(as_text=True)


# ---- an appointment's actions --------------------------------------------------------------------
def test_arrived_then_done_on_the_day(htmx, desk):
    today = make_clinic(day=clinic_now().date())
    appointment = make_appointment(today, patient=desk["patient"])
    headers = {"X-CSRFToken": desk["token"]}
    panel = htmx.get(f"/admin/calendar/appointments/{appointment.id}").get_data(as_text=True)
    assert "Tandai datang" in panel and "disabled" not in panel.split("Tandai datang")[0][-200:]
    arrived = htmx.post(f"/admin/calendar/appointments/{appointment.id}/arrived", headers=headers)
    assert arrived.status_code == 200
    assert trigger_of(arrived)["calendar:refresh"] is True
    assert "ditandai datang" in trigger_of(arrived)["toast"]["message"]
    assert fresh(appointment.id).status == "ARRIVED"
    assert "Nomor invoice Digisoft" in arrived.get_data(as_text=True)
    url = f"/admin/calendar/appointments/{appointment.id}/done"
    missing = htmx.post(url, headers=headers, data={"digisoft_invoice_numbers": " "})
    assert missing.status_code == 422 and "Nomor invoice wajib" in missing.get_data(as_text=True)
    assert "HX-Trigger" not in missing.headers and fresh(appointment.id).status == "ARRIVED"
    done = htmx.post(url, headers=headers, data={"digisoft_invoice_numbers": "0007/2026/11-IORA"})
    assert done.status_code == 200 and "0007/2026/11-IORA" in done.get_data(as_text=True)
    assert fresh(appointment.id).status == "DONE"
    assert "tidak ada tindakan lagi" in done.get_data(as_text=True)


def test_arrival_before_the_day_is_refused_inline(htmx, desk):
    appointment = make_appointment(desk, patient=desk["patient"])
    panel = htmx.get(f"/admin/calendar/appointments/{appointment.id}").get_data(as_text=True)
    assert "Kedatangan dicatat pada hari janji" in panel
    response = htmx.post(f"/admin/calendar/appointments/{appointment.id}/arrived",
                         headers={"X-CSRFToken": desk["token"]})
    assert response.status_code == 422 and "hanya dapat dicatat pada hari janji" in \
        response.get_data(as_text=True)
    assert fresh(appointment.id).status == "BOOKING"


def test_reschedule_offers_free_slots_and_moves(htmx, desk):
    appointment = make_appointment(desk, patient=desk["patient"])
    make_appointment(desk, slot=desk["slots"][2])  # 11:00 taken
    panel = htmx.get(f"/admin/calendar/appointments/{appointment.id}").get_data(as_text=True)
    offered = [slot for slot in desk["slots"]
               if f'name="id_doctor_schedules" value="{slot.id}"' in panel]
    assert "Jadwalkan ulang" in panel and offered == [desk["slots"][1]]  # 11:00 taken, 09:00 its own
    other_day = (desk["day"] + timedelta(days=7)).isoformat()
    slots = htmx.get(f"/admin/calendar/appointments/{appointment.id}/slots?tanggal={other_day}")
    assert "11:00–11:30" in slots.get_data(as_text=True)
    url = f"/admin/calendar/appointments/{appointment.id}/reschedule"
    headers = {"X-CSRFToken": desk["token"]}
    nothing = htmx.post(url, headers=headers, data={"tanggal": desk["day"].isoformat()})
    assert nothing.status_code == 422 and "Pilih slot" in nothing.get_data(as_text=True)
    moved = htmx.post(url, headers=headers, data={"tanggal": other_day,
                                                  "id_doctor_schedules": desk["slots"][2].id})
    assert moved.status_code == 200 and "dipindah ke" in trigger_of(moved)["toast"]["message"]
    stored = fresh(appointment.id)
    assert stored.status == "RESCHEDULE" and stored.jam == time(11, 0)
    assert stored.tanggal.isoformat() == other_day and stored.reschedule_counts == 1


def test_cancel_needs_a_reason(htmx, desk):
    appointment = make_appointment(desk, patient=desk["patient"])
    url = f"/admin/calendar/appointments/{appointment.id}/cancel"
    headers = {"X-CSRFToken": desk["token"]}
    refused = htmx.post(url, headers=headers, data={"cancel_reason": ""})
    assert refused.status_code == 422 and "Alasan pembatalan wajib" in refused.get_data(as_text=True)
    cancelled = htmx.post(url, headers=headers, data={"cancel_reason": "Pasien sakit"})
    assert cancelled.status_code == 200 and trigger_of(cancelled)["calendar:refresh"] is True
    stored = fresh(appointment.id)
    assert stored.status == "CANCEL" and stored.slot_key is None
    assert "Pasien sakit" in cancelled.get_data(as_text=True)


def test_a_doctor_finishes_their_own_but_does_not_cancel(client, htmx, auth):
    today = make_clinic(day=clinic_now().date())
    mine = make_appointment(today)
    theirs = make_appointment(make_clinic(day=clinic_now().date()))
    signed_in(auth, client, user=today["doctor_user"])
    headers = {"X-CSRFToken": token_of(client)}
    panel = htmx.get(f"/admin/calendar/appointments/{mine.id}").get_data(as_text=True)
    assert "Tandai datang" in panel and "Batalkan janji" not in panel
    assert "Jadwalkan ulang" not in panel
    assert htmx.post(f"/admin/calendar/appointments/{mine.id}/arrived",
                     headers=headers).status_code == 200
    assert htmx.post(f"/admin/calendar/appointments/{mine.id}/cancel", headers=headers,
                     data={"cancel_reason": "x"}).status_code == 403
    assert htmx.get(f"/admin/calendar/appointments/{theirs.id}").status_code == 404
    assert htmx.post(f"/admin/calendar/appointments/{theirs.id}/arrived",
                     headers=headers).status_code == 404


def test_unknown_appointment_is_404(htmx, desk):
    assert htmx.get("/admin/calendar/appointments/999999").status_code == 404
    assert htmx.post("/admin/calendar/appointments/999999/cancel",
                     headers={"X-CSRFToken": desk["token"]}).status_code == 404


# ---- generic screens -------------------------------------------------------------------------------
def test_the_list_and_the_detail_screen(client, desk):
    appointment = make_appointment(desk, patient=desk["patient"])
    listing = client.get("/admin/user_schedules/").get_data(as_text=True)
    assert "Rita Ambar" in listing and "Dipesan" in listing
    assert "fill='%230B5ED7'" in listing.replace("&#39;", "'")  # the status colour chip
    assert "Rp 275.000" in listing and desk["day"].strftime("%d/%m/%Y") in listing
    assert 'href="/admin/user_schedules/new"' not in listing  # booking goes through the form
    detail = client.get(f"/admin/user_schedules/{appointment.id}").get_data(as_text=True)
    assert f'id="appointment-{appointment.id}"' in detail and "Batalkan janji" in detail
    assert 'name="place" value="page"' in detail
    assert client.get("/admin/user_schedules/new").status_code == 403


# ---- demo data ---------------------------------------------------------------------------------------
def test_demo_appointments_fill_the_calendar_once(app):
    added = {}
    demo.seed(added)
    assert added["user_schedules"] == 0  # no doctors or patients yet: nothing
    make_user(roles=("USERS",))
    for offset in range(7):  # a doctor practising every day
        make_clinic(day=clinic_now().date() + timedelta(days=offset),
                    starts=(time(9, 0), time(13, 0), time(16, 0)), window=(time(9, 0), time(17, 0)))
    for _ in range(5):
        make_patient_of()
    demo.seed(added)
    rows = db.session.execute(select(Appointment)).scalars().all()
    # past visits: one a working day since the 1st of last month (a week at least)
    today = clinic_now().date()
    past_days = max(7, (today - (today.replace(day=1) - timedelta(days=1)).replace(day=1)).days)
    assert 18 <= added["user_schedules"] == len(rows) <= 30 + past_days - 7
    assert any(row.tanggal < today - timedelta(days=7) for row in rows) == (past_days > 7)
    statuses = {row.status for row in rows}
    assert {"BOOKING", "RESCHEDULE", "CANCEL", "DONE"} <= statuses
    today = clinic_now().date()
    no_shows = [row for row in rows if row.status == "BOOKING" and row.tanggal < today]
    assert len(no_shows) == 1  # the past week's patient who never came (the report's no-show)
    for row in rows:
        assert (row.slot_key is None) == (row.status == "CANCEL")
        if row.status == "CANCEL":
            assert row.cancel_reason
        if row.status == "DONE":
            assert row.digisoft_invoice_numbers and row.tanggal <= today
        if row.status in ("BOOKING", "RESCHEDULE") and row not in no_shows:
            assert today <= row.tanggal <= today + timedelta(days=15)
    assert any(row.tanggal < today for row in rows)
    again = {}
    demo.seed(again)
    assert again["user_schedules"] == 0
    assert db.session.execute(select(func.count(Appointment.id))).scalar_one() == len(rows)
