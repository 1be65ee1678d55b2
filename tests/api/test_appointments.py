"""Appointments (user_schedules) through the API: the documented envelopes and fields, every
endpoint with bad input, each booking rule, the workflow (reschedule, cancel, arrived, done),
delete, lists and filters, the timeline, availability, users/data next_appointments, and a
20-thread race for one slot on MariaDB."""
import threading
from datetime import time, timedelta

import pytest
from sqlalchemy import func, select

from models import Appointment, DoctorSchedule, DoctorService, Holiday, Log, clinic_now, db
from tests.conftest import make_user
from tests.factories.treatments import make_service
from tests.factories.appointments import (make_appointment, make_clinic, make_patient_of,
                                          valid_booking_body)

CREATE = "/api/user_schedules/create"


# ---- helpers ----------------------------------------------------------------------------
@pytest.fixture
def world(auth):
    """A clinic two days ahead, the office, a customer with a patient, a doctor's token."""
    clinic = make_clinic()
    customer = make_user(roles=("CUSTOMER",), users_fullname="Stephen")
    patient = make_patient_of(customer, nama_lengkap_pasien="Rita Ambar")
    office = make_user(roles=("USERS",))
    return {**clinic, "customer": customer, "patient": patient, "office": office,
            "office_headers": auth.headers(office), "customer_headers": auth.headers(customer),
            "doctor_headers": auth.headers(clinic["doctor_user"])}


def body_for(world, slot_index=0, **changes):
    """A booking body for the world's patient (the app's form: strings, dd/mm/yyyy)."""
    body = valid_booking_body(world, world["patient"], slot_index)
    body.update(changes)
    return {key: value for key, value in body.items() if value is not None}


def fields_of(response):
    return response.get_json()["exception"]["fields"]


def fresh(appointment_id):
    db.session.rollback()
    return db.session.get(Appointment, appointment_id)


def book(client, world, headers=None, **changes):
    return client.post(CREATE, headers=headers or world["office_headers"],
                       json=body_for(world, **changes))


# ---- create -----------------------------------------------------------------------------
def test_customer_books_and_gets_the_documented_envelope(client, world):
    response = book(client, world, world["customer_headers"], custom_price="1")
    assert response.status_code == 200, response.get_json()
    answer = response.get_json()
    assert list(answer) == ["user_schedules"]
    row = answer["user_schedules"]
    for key in ("id", "doctors", "services", "doctor_schedules", "users", "patients",
                "custom_price", "hari", "jam", "tanggal", "status", "digisoft_invoice_numbers",
                "reschedule_counts", "cancel_reason"):
        assert key in row, key
    assert row["status"] == "BOOKING" and row["reschedule_counts"] == 0
    assert row["custom_price"] == 275000  # the doctor's price: customers do not set prices
    assert row["tanggal"] == world["day"].isoformat() and row["jam"] == "09:00:00"
    assert row["doctors"]["id"] == world["doctor"].id
    assert row["doctors"]["users_fullname"] == world["doctor_user"].users_fullname
    assert row["services"]["buffer_time"] == 30 and row["services"]["services_name"]
    assert row["doctor_schedules"]["id"] == world["slots"][0].id
    assert row["doctor_schedules"]["doctor_buffer_time"] == 10
    assert row["users"]["id"] == world["customer"].id and "password_hash" not in row["users"]
    assert "num_of_login_attempts" not in row["users"]  # managers only
    assert row["patients"]["nama_lengkap_pasien"] == "Rita Ambar"
    stored = fresh(row["id"])
    assert stored.slot_key == f"{world['doctor'].id}|{world['day'].isoformat()}|09:00"
    assert db.session.execute(select(Log).where(Log.action == "book")).scalars().first()


def test_office_books_with_a_custom_price_and_iso_date(client, world):
    response = book(client, world, custom_price=150000, tanggal=world["day"].isoformat(),
                    jam="09:00:00")
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["user_schedules"]["custom_price"] == 150000


