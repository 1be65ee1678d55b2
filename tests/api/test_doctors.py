"""Doctors, doctor services, practice windows (schedules) and slots (doctor_schedules) through
the API: envelopes, filters, the rules of each resource, generate/activate/unactivate, the
DOCTOR role that follows the doctor row, what the public sees, and users/data."""
from datetime import time, timedelta

import pytest
from sqlalchemy import select

from models import (Appointment, Doctor, DoctorSchedule, DoctorService, Log, Patient,
                    PracticeWindow, Role, User, clinic_now, db)
from tests.conftest import make_user
from tests.factories.doctors import make_doctor, make_offer, make_slot, make_window, user_of
from tests.factories.treatments import make_service, make_service_category


def fresh(model, row_id):
    """The row as stored now (the requests ran in their own sessions)."""
    db.session.expire_all()
    return db.session.get(model, row_id)


def roles_of(user_id):
    db.session.expire_all()
    return {role.rolecodes for role in db.session.execute(
        select(Role).where(Role.iduser == user_id)).scalars()}


def make_appointment(slot, days_ahead=3, status="BOOKING"):
    """An appointment in a slot (written directly: the booking rules are tested elsewhere)."""
    patient = Patient(nama_lengkap_pasien="Rita Ambar")
    db.session.add(patient)
    db.session.flush()
    offer = db.session.get(DoctorService, slot.id_doctor_services)
    day = clinic_now().date() + timedelta(days=days_ahead)
    appointment = Appointment(id_doctors=slot.id_doctors, id_services=offer.id_services,
                              id_doctor_schedules=slot.id, id_patients=patient.id,
                              custom_price=offer.custom_price, hari=slot.hari, jam=slot.jam,
                              tanggal=day, status=status,
                              slot_key=None if status == "CANCEL" else
                              f"{slot.id_doctors}|{day.isoformat()}|{slot.jam:%H:%M}")
    db.session.add(appointment)
    db.session.commit()
    return appointment


def error_fields(response):
    return response.get_json()["exception"]["fields"]


@pytest.fixture
def staff(auth):
    """Front desk (USERS) headers."""
    return auth.headers(make_user(roles=("USERS",)))


# ---- doctors ------------------------------------------------------------------------------
def test_create_links_the_account_gives_the_doctor_role_and_answers_under_stylists(
        client, auth, owner_headers):
    account = make_user(roles=("CUSTOMER",), username="didit", users_fullname="Didit Velliz")
    service = make_service(services_name="Konsultasi Dokter Spesialis Kulit")
    response = client.post("/api/doctors/create", headers=owner_headers, json={
        "id_users": account.id, "id_services": service.id, "custom_price": 300000,
        "doctor_description": '<p>Spesialis <b>kulit</b><script>alert(1)</script></p>',
        "availability_description": "senin,selasa", "short_description": "Sp.KK",
        "is_active": 1})
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert list(body) == ["stylists"]
    doctor = body["stylists"]
    assert doctor["users"]["id"] == account.id and doctor["users"]["username"] == "didit"
    assert "password_hash" not in doctor["users"]
    assert doctor["services"]["id"] == service.id and doctor["services"]["buffer_time"] == 30
    assert doctor["custom_price"] == 300000 and doctor["is_active"] == 1
    assert "<script" not in doctor["doctor_description"] and "<b>kulit</b>" in doctor[
        "doctor_description"]
    assert roles_of(account.id) == {"CUSTOMER", "DOCTOR"}
    # the account now signs in as that doctor, to the API and to /admin
    headers = auth.headers(account)
    data = client.get("/api/users/data", headers=headers).get_json()
    assert "DOCTOR" in data["permissions"]
    assert data["users"]["doctors"][0]["id"] == doctor["id"]
    own = client.post("/api/schedules/create", headers=headers, json={
        "id_doctors": doctor["id"], "hari": "Senin", "jam": "09:00", "jam_selesai": "12:00"})
    assert own.status_code == 200, own.get_json()
    assert auth.admin_login(account).status_code == 302
    got = client.get(f"/api/doctors/{doctor['id']}", headers=owner_headers).get_json()
    assert list(got) == ["doctors"] and got["doctors"]["users"]["id"] == account.id
    public = client.get(f"/api/doctors/{doctor['id']}").get_json()["doctors"]
    assert "users" not in public and public["users_fullname"] == got["doctors"]["users_fullname"]


def test_create_refusals(client, auth, owner_headers):
    doctor = make_doctor()
    gone = make_user(deleted_at=clinic_now())
    account = make_user()

    def create(**body):
        return client.post("/api/doctors/create", headers=owner_headers, json=body)

    missing = create(custom_price=1000)
    assert missing.status_code == 422 and "id_users" in error_fields(missing)
    assert "id_users" in error_fields(create(id_users=999999))
    assert "id_users" in error_fields(create(id_users=gone.id))
    twice = create(id_users=doctor.id_users)
    assert twice.status_code == 422
    assert error_fields(twice)["id_users"] == "Akun ini sudah terdaftar sebagai dokter."
    assert "custom_price" in error_fields(create(id_users=account.id, custom_price=-1))
    assert "custom_price" in error_fields(create(id_users=account.id, custom_price="abc"))
    assert "id_services" in error_fields(create(id_users=account.id, id_services=999999))
    assert create(id_users=account.id, id_services=10**12).status_code == 422
    assert client.post("/api/doctors/create", headers=owner_headers, data="[1]",
                       content_type="application/json").status_code == 400
    assert roles_of(account.id) == {"CUSTOMER"}  # nothing half-written
    # id_services 0 means "none", as the app sends it
    made = create(id_users=account.id, id_services=0, custom_price="")
    assert made.status_code == 200, made.get_json()
    assert made.get_json()["stylists"]["services"] is None
    assert made.get_json()["stylists"]["custom_price"] == 0
    # only managers create doctors
    for roles, status in ((("USERS",), 403), (("DOCTOR",), 403), (("CUSTOMER",), 403)):
        other = make_user()
        response = client.post("/api/doctors/create", headers=auth.headers(make_user(
            roles=roles)), json={"id_users": other.id})
        assert response.status_code == status
    assert client.post("/api/doctors/create", json={"id_users": account.id}).status_code == 401