@pytest.mark.parametrize("changes, field", [
    ({"tanggal": "31/02/2026"}, "tanggal"),
    ({"tanggal": "besok"}, "tanggal"),
    ({"jam": "25:00"}, "jam"),
    ({"jam": "jam sembilan"}, "jam"),
    ({"hari": "Funday"}, "hari"),
    ({"custom_price": "-5"}, "custom_price"),
    ({"custom_price": "gratis"}, "custom_price"),
    ({"custom_price": 10 ** 12}, "custom_price"),
    ({"id_doctor_schedules": "abc"}, "id_doctor_schedules"),
    ({"id_doctor_schedules": "999999"}, "id_doctor_schedules"),
    ({"id_patients": "999999"}, "id_patients"),
    ({"id_doctors": "999999"}, "id_doctors"),
    ({"id_services": 10 ** 20}, "id_services"),
    ({"id_users": "999999"}, "id_users"),
])
def test_create_refuses_invalid_fields(client, world, changes, field):
    response = book(client, world, **changes)
    assert response.status_code == 422, response.get_json()
    assert field in fields_of(response)
    assert db.session.execute(select(func.count(Appointment.id))).scalar_one() == 0


def test_create_needs_slot_date_and_patient_and_a_json_object(client, world):
    empty = client.post(CREATE, headers=world["office_headers"], json={})
    assert empty.status_code == 422
    assert {"id_doctor_schedules", "tanggal", "id_patients"} <= set(fields_of(empty))
    for raw in ("", "[1]", "{not json", '"teks"'):
        response = client.post(CREATE, headers={**world["office_headers"],
                                                "Content-Type": "application/json"}, data=raw)
        assert response.status_code == 400, raw
        assert response.get_json()["status"] == "error"


def test_zero_for_an_optional_reference_means_not_given(client, world):
    response = book(client, world, id_users="0", id_doctors=0, id_services="0")
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["user_schedules"]["users"]["id"] == world["customer"].id


def test_hari_must_match_tanggal(client, world):
    wrong = "Minggu" if world["slots"][0].hari != "Minggu" else "Senin"
    response = book(client, world, hari=wrong)
    assert response.status_code == 422 and "hari" in fields_of(response)
    assert book(client, world, hari=world["slots"][0].hari.upper()).status_code == 200


# ---- each booking rule ----------------------------------------------------------------------
def test_slot_must_belong_to_the_doctor_and_service_and_time(client, world):
    other = make_clinic()
    response = book(client, world, id_doctors=str(other["doctor"].id))
    assert response.status_code == 422 and "id_doctor_schedules" in fields_of(response)
    response = book(client, world, id_services=str(other["service"].id))
    assert response.status_code == 422 and "id_services" in fields_of(response)
    response = book(client, world, jam="10:00")
    assert response.status_code == 422 and "jam" in fields_of(response)


def test_inactive_slot_offer_or_doctor_is_409(client, world):
    world["slots"][0].is_active = False
    db.session.commit()
    response = book(client, world)
    assert response.status_code == 409 and "id_doctor_schedules" in fields_of(response)
    world["slots"][0].is_active = True
    world["doctor"].is_active = False
    db.session.commit()
    assert book(client, world).status_code == 409


def test_tanggal_on_the_slots_weekday_not_past_not_a_holiday_within_the_window(client, world):
    day = world["day"]
    wrong_day = book(client, world, tanggal=(day + timedelta(days=1)).strftime("%d/%m/%Y"),
                     hari=None)
    assert wrong_day.status_code == 422 and "tanggal" in fields_of(wrong_day)
    past = book(client, world, tanggal=(day - timedelta(days=7)).strftime("%d/%m/%Y"))
    assert past.status_code == 422 and "lewat" in fields_of(past)["tanggal"]
    too_far = book(client, world, tanggal=(day + timedelta(days=21)).strftime("%d/%m/%Y"))
    assert too_far.status_code == 422 and "15 hari" in fields_of(too_far)["tanggal"]
    db.session.add(Holiday(dates=day, descriptions="Cuti bersama"))
    db.session.commit()
    holiday = book(client, world)
    assert holiday.status_code == 409 and "libur" in holiday.get_json()["exception"]["message"]


def test_minimum_notice_is_configurable(app, client, world):
    app.config["BOOKING_MIN_NOTICE_MINUTES"] = 4 * 24 * 60
    try:
        response = book(client, world)
    finally:
        app.config["BOOKING_MIN_NOTICE_MINUTES"] = 60
    assert response.status_code == 422 and "menit sebelumnya" in fields_of(response)["tanggal"]


def test_a_taken_slot_is_409_and_a_cancelled_one_is_free_again(client, world):
    first = book(client, world)
    assert first.status_code == 200
    again = book(client, world, world["customer_headers"])
    assert again.status_code == 409 and "id_doctor_schedules" in fields_of(again)
    appointment_id = first.get_json()["user_schedules"]["id"]
    cancelled = client.put(f"/api/user_schedules/{appointment_id}/cancel",
                           headers=world["office_headers"], json={"cancel_reason": "Sakit"})
    assert cancelled.get_json() == {"cancel": True}
    assert book(client, world).status_code == 200


def test_an_overlapping_appointment_of_the_doctor_is_409(client, world):
    """A 60-minute service of the same doctor at 09:15 overlaps the 09:00–09:30 booking."""
    laser = make_service(services_name="Laser", buffer_time=60)
    offer = DoctorService(id_doctors=world["doctor"].id, id_services=laser.id,
                          custom_price=500000)
    db.session.add(offer)
    db.session.flush()
    overlapping = DoctorSchedule(id_doctors=world["doctor"].id, id_doctor_services=offer.id,
                                 hari=world["slots"][0].hari, jam=time(9, 15), custom_price=500000)
    db.session.add(overlapping)
    db.session.commit()
    assert book(client, world).status_code == 200
    response = client.post(CREATE, headers=world["office_headers"], json={
        "id_doctor_schedules": overlapping.id, "id_patients": world["patient"].id,
        "tanggal": world["day"].isoformat()})
    assert response.status_code == 409
    assert "sudah memiliki janji" in response.get_json()["exception"]["message"]


def test_customer_books_only_for_their_own_patients(client, auth, world):
    stranger = make_user(roles=("CUSTOMER",))
    response = book(client, world, auth.headers(stranger))
    assert response.status_code == 403 and "id_patients" in fields_of(response)
    unlinked = make_patient_of(None)
    response = book(client, world, world["customer_headers"], id_patients=str(unlinked.id))
    assert response.status_code == 403
    assert db.session.execute(select(func.count(Appointment.id))).scalar_one() == 0


def test_doctors_do_not_book_and_anonymous_is_401(client, world):
    assert book(client, world, world["doctor_headers"]).status_code == 403
    assert client.post(CREATE, json=body_for(world)).status_code == 401


def test_staff_booking_defaults_the_account_to_the_patients_user(client, world):
    row = book(client, world).get_json()["user_schedules"]
    assert row["users"]["id"] == world["customer"].id
    walk_in = make_patient_of(None, nama_lengkap_pasien="Pasien Datang Langsung")
    response = book(client, world, id_patients=str(walk_in.id), id_users=None,
                    id_doctor_schedules=str(world["slots"][1].id), jam="10:00")
    assert response.status_code == 200
    assert response.get_json()["user_schedules"]["users"]["id"] == world["office"].id


# ---- reschedule (update) ----------------------------------------------------------------------
@pytest.mark.parametrize("path", ["update", "reschedule"])
def test_reschedule_moves_counts_and_frees_the_old_slot(client, world, path):
    appointment = make_appointment(world, patient=world["patient"])
    response = client.put(f"/api/user_schedules/{appointment.id}/{path}",
                          headers=world["customer_headers"],
                          json=body_for(world, slot_index=1))
    assert response.status_code == 200, response.get_json()
    row = response.get_json()["user_schedules"]
    assert row["status"] == "RESCHEDULE" and row["reschedule_counts"] == 1
    assert row["jam"] == "10:00:00" and row["doctor_schedules"]["id"] == world["slots"][1].id
    assert fresh(appointment.id).slot_key.endswith("|10:00")
    assert book(client, world).status_code == 200  # 09:00 is free again