def test_deleting_a_doctor_removes_the_role_closes_the_slots_and_ends_schedule_rights(
        client, auth, owner_headers):
    doctor = make_doctor()
    account = user_of(doctor)
    headers = auth.headers(account)
    window = make_window(doctor)
    slot = make_slot(make_offer(doctor))
    assert roles_of(account.id) == {"DOCTOR"}
    assert client.delete(f"/api/doctors/{doctor.id}/delete",
                         headers=owner_headers).get_json() == {"deleted": True}
    assert roles_of(account.id) == set()
    gone = fresh(Doctor, doctor.id)
    assert gone.deleted_at is not None and not gone.is_active
    assert fresh(DoctorSchedule, slot.id).is_active is False
    assert db.session.execute(select(Log).where(Log.action == "role_change",
                                                Log.object_id == account.id)).first()
    # the account is no longer a doctor: no schedule rights, and the rows are gone
    assert client.put(f"/api/schedules/{window.id}/update", headers=headers,
                      json={"jam": "08:00"}).status_code in (403, 404)
    assert client.get(f"/api/doctors/{doctor.id}").status_code == 404
    assert client.get(f"/api/schedules/{window.id}", headers=owner_headers).status_code == 404
    assert client.post("/api/doctor_schedules/search", json={
        "id_doctors": doctor.id}).get_json() == {"doctor_schedules": []}
    # the account may be made a doctor again (a new doctor row; the old one stays deleted)
    again = client.post("/api/doctors/create", headers=owner_headers,
                        json={"id_users": account.id})
    assert again.status_code == 200 and again.get_json()["stylists"]["id"] != doctor.id
    assert roles_of(account.id) == {"DOCTOR"}
    twice = client.post("/api/doctors/create", headers=owner_headers,
                        json={"id_users": account.id})
    assert twice.status_code == 422 and "id_users" in error_fields(twice)


def test_a_doctor_with_upcoming_appointments_is_not_deleted(client, owner_headers):
    slot = make_slot()
    make_appointment(slot, days_ahead=2)
    response = client.delete(f"/api/doctors/{slot.id_doctors}/delete", headers=owner_headers)
    assert response.status_code == 409 and "1 janji mendatang" in response.get_json()[
        "exception"]["message"]
    assert fresh(Doctor, slot.id_doctors).deleted_at is None
    assert "DOCTOR" in roles_of(fresh(Doctor, slot.id_doctors).id_users)
    past = make_slot()
    make_appointment(past, days_ahead=-3, status="DONE")
    assert client.delete(f"/api/doctors/{past.id_doctors}/delete",
                         headers=owner_headers).status_code == 200


def test_doctor_lists_filters_and_visibility(client, auth, owner_headers):
    laser = make_service(services_name="Laser Q-Switch")
    main = make_doctor(id_services=laser.id)
    offering = make_doctor()
    make_offer(offering, laser)
    hidden = make_doctor(is_active=False)
    make_doctor()
    found = client.post("/api/doctors/explore?page=1&length=10", json={
        "id_services": laser.id}).get_json()
    assert {row["id"] for row in found["data"]} == {main.id, offering.id}
    row = next(item for item in found["data"] if item["id"] == offering.id)
    assert row["id_services"] == 0 and row["services_name"] is None
    assert row["users_fullname"] == user_of(offering).users_fullname
    assert set(row) >= {"id", "id_users", "id_services", "custom_price", "doctor_description",
                        "availability_description", "short_description", "is_active",
                        "users_fullname", "services_name", "users_picture", "users_picture_url"}
    by_user = client.post("/api/doctors/search", json={"id_users": main.id_users}).get_json()
    assert [item["id"] for item in by_user["doctors"]] == [main.id]
    # inactive doctors are for staff only
    public = {item["id"] for item in client.post("/api/doctors/search", json={}).get_json()[
        "doctors"]}
    assert hidden.id not in public and main.id in public
    assert client.get(f"/api/doctors/{hidden.id}").status_code == 404
    customer = auth.headers(make_user())
    assert client.get(f"/api/doctors/{hidden.id}", headers=customer).status_code == 404
    assert client.get(f"/api/doctors/{hidden.id}", headers=owner_headers).status_code == 200
    doctor_headers = auth.headers(user_of(main))
    assert client.get(f"/api/doctors/{hidden.id}", headers=doctor_headers).status_code == 200
    table = client.post("/api/doctors/table", data={"draw": "4", "search[value]": user_of(
        main).users_fullname}).get_json()
    assert table["recordsFiltered"] == 1 and len(table["data"][0]) == 10
    assert table["data"][0][0] == main.id and table["data"][0][8] == "Laser Q-Switch"
    for bad in ({"id_users": "x"}, {"id_services": -1}, {"is_active": "mungkin"}):
        assert client.post("/api/doctors/explore", json=bad).status_code == 422


def test_update_answers_under_stylists_and_keeps_the_account(client, owner_headers):
    doctor = make_doctor()
    other = make_user()
    response = client.put(f"/api/doctors/{doctor.id}/update", headers=owner_headers, json={
        "id_users": other.id, "custom_price": 125000, "is_active": 0,
        "short_description": "Spesialis DV"})
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert list(body) == ["stylists"]
    assert body["stylists"]["users"]["id"] == doctor.id_users  # the account is fixed
    assert body["stylists"]["custom_price"] == 125000 and body["stylists"]["is_active"] == 0
    assert client.put(f"/api/doctors/{doctor.id}/update", headers=owner_headers,
                      json={"custom_price": -5}).status_code == 422
    assert client.put(f"/api/doctors/{doctor.id}/update", headers=owner_headers,
                      json={"short_description": "x" * 256}).status_code == 422
    assert "DOCTOR" not in roles_of(other.id)