def test_reschedule_refusals(app, client, world):
    appointment = make_appointment(world, patient=world["patient"])
    url = f"/api/user_schedules/{appointment.id}/update"
    headers = world["office_headers"]
    missing = client.put(url, headers=headers, json={"id_patients": world["patient"].id})
    assert missing.status_code == 422
    assert {"id_doctor_schedules", "tanggal"} <= set(fields_of(missing))
    same = client.put(url, headers=headers, json=body_for(world))
    assert same.status_code == 422 and "id_doctor_schedules" in fields_of(same)
    other = make_clinic(day=world["day"])
    doctor = client.put(url, headers=headers, json=body_for(
        world, slot_index=1, id_doctors=str(other["doctor"].id)))
    assert doctor.status_code == 422 and "id_doctors" in fields_of(doctor)
    foreign_slot = client.put(url, headers=headers, json={
        "id_doctor_schedules": other["slots"][1].id, "tanggal": world["day"].isoformat()})
    assert foreign_slot.status_code == 422 and "id_doctor_schedules" in fields_of(foreign_slot)
    patient = client.put(url, headers=headers, json=body_for(
        world, slot_index=1, id_patients=str(make_patient_of().id)))
    assert patient.status_code == 422 and "id_patients" in fields_of(patient)
    past = client.put(url, headers=headers, json=body_for(
        world, slot_index=1, tanggal=(world["day"] - timedelta(days=7)).strftime("%d/%m/%Y")))
    assert past.status_code == 422
    make_appointment(world, slot=world["slots"][2], patient=make_patient_of())
    taken = client.put(url, headers=headers, json=body_for(world, slot_index=2))
    assert taken.status_code == 409
    assert client.put(url, headers=headers, data="[]",
                      content_type="application/json").status_code == 400
    assert fresh(appointment.id).reschedule_counts == 0 and fresh(appointment.id).jam == time(9, 0)
    app.config["RESCHEDULE_LIMIT"] = 1
    try:
        assert client.put(url, headers=headers, json=body_for(world, slot_index=1)).status_code == 200
        limited = client.put(url, headers=headers, json=body_for(world, slot_index=0))
    finally:
        app.config["RESCHEDULE_LIMIT"] = 3
    assert limited.status_code == 409 and "Batas" in limited.get_json()["exception"]["message"]


def test_no_reschedule_once_started_or_when_finished_or_cancelled(client, world):
    yesterday = clinic_now().date() - timedelta(days=1)
    started = make_appointment(make_clinic(day=yesterday), patient=world["patient"])
    response = client.put(f"/api/user_schedules/{started.id}/update",
                          headers=world["office_headers"], json={
                              "id_doctor_schedules": started.id_doctor_schedules,
                              "tanggal": world["day"].isoformat()})
    assert response.status_code == 409
    for status in ("DONE", "CANCEL", "ARRIVED"):
        row = make_appointment(world, slot=world["slots"][1] if status != "CANCEL"
                               else world["slots"][0], patient=world["patient"], status=status)
        response = client.put(f"/api/user_schedules/{row.id}/update",
                              headers=world["office_headers"], json=body_for(world, slot_index=2))
        assert response.status_code == 409, status
        assert response.get_json()["exception"]["error_code"] == "wrong_state"
        db.session.delete(fresh(row.id))
        db.session.commit()