# ---- doctor services ----------------------------------------------------------------------
def test_offer_create_defaults_uniqueness_and_refusals(client, owner_headers):
    doctor = make_doctor()
    service = make_service(services_price=450000)
    created = client.post("/api/doctor_services/create", headers=owner_headers, json={
        "id_doctors": doctor.id, "id_services": service.id})
    assert created.status_code == 200, created.get_json()
    offer = created.get_json()["doctor_services"]
    assert offer["custom_price"] == 450000 and offer["doctor_buffer_time"] == 0  # defaults
    assert offer["doctors"]["id"] == doctor.id and offer["services"]["id"] == service.id
    assert offer["is_active"] == 1
    twice = client.post("/api/doctor_services/create", headers=owner_headers, json={
        "id_doctors": doctor.id, "id_services": service.id, "custom_price": 1})
    assert twice.status_code == 422 and "id_services" in error_fields(twice)
    other = make_service(services_price=200000)
    zero = client.post("/api/doctor_services/create", headers=owner_headers, json={
        "id_doctors": str(doctor.id), "id_services": str(other.id), "custom_price": "0",
        "doctor_buffer_time": "15"}).get_json()["doctor_services"]
    assert zero["custom_price"] == 200000 and zero["doctor_buffer_time"] == 15
    for body, field in (({"custom_price": -1}, "custom_price"),
                        ({"doctor_buffer_time": -5}, "doctor_buffer_time"),
                        ({"doctor_buffer_time": 10000}, "doctor_buffer_time"),
                        ({"id_doctors": 999999}, "id_doctors"),
                        ({"id_services": 999999}, "id_services")):
        response = client.post("/api/doctor_services/create", headers=owner_headers, json={
            "id_doctors": doctor.id, "id_services": make_service().id, **body})
        assert response.status_code == 422 and field in error_fields(response), body
    gone = make_doctor(deleted_at=clinic_now())
    response = client.post("/api/doctor_services/create", headers=owner_headers, json={
        "id_doctors": gone.id, "id_services": make_service().id})
    assert response.status_code == 422 and "id_doctors" in error_fields(response)
    missing = client.post("/api/doctor_services/create", headers=owner_headers, json={})
    assert set(error_fields(missing)) >= {"id_doctors", "id_services"}


def test_offer_update_price_buffer_and_fixed_pair(client, owner_headers):
    service = make_service(services_price=300000)
    offer = make_offer(service=service, custom_price=350000)
    slot = make_slot(offer)
    response = client.put(f"/api/doctor_services/{offer.id}/update", headers=owner_headers,
                          json={"custom_price": 400000, "doctor_buffer_time": 20,
                                "is_active": 0})
    assert response.status_code == 200
    assert response.get_json()["doctor_services"]["custom_price"] == 400000
    assert fresh(DoctorSchedule, slot.id).custom_price == 400000  # the slots follow
    back = client.put(f"/api/doctor_services/{offer.id}/update", headers=owner_headers,
                      json={"custom_price": 0}).get_json()["doctor_services"]
    assert back["custom_price"] == 300000  # 0 means the service's price
    moved = client.put(f"/api/doctor_services/{offer.id}/update", headers=owner_headers,
                       json={"id_doctors": make_doctor().id})
    assert moved.status_code == 422 and "id_doctors" in error_fields(moved)
    same = client.put(f"/api/doctor_services/{offer.id}/update", headers=owner_headers,
                      json={"id_doctors": offer.id_doctors, "id_services": service.id,
                            "doctor_buffer_time": 5})
    assert same.status_code == 200
    assert client.put(f"/api/doctor_services/{offer.id}/update", headers=owner_headers,
                      json={"doctor_buffer_time": -1}).status_code == 422


def test_offer_lists_filters_and_visibility(client, auth, owner_headers):
    doctor = make_doctor()
    service = make_service(services_name="Chemical Peeling")
    active = make_offer(doctor, service)
    inactive = make_offer(doctor, is_active=False)
    make_offer()
    body = client.post("/api/doctor_services/explore?page=1&length=10", json={
        "id_doctors": doctor.id, "id_services": service.id, "is_active": 1}).get_json()
    assert [row["id"] for row in body["data"]] == [active.id]
    row = body["data"][0]
    assert row["doctors"] == user_of(doctor).users_fullname
    assert row["services_name"] == "Chemical Peeling"
    assert row["doctor_description"] == doctor.doctor_description
    public = client.post("/api/doctor_services/search", json={"id_doctors": doctor.id}).get_json()
    assert [row["id"] for row in public["doctor_services"]] == [active.id]
    staff_view = client.post("/api/doctor_services/search", headers=owner_headers,
                             json={"id_doctors": doctor.id}).get_json()
    assert {row["id"] for row in staff_view["doctor_services"]} == {active.id, inactive.id}
    assert client.get(f"/api/doctor_services/{inactive.id}").status_code == 404
    # an offer of an unavailable service is not shown to the public either
    make_offer(doctor, make_service(is_available=False))
    assert len(client.post("/api/doctor_services/search", json={
        "id_doctors": doctor.id}).get_json()["doctor_services"]) == 1
    table = client.post("/api/doctor_services/table", headers=owner_headers,
                        data={"draw": "1", "id_doctors": str(doctor.id)}).get_json()
    assert table["recordsFiltered"] == 3 and all(len(row) == 11 for row in table["data"])


def test_offer_delete_takes_unused_slots(client, owner_headers):
    offer = make_offer()
    slot_id = make_slot(offer).id
    assert client.delete(f"/api/doctor_services/{offer.id}/delete",
                         headers=owner_headers).get_json() == {"deleted": True}
    assert fresh(DoctorSchedule, slot_id) is None
    kept = fresh(DoctorService, offer.id)  # softly deleted: the row stays, not bookable
    assert kept.deleted_at is not None and kept.is_active is False
    assert client.get(f"/api/doctor_services/{offer.id}", headers=owner_headers).status_code == 404
    assert client.delete(f"/api/doctor_services/{offer.id}/delete",
                         headers=owner_headers).status_code == 404