# ---- cancel, arrived, done ------------------------------------------------------------------
def test_cancel_requires_a_reason_and_frees_the_slot(client, world):
    appointment = make_appointment(world, patient=world["patient"])
    url = f"/api/user_schedules/{appointment.id}/cancel"
    for body in ({}, {"cancel_reason": "   "}, {"cancel_reason": 12},
                 {"cancel_reason": "x" * 256}):
        response = client.put(url, headers=world["customer_headers"], json=body)
        assert response.status_code == 422 and "cancel_reason" in fields_of(response), body
    assert client.put(url, headers=world["customer_headers"]).status_code == 400
    done = client.put(url, headers=world["customer_headers"], json={"cancel_reason": "Ga bisa bayar"})
    assert done.get_json() == {"cancel": True}
    stored = fresh(appointment.id)
    assert stored.status == "CANCEL" and stored.slot_key is None
    assert stored.cancel_reason == "Ga bisa bayar" and stored.cancelled_at is not None
    again = client.put(url, headers=world["office_headers"], json={"cancel_reason": "Lagi"})
    assert again.status_code == 409


def test_arrived_only_on_the_day_and_from_booking_or_reschedule(client, world):
    ahead = make_appointment(world, patient=world["patient"])
    response = client.put(f"/api/user_schedules/{ahead.id}/arrived", headers=world["office_headers"])
    assert response.status_code == 409 and response.get_json()["exception"]["error_code"] == "wrong_day"
    today = make_clinic(day=clinic_now().date())
    todays = make_appointment(today, patient=world["patient"], status="RESCHEDULE")
    url = f"/api/user_schedules/{todays.id}/arrived"
    assert client.put(url, headers=world["office_headers"]).get_json() == {"arrived": True}
    assert fresh(todays.id).status == "ARRIVED" and fresh(todays.id).arrived_at is not None
    assert client.put(url, headers=world["office_headers"]).status_code == 409


def test_done_needs_arrived_and_an_invoice_number(client, world):
    today = make_clinic(day=clinic_now().date())
    booked = make_appointment(today, patient=world["patient"])
    url = f"/api/user_schedules/{booked.id}/done"
    body = {"digisoft_invoice_numbers": "0001/2023/02-IORA"}
    assert client.put(url, headers=world["office_headers"], json=body).status_code == 409
    arrived = make_appointment(today, slot=today["slots"][1], patient=world["patient"],
                               status="ARRIVED")
    url = f"/api/user_schedules/{arrived.id}/done"
    for bad in ({}, {"digisoft_invoice_numbers": ""}, {"digisoft_invoice_numbers": "x" * 51},
                {"digisoft_invoice_numbers": ["INV"]}):
        response = client.put(url, headers=world["office_headers"], json=bad)
        assert response.status_code == 422 and "digisoft_invoice_numbers" in fields_of(response)
    assert client.put(url, headers=world["office_headers"], json=body).get_json() == {"done": True}
    stored = fresh(arrived.id)
    assert stored.status == "DONE" and stored.digisoft_invoice_numbers == "0001/2023/02-IORA"
    assert client.put(url, headers=world["office_headers"], json=body).status_code == 409
    numeric = make_appointment(today, slot=today["slots"][2], patient=world["patient"],
                               status="ARRIVED")
    response = client.put(f"/api/user_schedules/{numeric.id}/done",
                          headers=world["office_headers"], json={"digisoft_invoice_numbers": 1234})
    assert response.status_code == 200 and fresh(numeric.id).digisoft_invoice_numbers == "1234"


@pytest.mark.parametrize("action", ["update", "reschedule", "cancel", "arrived", "done", "delete"])
def test_actions_on_unknown_or_malformed_ids_are_404(client, world, owner_headers, action):
    method = "DELETE" if action == "delete" else "PUT"
    headers = owner_headers if action == "delete" else world["office_headers"]
    for object_id in ("999999", "abc", str(10 ** 20), "0", "-1"):
        response = client.open(f"/api/user_schedules/{object_id}/{action}", method=method,
                               headers=headers, json={"cancel_reason": "x"})
        assert response.status_code == 404, (action, object_id)