def test_offer_used_by_past_appointments_is_deleted_softly_and_history_stays(
        client, auth, owner_headers):
    offer = make_offer(service=make_service(services_name="Peeling Lama", buffer_time=30))
    make_window(offer.doctor, hari="Senin", jam="09:00", jam_selesai="12:00")
    used = make_slot(offer, hari="Senin", jam="09:00")
    unused_id = make_slot(offer, hari="Senin", jam="10:00").id
    past = make_appointment(used, days_ahead=-10, status="DONE")
    response = client.delete(f"/api/doctor_services/{offer.id}/delete", headers=owner_headers)
    assert response.status_code == 200 and response.get_json() == {"deleted": True}
    # the used slot is closed and kept for the history, the unused one is gone
    assert fresh(DoctorSchedule, unused_id) is None
    assert fresh(DoctorSchedule, used.id).is_active is False
    # the past appointment keeps pointing at the offer, and answers as before
    assert fresh(Appointment, past.id).id_doctor_schedules == used.id
    history = client.get(f"/api/user_schedules/{past.id}", headers=owner_headers)
    assert history.status_code == 200, history.get_json()
    slot = history.get_json()["user_schedules"]["doctor_schedules"]
    assert slot["id"] == used.id and slot["services_name"] == "Peeling Lama"
    listed = client.post("/api/user_schedules/search", headers=owner_headers,
                         json={"id_patients": past.id_patients}).get_json()["user_schedules"]
    assert [row["services_name"] for row in listed] == ["Peeling Lama"]
    # gone from every list, staff's and the public's, and from the slots
    for headers in (owner_headers, {}):
        assert client.post("/api/doctor_services/search", headers=headers, json={
            "id_doctors": offer.id_doctors}).get_json() == {"doctor_services": []}
        assert client.post("/api/doctor_schedules/search", headers=headers, json={
            "id_doctors": offer.id_doctors}).get_json() == {"doctor_schedules": []}
        assert client.post("/api/doctors/search", headers=headers, json={
            "id_services": offer.id_services}).get_json()["doctors"] == []
    assert client.post("/api/doctor_services/table", headers=owner_headers,
                       data={"draw": "1"}).get_json()["recordsTotal"] == 0
    assert client.get(f"/api/doctor_schedules/{used.id}", headers=owner_headers).status_code == 404
    assert client.put(f"/api/doctor_schedules/{used.id}/activate",
                      headers=owner_headers).status_code == 404
    mine = client.get("/api/users/data", headers=auth.headers(user_of(offer.doctor))).get_json()
    assert mine["users"]["doctors"][0]["services"] == []
    # no new slot of it, and none to book
    generated = client.post("/api/doctor_schedules/generate", headers=owner_headers,
                            json={"id_doctors": offer.id_doctors}).get_json()
    assert generated == {"data": [], "generate": True}
    refused = client.post("/api/doctor_schedules/create", headers=owner_headers, json={
        "id_doctors": offer.id_doctors, "id_doctor_services": offer.id, "hari": "Selasa",
        "jam": "09:00"})
    assert refused.status_code == 422 and "id_doctor_services" in error_fields(refused)
    # the doctor may offer the service again: a new offer beside the deleted one
    again = client.post("/api/doctor_services/create", headers=owner_headers, json={
        "id_doctors": offer.id_doctors, "id_services": offer.id_services,
        "custom_price": 320000})
    assert again.status_code == 200, again.get_json()
    assert again.get_json()["doctor_services"]["id"] != offer.id
    twice = client.post("/api/doctor_services/create", headers=owner_headers, json={
        "id_doctors": offer.id_doctors, "id_services": offer.id_services})
    assert twice.status_code == 422


def test_offer_delete_is_refused_while_appointments_are_coming_up(client, owner_headers):
    offer = make_offer()
    make_appointment(make_slot(offer), days_ahead=3)
    refused = client.delete(f"/api/doctor_services/{offer.id}/delete", headers=owner_headers)
    assert refused.status_code == 409
    assert "janji mendatang" in refused.get_json()["exception"]["message"]
    kept = fresh(DoctorService, offer.id)
    assert kept.deleted_at is None and kept.is_active is True


# ---- practice windows (schedules) -----------------------------------------------------------
def test_window_create_times_and_days(client, owner_headers):
    doctor = make_doctor()
    response = client.post("/api/schedules/create", headers=owner_headers, json={
        "id_doctors": str(doctor.id), "hari": "senin", "jam": "08:00", "jam_selesai": "09:00"})
    assert response.status_code == 200, response.get_json()
    window = response.get_json()["schedules"]
    assert window["hari"] == "Senin" and window["jam"] == "08:00:00"
    assert window["jam_selesai"] == "09:00:00" and window["doctors"]["id"] == doctor.id
    assert set(window["doctors"]) >= {"id", "id_users", "id_services", "custom_price",
                                      "doctor_description", "availability_description",
                                      "is_active"}
    for body, field in (({"hari": "Senen"}, "hari"), ({"hari": ""}, "hari"),
                        ({"jam": "25:00"}, "jam"), ({"jam": "jam sembilan"}, "jam"),
                        ({"jam_selesai": "7"}, "jam_selesai"),
                        ({"jam": "10:00", "jam_selesai": "10:00"}, "jam_selesai"),
                        ({"jam": "11:00", "jam_selesai": "10:00"}, "jam_selesai"),
                        ({"id_doctors": 999999}, "id_doctors"),
                        ({"id_doctors": 10**15}, "id_doctors")):
        payload = {"id_doctors": doctor.id, "hari": "Selasa", "jam": "08:00",
                   "jam_selesai": "09:00", **body}
        refused = client.post("/api/schedules/create", headers=owner_headers, json=payload)
        assert refused.status_code == 422 and field in error_fields(refused), body
    missing = client.post("/api/schedules/create", headers=owner_headers, json={})
    assert set(error_fields(missing)) >= {"id_doctors", "hari", "jam", "jam_selesai"}


@pytest.mark.parametrize("start, end, overlaps", [
    ("09:00", "12:00", True),   # the same window
    ("10:00", "11:00", True),   # inside
    ("08:00", "13:00", True),   # covering
    ("08:00", "09:30", True),   # over the start
    ("11:30", "14:00", True),   # over the end
    ("08:00", "09:00", False),  # touching before
    ("12:00", "13:00", False),  # touching after
    ("13:00", "16:00", False),  # later that day
])
def test_window_overlap(client, owner_headers, start, end, overlaps):
    doctor = make_doctor()
    make_window(doctor, hari="Senin", jam="09:00", jam_selesai="12:00")
    response = client.post("/api/schedules/create", headers=owner_headers, json={
        "id_doctors": doctor.id, "hari": "Senin", "jam": start, "jam_selesai": end})
    if overlaps:
        assert response.status_code == 422
        error = response.get_json()["exception"]
        assert error["message"] == "Bertumpukan dengan jam praktik Senin 09:00–12:00."
        assert set(error["fields"]) == {"jam", "jam_selesai"}
    else:
        assert response.status_code == 200, response.get_json()


def test_window_overlap_is_per_doctor_and_day_and_update_excludes_itself(client, owner_headers):
    doctor = make_doctor()
    window = make_window(doctor, hari="Senin", jam="09:00", jam_selesai="12:00")
    later = make_window(doctor, hari="Senin", jam="16:00", jam_selesai="20:00")
    assert client.post("/api/schedules/create", headers=owner_headers, json={
        "id_doctors": doctor.id, "hari": "Selasa", "jam": "09:00",
        "jam_selesai": "12:00"}).status_code == 200
    assert client.post("/api/schedules/create", headers=owner_headers, json={
        "id_doctors": make_doctor().id, "hari": "Senin", "jam": "09:00",
        "jam_selesai": "12:00"}).status_code == 200
    wider = client.put(f"/api/schedules/{window.id}/update", headers=owner_headers,
                       json={"jam": "08:00", "jam_selesai": "13:00"})
    assert wider.status_code == 200 and wider.get_json()["schedules"]["jam"] == "08:00:00"
    into = client.put(f"/api/schedules/{window.id}/update", headers=owner_headers,
                      json={"jam_selesai": "17:00"})
    assert into.status_code == 422
    assert "Senin 16:00–20:00" in into.get_json()["exception"]["message"]
    moved = client.put(f"/api/schedules/{later.id}/update", headers=owner_headers,
                       json={"hari": "Rabu"})
    assert moved.status_code == 200 and moved.get_json()["schedules"]["hari"] == "Rabu"
    assert client.put(f"/api/schedules/{window.id}/update", headers=owner_headers,
                      json={"jam_selesai": "07:00"}).status_code == 422
    assert fresh(PracticeWindow, window.id).jam_selesai == time(13, 0)


def test_window_lists_and_filters(client, owner_headers):
    doctor = make_doctor()
    monday = make_window(doctor, hari="Senin", jam="08:00", jam_selesai="09:00")
    make_window(doctor, hari="Selasa")
    make_window(hari="Senin")
    body = client.post("/api/schedules/explore?page=1&length=10", json={
        "id_doctors": doctor.id, "hari": "Senin"}).get_json()
    assert [row["id"] for row in body["data"]] == [monday.id]
    assert body["data"][0] == {"id": monday.id, "id_doctors": doctor.id, "hari": "Senin",
                               "jam": "08:00:00", "jam_selesai": "09:00:00",
                               "doctors": user_of(doctor).users_fullname}
    both = client.post("/api/schedules/search", json={"id_doctors": doctor.id}).get_json()
    assert [row["hari"] for row in both["schedules"]] == ["Senin", "Selasa"]  # Monday first
    assert client.post("/api/schedules/search", json={"hari": "Jumuah"}).status_code == 422
    table = client.post("/api/schedules/table", data={"draw": "2", "hari": "Senin",
                                                      "id_doctors": str(doctor.id)}).get_json()
    assert table["data"] == [[monday.id, doctor.id, user_of(doctor).users_fullname, "Senin",
                              "08:00:00", "09:00:00"]]
    hidden = make_doctor(is_active=False)
    make_window(hidden)
    assert client.post("/api/schedules/search", json={
        "id_doctors": hidden.id}).get_json() == {"schedules": []}
    assert len(client.post("/api/schedules/search", headers=owner_headers, json={
        "id_doctors": hidden.id}).get_json()["schedules"]) == 1


def test_removing_or_shrinking_a_window_releases_its_slots(client, owner_headers):
    doctor = make_doctor()
    offer = make_offer(doctor, make_service(buffer_time=30), doctor_buffer_time=0)
    window = make_window(doctor, hari="Senin", jam="09:00", jam_selesai="11:00")
    make_window(doctor, hari="Senin", jam="16:00", jam_selesai="17:00")
    assert len(client.post("/api/doctor_schedules/generate", headers=owner_headers, json={
        "id_doctors": doctor.id}).get_json()["data"]) == 6  # 09:00…10:30 and 16:00, 16:30
    slots = {row.jam: row for row in db.session.execute(select(DoctorSchedule).where(
        DoctorSchedule.id_doctors == doctor.id)).scalars()}
    make_appointment(slots[time(10, 30)], days_ahead=-7, status="DONE")
    slot_at = {start: row.id for start, row in slots.items()}
    shrunk = client.put(f"/api/schedules/{window.id}/update", headers=owner_headers,
                        json={"jam_selesai": "10:00"})
    assert shrunk.status_code == 200
    db.session.expire_all()
    assert fresh(DoctorSchedule, slot_at[time(9, 30)]) is not None  # 09:30–10:00 still fits
    assert fresh(DoctorSchedule, slot_at[time(10, 0)]) is None  # removed
    assert fresh(DoctorSchedule, slot_at[time(10, 30)]).is_active is False  # booked: closed
    assert fresh(DoctorSchedule, slot_at[time(16, 0)]) is not None  # other window untouched
    assert client.delete(f"/api/schedules/{window.id}/delete",
                         headers=owner_headers).get_json() == {"deleted": True}
    left = {row.jam: row.is_active for row in db.session.execute(select(DoctorSchedule).where(
        DoctorSchedule.id_doctors == doctor.id)).scalars()}
    assert left == {time(10, 30): False, time(16, 0): True, time(16, 30): True}
    assert offer.id