# ---- delete -------------------------------------------------------------------------------
def test_delete_only_cancelled_appointments_by_managers(client, auth, world, owner_headers):
    live = make_appointment(world, patient=world["patient"])
    response = client.delete(f"/api/user_schedules/{live.id}/delete", headers=owner_headers)
    assert response.status_code == 409
    done = make_appointment(world, slot=world["slots"][1], patient=world["patient"], status="DONE")
    assert client.delete(f"/api/user_schedules/{done.id}/delete", headers=owner_headers).status_code == 409
    cancelled = make_appointment(world, patient=world["patient"], status="CANCEL")
    url = f"/api/user_schedules/{cancelled.id}/delete"
    assert client.delete(url, headers=world["office_headers"]).status_code == 403
    assert client.delete(url, headers=world["customer_headers"]).status_code == 403
    assert client.delete(url, headers=owner_headers).get_json() == {"deleted": True}
    assert fresh(cancelled.id) is None and fresh(live.id) is not None


# ---- lists ----------------------------------------------------------------------------------
def test_explore_and_search_rows_are_flat_with_names_and_filters(client, world):
    appointment = make_appointment(world, patient=world["patient"])
    make_appointment(world, slot=world["slots"][1], status="CANCEL")
    other = make_appointment(make_clinic())
    body = {"id_doctors": str(world["doctor"].id), "id_services": str(world["service"].id),
            "id_doctor_schedules": str(world["slots"][0].id), "id_users": str(world["customer"].id),
            "id_patients": str(world["patient"].id), "status": "BOOKING",
            "status_array": ["BOOKING", "RESCHEDULE", "ARRIVED"]}
    explore = client.post("/api/user_schedules/explore?page=1&length=10",
                          headers=world["office_headers"], json=body).get_json()
    assert explore["totaldata"] == 1 and explore["displayed"] == 1
    row = explore["data"][0]
    assert row["id"] == appointment.id
    assert row["users"] == "Stephen" and row["nama_lengkap_pasien"] == "Rita Ambar"
    assert row["doctors"] == world["doctor_user"].users_fullname
    assert row["services_name"] == world["service"].services_name
    assert row["doctor_buffer_time"] == 10 and "doctors_picture_url" in row
    assert "users_picture_url" in row and isinstance(row["custom_price"], int)
    search = client.post("/api/user_schedules/search", headers=world["office_headers"],
                         json=body).get_json()
    assert [item["id"] for item in search["user_schedules"]] == [appointment.id]
    live = client.post("/api/user_schedules/search", headers=world["office_headers"],
                       json={"status_array": ["BOOKING"]}).get_json()["user_schedules"]
    assert {item["id"] for item in live} == {appointment.id, other.id}
    cancelled = client.post("/api/user_schedules/search", headers=world["office_headers"],
                            json={"status": "cancel"}).get_json()["user_schedules"]
    assert len(cancelled) == 1 and cancelled[0]["status"] == "CANCEL"
    by_date = client.post("/api/user_schedules/search", headers=world["office_headers"], json={
        "tanggal": world["day"].strftime("%d/%m/%Y"), "id_doctors": world["doctor"].id}).get_json()
    assert len(by_date["user_schedules"]) == 2


@pytest.mark.parametrize("body, field", [
    ({"status": "UPCOMING"}, "status"), ({"status_array": ["BOOKING", "LUNAS"]}, "status_array"),
    ({"status_array": [1]}, "status_array"), ({"id_doctors": "dokter"}, "id_doctors"),
    ({"id_patients": [1, "x"]}, "id_patients"), ({"id_users": 10 ** 15}, "id_users"),
    ({"tanggal": "kemarin"}, "tanggal"), ({"date_from": "2026-13-01"}, "date_from"),
])
def test_bad_filters_are_422(client, world, body, field):
    for kind in ("explore", "search"):
        response = client.post(f"/api/user_schedules/{kind}", headers=world["office_headers"],
                               json=body)
        assert response.status_code == 422 and field in fields_of(response), (kind, body)
    table = client.post("/api/user_schedules/table", headers=world["office_headers"],
                        data={"draw": "1", **{key: str(value) for key, value in body.items()
                                              if not isinstance(value, list)}})
    assert table.status_code in (200, 422)


def test_table_follows_the_table_specs_and_search_params(client, world):
    appointment = make_appointment(world, patient=world["patient"])
    make_appointment(make_clinic())
    answer = client.post("/api/user_schedules/table", headers=world["office_headers"], data={
        "draw": "4", "start": "0", "length": "10", "search[value]": "rita",
        "order[0][column]": "17", "order[0][dir]": "desc",
        "id_doctors": str(world["doctor"].id), "status": "BOOKING"}).get_json()
    assert answer["draw"] == 4 and answer["recordsTotal"] == 2 and answer["recordsFiltered"] == 1
    row = answer["data"][0]
    assert len(row) == 20 and row[0] == appointment.id
    assert row[10] == "BOOKING" and row[11] == "Stephen" and row[12] == "Rita Ambar"
    assert row[17] == f"{world['day'].isoformat()} 09:00:00"
    assert row[18] == f"{world['day'].isoformat()} 09:30:00"


# ---- timeline --------------------------------------------------------------------------------
def test_timeline_events_have_the_fullcalendar_shape(client, world):
    appointment = make_appointment(world, patient=world["patient"])
    make_appointment(make_clinic(day=world["day"] + timedelta(days=40)))  # outside the range
    body = {"date_from": world["day"].strftime("%d/%m/%Y"),
            "date_to": (world["day"] + timedelta(days=6)).isoformat()}
    answer = client.post("/api/user_schedules/timeline", headers=world["office_headers"],
                         json=body).get_json()
    assert answer["date_from"] == world["day"].strftime("%d/%m/%Y")
    assert answer["date_to"] == (world["day"] + timedelta(days=6)).strftime("%d/%m/%Y")
    assert len(answer["events"]) == 1
    event = answer["events"][0]
    start = f"{world['day'].isoformat()}T09:00:00"
    assert event["title"] == world["doctor_user"].users_fullname
    assert event["start"] == start and event["end"] == f"{world['day'].isoformat()}T09:30:00"
    assert event["description"] == world["service"].services_name
    props = event["extendedProps"]
    for key in ("id", "start", "end", "client", "patients", "reschedule_counts", "status",
                "custom_price", "digisoft_invoice_numbers", "users_picture_url",
                "doctors_picture_url"):
        assert key in props, key
    assert props["id"] == appointment.id and props["client"] == "Stephen"
    assert props["patients"] == "Rita Ambar" and props["status"] == "BOOKING"
    other_doctor = client.post("/api/user_schedules/timeline", headers=world["office_headers"],
                               json={**body, "id_doctors": world["doctor"].id + 1000}).get_json()
    assert other_doctor["events"] == []


def test_timeline_refusals_and_scope(client, auth, world):
    url = "/api/user_schedules/timeline"
    headers = world["office_headers"]
    day = world["day"].strftime("%d/%m/%Y")
    for body, field in (({"date_to": day}, "date_from"), ({"date_from": day}, "date_to"),
                        ({"date_from": "kemarin", "date_to": day}, "date_from"),
                        ({"date_from": day, "date_to": "01/01/2000"}, "date_to"),
                        ({"date_from": "01/01/2023", "date_to": "01/06/2024"}, "date_to"),
                        ({"date_from": day, "date_to": day, "id_doctors": "x"}, "id_doctors")):
        response = client.post(url, headers=headers, json=body)
        assert response.status_code == 422 and field in fields_of(response), body
    assert client.post(url, headers=headers, json=["x"]).status_code == 400
    assert client.post(url, json={"date_from": day, "date_to": day}).status_code == 401
    make_appointment(world, patient=world["patient"])
    make_appointment(world, slot=world["slots"][1])
    body = {"date_from": day, "date_to": day}
    mine = client.post(url, headers=world["customer_headers"], json=body).get_json()["events"]
    assert [event["extendedProps"]["patients"] for event in mine] == ["Rita Ambar"]
    stranger = auth.headers(make_user(roles=("CUSTOMER",)))
    assert client.post(url, headers=stranger, json=body).get_json()["events"] == []
    doctor = client.post(url, headers=world["doctor_headers"], json=body).get_json()["events"]
    assert len(doctor) == 2