# ---- slots (doctor_schedules) ---------------------------------------------------------------
def test_slot_create_rules_and_envelope(client, owner_headers):
    offer = make_offer(custom_price=275000)
    body = {"id_doctors": offer.id_doctors, "id_doctor_services": offer.id, "hari": "Senin",
            "jam": "17:00"}
    created = client.post("/api/doctor_schedules/create", headers=owner_headers, json=body)
    assert created.status_code == 200, created.get_json()
    slot = created.get_json()["doctor_schedules"]
    assert slot["hari"] == "Senin" and slot["jam"] == "17:00:00" and slot["is_active"] == 1
    assert slot["custom_price"] == 275000  # the offer's price
    assert slot["doctors"]["id"] == offer.id_doctors
    assert slot["doctor_services"]["id"] == offer.id
    assert set(slot["doctor_services"]) >= {"id", "id_doctors", "id_services", "doctors",
                                            "doctor_description", "availability_description",
                                            "services_name", "services_description",
                                            "custom_price", "doctor_buffer_time", "is_active"}
    assert slot["jam_selesai"] == "17:30:00"
    twice = client.post("/api/doctor_schedules/create", headers=owner_headers, json=body)
    assert twice.status_code == 422 and "jam" in error_fields(twice)
    foreign = client.post("/api/doctor_schedules/create", headers=owner_headers, json={
        **body, "id_doctor_services": make_offer().id})
    assert foreign.status_code == 422 and "id_doctor_services" in error_fields(foreign)
    for change, field in (({"hari": "Weekend"}, "hari"), ({"jam": "17.00"}, "jam"),
                          ({"custom_price": -1}, "custom_price"),
                          ({"id_doctor_services": 999999}, "id_doctor_services"),
                          ({"id_doctors": 999999}, "id_doctor_services")):
        response = client.post("/api/doctor_schedules/create", headers=owner_headers,
                               json={**body, "jam": "18:00", **change})
        assert response.status_code == 422 and field in error_fields(response), change
    priced = client.post("/api/doctor_schedules/create", headers=owner_headers, json={
        **body, "jam": "18:00", "custom_price": "300000"}).get_json()["doctor_schedules"]
    assert priced["custom_price"] == 300000


def test_slot_update_and_delete_respect_appointments(client, owner_headers):
    slot = make_slot(hari="Senin", jam="09:00")
    assert client.put(f"/api/doctor_schedules/{slot.id}/update", headers=owner_headers,
                      json={"jam": "09:30"}).status_code == 200
    make_appointment(fresh(DoctorSchedule, slot.id), days_ahead=4)
    moved = client.put(f"/api/doctor_schedules/{slot.id}/update", headers=owner_headers,
                       json={"jam": "10:00"})
    assert moved.status_code == 409 and fresh(DoctorSchedule, slot.id).jam == time(9, 30)
    assert client.put(f"/api/doctor_schedules/{slot.id}/update", headers=owner_headers,
                      json={"custom_price": 123000}).status_code == 200
    refused = client.delete(f"/api/doctor_schedules/{slot.id}/delete", headers=owner_headers)
    assert refused.status_code == 409 and "unactivate" in refused.get_json()["exception"][
        "message"]


def test_generate_answers_the_documented_list_and_is_idempotent(client, auth, owner_headers):
    doctor = make_doctor()
    consult = make_offer(doctor, make_service(buffer_time=30), doctor_buffer_time=10)
    make_offer(doctor, make_service(buffer_time=60), doctor_buffer_time=0, is_active=False)
    make_window(doctor, hari="Senin", jam="09:00", jam_selesai="11:00")
    make_window(doctor, hari="Rabu", jam="16:00", jam_selesai="17:00")
    response = client.post("/api/doctor_schedules/generate", headers=owner_headers,
                           json={"id_doctors": str(doctor.id)})
    assert response.status_code == 200
    body = response.get_json()
    assert set(body) == {"data", "generate"} and body["generate"] is True
    # 30 min + 10 min buffer: 09:00, 09:40, 10:20 (11:00 would end at 11:30) and 16:00, 16:40?
    # 16:40 + 30 = 17:10 > 17:00, so only 16:00; the inactive offer gets none
    assert body["data"] == [
        {"id_doctors": doctor.id, "id_services": consult.id_services, "day": "Senin",
         "open": "09:00"},
        {"id_doctors": doctor.id, "id_services": consult.id_services, "day": "Senin",
         "open": "09:40"},
        {"id_doctors": doctor.id, "id_services": consult.id_services, "day": "Senin",
         "open": "10:20"},
        {"id_doctors": doctor.id, "id_services": consult.id_services, "day": "Rabu",
         "open": "16:00"},
    ]
    again = client.post("/api/doctor_schedules/generate", headers=owner_headers,
                        json={"id_doctors": doctor.id})
    assert again.get_json() == {"data": [], "generate": True}
    assert db.session.query(DoctorSchedule).filter_by(id_doctors=doctor.id).count() == 4
    # the front desk and the doctor themselves may generate; others may not
    assert client.post("/api/doctor_schedules/generate", headers=auth.headers(make_user(
        roles=("USERS",))), json={"id_doctors": doctor.id}).status_code == 200
    assert client.post("/api/doctor_schedules/generate", headers=auth.headers(user_of(doctor)),
                       json={"id_doctors": doctor.id}).status_code == 200
    other = auth.headers(user_of(make_doctor()))
    assert client.post("/api/doctor_schedules/generate", headers=other,
                       json={"id_doctors": doctor.id}).status_code == 403
    assert client.post("/api/doctor_schedules/generate", headers=auth.headers(make_user()),
                       json={"id_doctors": doctor.id}).status_code == 403
    assert client.post("/api/doctor_schedules/generate",
                       json={"id_doctors": doctor.id}).status_code == 401


def test_generate_bad_input(client, owner_headers):
    gone = make_doctor(deleted_at=clinic_now())
    for body in ({}, {"id_doctors": ""}, {"id_doctors": "abc"}, {"id_doctors": True},
                 {"id_doctors": 999999}, {"id_doctors": 10**20}, {"id_doctors": gone.id},
                 {"id_doctors": [1]}):
        response = client.post("/api/doctor_schedules/generate", headers=owner_headers,
                               json=body)
        assert response.status_code == 422, (body, response.get_json())
        assert "id_doctors" in error_fields(response)
    for raw in ("", "[1]", "bukan json"):
        response = client.post("/api/doctor_schedules/generate", headers={
            **owner_headers, "Content-Type": "application/json"}, data=raw)
        assert response.status_code == 400, raw
    # nothing to cut: no windows or no offers
    assert client.post("/api/doctor_schedules/generate", headers=owner_headers, json={
        "id_doctors": make_doctor().id}).get_json() == {"data": [], "generate": True}


def test_activate_and_unactivate(client, auth, owner_headers):
    slot = make_slot()
    closed = client.put(f"/api/doctor_schedules/{slot.id}/unactivate", headers=owner_headers)
    assert closed.status_code == 200 and closed.get_json() == {"unactivate": True}
    assert fresh(DoctorSchedule, slot.id).is_active is False
    assert client.put(f"/api/doctor_schedules/{slot.id}/unactivate",
                      headers=owner_headers).get_json() == {"unactivate": True}  # idempotent
    # closed slots are for staff only
    assert client.get(f"/api/doctor_schedules/{slot.id}").status_code == 404
    assert client.post("/api/doctor_schedules/search", json={
        "id_doctors": slot.id_doctors}).get_json() == {"doctor_schedules": []}
    staff_rows = client.post("/api/doctor_schedules/search", headers=owner_headers, json={
        "id_doctors": slot.id_doctors, "is_active": 0}).get_json()["doctor_schedules"]
    assert [row["id"] for row in staff_rows] == [slot.id] and staff_rows[0]["is_active"] == 0
    opened = client.put(f"/api/doctor_schedules/{slot.id}/activate",
                        headers=auth.headers(user_of(fresh(Doctor, slot.id_doctors))))
    assert opened.get_json() == {"activate": True}
    assert fresh(DoctorSchedule, slot.id).is_active is True
    assert client.get(f"/api/doctor_schedules/{slot.id}").status_code == 200
    assert client.put("/api/doctor_schedules/999999/activate",
                      headers=owner_headers).status_code == 404
    assert client.put("/api/doctor_schedules/abc/unactivate",
                      headers=owner_headers).status_code == 404
    assert client.post(f"/api/doctor_schedules/{slot.id}/activate",
                       headers=owner_headers).status_code == 405
    assert client.put(f"/api/doctor_schedules/{slot.id}/activate").status_code == 401
    assert client.put(f"/api/doctor_schedules/{slot.id}/activate",
                      headers=auth.headers(make_user())).status_code == 403
    assert db.session.execute(select(Log).where(Log.action == "unactivate",
                                                Log.object_id == slot.id)).first()


def test_slot_lists_filters_and_public_view(client, owner_headers):
    category = make_service_category(service_categories="Konsultasi", codes="KNS")
    service = make_service(category, services_name="Konsultasi Kulit")
    offer = make_offer(service=service)
    monday = make_slot(offer, hari="Senin", jam="17:00")
    make_slot(offer, hari="Selasa", jam="17:00")
    make_slot(make_offer(offer.doctor), hari="Senin", jam="09:00")
    closed = make_slot(offer, hari="Senin", jam="18:00", is_active=False)
    body = client.post("/api/doctor_schedules/explore?page=1&length=10", json={
        "id_doctors": offer.id_doctors, "id_doctor_services": offer.id,
        "hari": "Senin"}).get_json()
    assert [row["id"] for row in body["data"]] == [monday.id]
    row = body["data"][0]
    assert row["services_name"] == "Konsultasi Kulit" and row["service_categories"] == "Konsultasi"
    assert row["doctors"] == user_of(offer.doctor).users_fullname and row["jam"] == "17:00:00"
    by_service = client.post("/api/doctor_schedules/search", headers=owner_headers, json={
        "id_services": service.id, "is_active": 1, "hari": "senin"}).get_json()
    assert [row["id"] for row in by_service["doctor_schedules"]] == [monday.id]
    all_monday = client.post("/api/doctor_schedules/search", headers=owner_headers, json={
        "id_doctors": offer.id_doctors, "hari": ["Senin"]}).get_json()["doctor_schedules"]
    assert len(all_monday) == 3 and closed.id in {row["id"] for row in all_monday}
    # Monday first, then by time
    week = client.post("/api/doctor_schedules/search", headers=owner_headers, json={
        "id_doctors": offer.id_doctors}).get_json()["doctor_schedules"]
    assert [(row["hari"], row["jam"]) for row in week] == [
        ("Senin", "09:00:00"), ("Senin", "17:00:00"), ("Senin", "18:00:00"),
        ("Selasa", "17:00:00")]
    # the public does not see slots of an inactive offer
    db.session.get(DoctorService, offer.id).is_active = False
    db.session.commit()
    assert client.post("/api/doctor_schedules/search", json={
        "id_doctor_services": offer.id}).get_json() == {"doctor_schedules": []}
    for bad in ({"id_services": "x"}, {"hari": 5}, {"is_active": "kadang"}):
        assert client.post("/api/doctor_schedules/search", json=bad).status_code == 422, bad