# ---- availability ----------------------------------------------------------------------------
def test_availability_answers_the_documented_list_without_booked_or_holiday_slots(client, world):
    url = "/api/user_schedules/check/doctor/availability"
    body = {"id_services": world["service"].id, "id_doctors": world["doctor"].id}
    before = client.post(url, json=body).get_json()  # public
    assert isinstance(before, list) and before
    entry = next(item for item in before if item["schedule"] == world["day"].isoformat())
    assert entry["schedule_format"] == world["day"].strftime("%d/%m/%Y")
    assert entry["day_id"] == world["slots"][0].hari and entry["day_en"]
    assert len(entry["schedule_array"]) == 15
    slot = entry["doctors"][0]
    for key in ("id", "id_services", "id_doctors", "id_doctor_services", "hari", "jam",
                "services_name", "service_categories", "doctors", "jam_mulai", "jam_selesai"):
        assert key in slot, key
    assert [item["jam_mulai"] for item in entry["doctors"]] == ["09:00", "10:00", "11:00"]
    assert slot["jam_selesai"] == "09:30"
    assert book(client, world).status_code == 200
    after = client.post(url, json=body).get_json()
    entry = next(item for item in after if item["schedule"] == world["day"].isoformat())
    assert [item["jam_mulai"] for item in entry["doctors"]] == ["10:00", "11:00"]
    db.session.add(Holiday(dates=world["day"], descriptions="Libur klinik"))
    db.session.commit()
    closed = client.post(url, json=body).get_json()
    assert all(item["schedule"] != world["day"].isoformat() for item in closed)


def test_availability_bad_input(client, world):
    url = "/api/user_schedules/check/doctor/availability"
    for body, field in (({"id_doctors": "abc"}, "id_doctors"), ({"id_doctors": 999999}, "id_doctors"),
                        ({"id_services": 10 ** 20}, "id_services"),
                        ({"id_services": 999999}, "id_services")):
        response = client.post(url, json=body)
        assert response.status_code == 422 and field in fields_of(response), body
    assert client.post(url, data="[1]", content_type="application/json").status_code == 400
    assert isinstance(client.post(url).get_json(), list)  # no filter: every doctor


# ---- users/data ---------------------------------------------------------------------------------
def test_users_data_lists_the_upcoming_live_appointments(client, world):
    upcoming = make_appointment(world, patient=world["patient"])
    make_appointment(world, slot=world["slots"][1], patient=world["patient"], status="CANCEL")
    make_appointment(make_clinic(day=clinic_now().date() - timedelta(days=3)),
                     patient=world["patient"], status="DONE")
    make_appointment(world, slot=world["slots"][2])  # someone else's
    data = client.get("/api/users/data", headers=world["customer_headers"]).get_json()
    events = data["users"]["next_appointments"]
    assert [event["extendedProps"]["id"] for event in events] == [upcoming.id]
    assert set(events[0]) == {"title", "start", "end", "extendedProps", "description"}
    office = client.get("/api/users/data", headers=world["office_headers"]).get_json()
    assert office["users"]["next_appointments"] == []  # staff see their own bookings only


# ---- concurrency ----------------------------------------------------------------------------------
def test_twenty_clients_racing_for_one_slot_through_the_api(app, world):
    """20 threads, each with its own test client, POST the same slot: one 200, 19 × 409."""
    if db.engine.dialect.name == "sqlite":
        pytest.skip("the race needs a server database (MariaDB in make test)")
    body = body_for(world)
    headers = world["office_headers"]
    barrier = threading.Barrier(20)
    statuses = []

    def attempt():
        client = app.test_client()
        try:
            barrier.wait(timeout=30)
            statuses.append(client.post(CREATE, headers=headers, json=body).status_code)
        except Exception as exc:  # noqa: BLE001 - any other outcome fails the test
            statuses.append(repr(exc))

    threads = [threading.Thread(target=attempt, daemon=True) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(statuses, key=str) == [200] + [409] * 19, statuses
    db.session.rollback()
    assert db.session.execute(select(func.count(Appointment.id))).scalar_one() == 1