# ---- a doctor manages their own schedule only ----------------------------------------------
def test_doctor_manages_own_windows_and_slots_only(client, auth):
    mine = make_doctor()
    theirs = make_doctor()
    headers = auth.headers(user_of(mine))
    own_window = client.post("/api/schedules/create", headers=headers, json={
        "id_doctors": mine.id, "hari": "Kamis", "jam": "09:00", "jam_selesai": "12:00"})
    assert own_window.status_code == 200
    window_id = own_window.get_json()["schedules"]["id"]
    assert client.put(f"/api/schedules/{window_id}/update", headers=headers,
                      json={"jam_selesai": "13:00"}).status_code == 200
    moved_away = client.put(f"/api/schedules/{window_id}/update", headers=headers,
                            json={"id_doctors": theirs.id})
    assert moved_away.status_code == 403
    other_window = make_window(theirs)
    assert client.post("/api/schedules/create", headers=headers, json={
        "id_doctors": theirs.id, "hari": "Kamis", "jam": "09:00",
        "jam_selesai": "12:00"}).status_code == 403
    assert client.put(f"/api/schedules/{other_window.id}/update", headers=headers,
                      json={"jam": "08:00"}).status_code == 403
    assert client.delete(f"/api/schedules/{other_window.id}/delete",
                         headers=headers).status_code == 403
    # slots: own yes, with the offer's price only; not the price, not another doctor's
    offer = make_offer(mine)
    slot = client.post("/api/doctor_schedules/create", headers=headers, json={
        "id_doctors": mine.id, "id_doctor_services": offer.id, "hari": "Kamis", "jam": "09:00"})
    assert slot.status_code == 200
    priced = client.post("/api/doctor_schedules/create", headers=headers, json={
        "id_doctors": mine.id, "id_doctor_services": offer.id, "hari": "Kamis", "jam": "10:00",
        "custom_price": 1})
    assert priced.status_code == 403 and "custom_price" in error_fields(priced)
    their_slot = make_slot(make_offer(theirs))
    assert client.put(f"/api/doctor_schedules/{their_slot.id}/unactivate",
                      headers=headers).status_code == 403
    assert client.delete(f"/api/doctor_schedules/{their_slot.id}/delete",
                         headers=headers).status_code == 403
    # prices and the profile stay with the managers
    assert client.put(f"/api/doctor_services/{offer.id}/update", headers=headers,
                      json={"custom_price": 1}).status_code == 403
    assert client.put(f"/api/doctors/{mine.id}/update", headers=headers,
                      json={"custom_price": 1}).status_code == 403
    assert fresh(DoctorService, offer.id).custom_price == 300000
    # a DOCTOR account without a doctor record has no schedule of its own
    lone = auth.headers(make_user(roles=("DOCTOR",)))
    assert client.post("/api/schedules/create", headers=lone, json={
        "id_doctors": mine.id, "hari": "Jumat", "jam": "09:00",
        "jam_selesai": "10:00"}).status_code == 403


# ---- users/data -----------------------------------------------------------------------------
def test_users_data_shows_the_doctor_profile(client, auth):
    doctor = make_doctor(custom_price=225000)
    offer = make_offer(doctor, make_service(services_name="Acne Facial"), custom_price=350000,
                       doctor_buffer_time=15)
    body = client.get("/api/users/data", headers=auth.headers(user_of(doctor))).get_json()
    assert body["users"]["doctors"] == [{
        "id": doctor.id, "custom_price": 225000, "is_active": 1,
        "short_description": doctor.short_description,
        "availability_description": doctor.availability_description,
        "services": [{"id": offer.id, "id_services": offer.id_services,
                      "services_name": "Acne Facial", "custom_price": 350000,
                      "doctor_buffer_time": 15, "buffer_time": 30, "is_active": 1}]}]
    customer = client.get("/api/users/data", headers=auth.headers(make_user())).get_json()
    assert customer["users"]["doctors"] == []
    lone = client.get("/api/users/data", headers=auth.headers(make_user(
        roles=("DOCTOR",)))).get_json()
    assert lone["users"]["doctors"] == []


# ---- demo data ------------------------------------------------------------------------------
def test_demo_doctors_are_seeded_once(app, client):
    from services.demo import DEMO_PASSWORD

    runner = app.test_cli_runner()
    assert runner.invoke(args=["seed-demo"]).exit_code == 0

    def counts():
        db.session.expire_all()
        rows = tuple(db.session.query(model).count() for model in (
            Doctor, DoctorService, PracticeWindow, DoctorSchedule))
        return rows + (db.session.query(Log).filter(Log.object_type.in_(
            ("doctors", "doctor_services", "schedules", "doctor_schedules"))).count(),)

    before = counts()
    doctors = db.session.execute(select(Doctor)).scalars().all()
    names = {doctor.user.username for doctor in doctors}
    assert names == {"markusnr", "dr.sari", "dr.christian"}
    for doctor in doctors:
        assert doctor.user.has_role("DOCTOR")
        assert 2 <= len(doctor.offers) <= 4
        assert db.session.query(PracticeWindow).filter_by(id_doctors=doctor.id).count() >= 3
        assert db.session.query(DoctorSchedule).filter_by(id_doctors=doctor.id).count() > 10
    second = runner.invoke(args=["seed-demo"])
    assert "nothing new" in second.output
    assert counts() == before  # not even an audit entry of ours
    login = client.post("/api/users/login", json={"username": "dr.sari",
                                                  "password": DEMO_PASSWORD})
    assert login.status_code == 200 and "DOCTOR" in login.get_json()["roles"]
    assert User.query.filter_by(username="dr.christian").one().users_fullname.startswith("dr.")
