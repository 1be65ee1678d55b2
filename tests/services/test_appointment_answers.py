"""The availability and timeline answers, read the fast way (services/appointments/reading.py:
few narrow rows, texts parsed once, names from small lookups), are exactly what the plain
way gives: the straightforward ORM reading of the same rules below is the reference, on a
clinic with overlapping services, every status, a holiday, a slot too soon, inactive and
deleted offers, a client with a picture and a patient without one. And the number of
statements does not grow with the doctors, their slots or the appointments."""
from datetime import datetime, time, timedelta

import pytest
from sqlalchemy import String, cast, select, text
from sqlalchemy.orm import selectinload

from models import (Appointment, Doctor, DoctorSchedule, DoctorService, Service, clinic_now,
                    db)
from services.appointments import availability as availability_module
from services.appointments import queries
from services.appointments.reading import items_by
from services.appointments.statuses import LIVE
from services.format import day_text, weekday_name
from services.treatments.holidays import holidays_between
from services.uploads import public_url
from tests.conftest import count_queries, make_user
from tests.factories.appointments import make_appointment, make_clinic, make_patient_of
from tests.factories.treatments import make_holiday, make_service

DAYS_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


# ---- the reference: the plain ORM reading of the same rules ------------------------------------
def reference_availability(app, now, doctor_id=None, service_id=None):
    """Every active slot of bookable offers, per date of the window, less holidays, slots
    starting before now + the notice and slots a live appointment overlaps."""
    stmt = (select(DoctorSchedule)
            .join(DoctorService, DoctorService.id == DoctorSchedule.id_doctor_services)
            .join(Doctor, Doctor.id == DoctorSchedule.id_doctors)
            .join(Service, Service.id == DoctorService.id_services)
            .options(selectinload(DoctorSchedule.offer).selectinload(DoctorService.service)
                     .selectinload(Service.category),
                     selectinload(DoctorSchedule.doctor).selectinload(Doctor.user))
            .where(DoctorSchedule.is_active.is_(True), DoctorService.is_active.is_(True),
                   Doctor.is_active.is_(True), Doctor.deleted_at.is_(None),
                   Service.is_available.is_(True), Service.deleted_at.is_(None))
            .order_by(DoctorSchedule.jam, DoctorSchedule.id))
    if doctor_id is not None:
        stmt = stmt.where(DoctorSchedule.id_doctors == doctor_id)
    if service_id is not None:
        stmt = stmt.where(DoctorService.id_services == service_id)
    slots = db.session.execute(stmt).scalars().all()
    dates = [now.date() + timedelta(days=n) for n in range(app.config["BOOKING_WINDOW_DAYS"])]
    closed = holidays_between(dates[0], dates[-1])
    taken = {}
    for appointment in db.session.execute(
            select(Appointment).options(selectinload(Appointment.service))
            .where(Appointment.tanggal >= dates[0], Appointment.tanggal <= dates[-1],
                   Appointment.status.in_(LIVE))).scalars():
        begins = datetime.combine(appointment.tanggal, appointment.jam)
        taken.setdefault((appointment.id_doctors, appointment.tanggal), []).append(
            (begins, begins + timedelta(minutes=appointment.service.buffer_time)))
    earliest = now + timedelta(minutes=app.config["BOOKING_MIN_NOTICE_MINUTES"])
    answer = []
    for day in dates:
        if day in closed:
            continue
        free = []
        for slot in slots:
            if slot.hari != weekday_name(day):
                continue
            begins = datetime.combine(day, slot.jam)
            ends = begins + timedelta(minutes=slot.offer.service.buffer_time)
            if begins < earliest or any(begins < taken_end and taken_begin < ends for
                                        taken_begin, taken_end in taken.get((slot.id_doctors, day), [])):
                continue
            service = slot.offer.service
            free.append({
                "id": slot.id, "id_services": service.id, "id_doctors": slot.id_doctors,
                "id_doctor_services": slot.id_doctor_services, "hari": slot.hari,
                "jam": slot.jam.strftime("%H:%M:%S"), "services_name": service.services_name,
                "service_categories": service.category.service_categories
                if service.category else None,
                "doctors": slot.doctor.user.users_fullname,
                "custom_price": slot.offer.custom_price,
                "jam_mulai": begins.strftime("%H:%M"), "jam_selesai": ends.strftime("%H:%M")})
        if free:
            answer.append({"schedule": day.isoformat(), "schedule_format": day_text(day),
                           "day_id": weekday_name(day), "day_en": DAYS_EN[day.weekday()],
                           "doctors": free, "schedule_array": [d.isoformat() for d in dates]})
    return answer


def reference_timeline(date_from, date_to, actor, doctor_id=None):
    """Every appointment the actor sees between the dates as an event, by date, time, id."""
    stmt = (select(Appointment).options(
        selectinload(Appointment.service), selectinload(Appointment.patient),
        selectinload(Appointment.user), selectinload(Appointment.doctor).selectinload(Doctor.user))
            .where(Appointment.tanggal >= date_from, Appointment.tanggal <= date_to)
            .order_by(Appointment.tanggal, Appointment.jam, Appointment.id))
    if doctor_id is not None:
        stmt = stmt.where(Appointment.id_doctors == doctor_id)
    events = []
    for appointment in db.session.execute(queries.scope_appointments(stmt, actor)).scalars():
        begins = datetime.combine(appointment.tanggal, appointment.jam)
        ends = begins + timedelta(minutes=appointment.service.buffer_time)
        doctor_user = appointment.doctor.user
        events.append({
            "title": doctor_user.users_fullname, "start": begins.isoformat(),
            "end": ends.isoformat(),
            "extendedProps": {
                "id": appointment.id, "start": begins.isoformat(), "end": ends.isoformat(),
                "client": appointment.user.users_fullname if appointment.user else "",
                "patients": appointment.patient.nama_lengkap_pasien,
                "reschedule_counts": appointment.reschedule_counts,
                "status": appointment.status, "custom_price": appointment.custom_price,
                "digisoft_invoice_numbers": appointment.digisoft_invoice_numbers,
                "users_picture_url": public_url("users", appointment.user.users_picture)
                if appointment.user else "",
                "doctors_picture_url": public_url("users", doctor_user.users_picture),
                "id_doctors": appointment.id_doctors, "id_patients": appointment.id_patients},
            "description": appointment.service.services_name})
    return events


# ---- the clinic ---------------------------------------------------------------------------------
@pytest.fixture
def busy(monkeypatch):
    """Three doctors on tomorrow's weekday, one of them also today (its early slots too soon);
    a 90-minute service overlapping later slots, every status, a holiday in a week, an
    inactive slot, an inactive offer and a deleted service; a client with a picture."""
    now = clinic_now().replace(hour=10, minute=5, second=0)
    monkeypatch.setattr(availability_module, "clinic_now", lambda: now)
    today, tomorrow = now.date(), now.date() + timedelta(days=1)
    starts = (time(9, 0), time(9, 30), time(10, 0), time(10, 30), time(11, 0), time(11, 20, 30))
    first = make_clinic(day=tomorrow, starts=starts, duration=30)
    long_one = make_service(buffer_time=90, id_service_categories=None)
    long_offer = DoctorService(id_doctors=first["doctor"].id, id_services=long_one.id,
                               custom_price=450000)
    db.session.add(long_offer)
    db.session.flush()
    db.session.add_all([DoctorSchedule(id_doctors=first["doctor"].id,
                                       id_doctor_services=long_offer.id, hari=weekday_name(day),
                                       jam=time(13, 0), custom_price=1, is_active=True)
                        for day in (today, tomorrow)])
    db.session.commit()
    second = make_clinic(day=tomorrow, starts=starts[:4], duration=45)
    third = make_clinic(day=today, starts=(time(9, 0), time(11, 0), time(15, 0)))
    pictured = make_user(roles=("CUSTOMER",), users_fullname="Stephen",
                         users_picture="stephen.jpg")
    # texts the database writes into JSON (the timeline's packed rows) and orjson reads back
    odd = make_patient_of(None, nama_lengkap_pasien='Siti "Ani" \\ O\'Neil\tñ 😀 \u00e9\n')
    second["doctor_user"].users_picture = "dokter.png"
    third["slots"][1].is_active = False
    db.session.commit()
    # tomorrow: the long service at 09:00 takes 09:00–10:30 of the first doctor; a cancelled,
    # a done and an arrived one; a patient of no account; the second doctor busy at 09:30
    make_appointment(first, day=tomorrow, id_services=long_one.id,
                     patient=make_patient_of(pictured))
    make_appointment(first, slot=first["slots"][4], day=tomorrow, status="CANCEL")
    make_appointment(first, slot=first["slots"][5], day=tomorrow, status="DONE")
    make_appointment(second, slot=second["slots"][1], day=tomorrow, status="ARRIVED",
                     patient=make_patient_of(None), reschedule_counts=2)
    make_appointment(second, slot=second["slots"][3], day=tomorrow + timedelta(days=7),
                     status="RESCHEDULE", reschedule_counts=1)
    make_appointment(second, slot=second["slots"][0], day=tomorrow, status="DONE", patient=odd,
                     digisoft_invoice_numbers="INV/2026/\"01\"")
    make_appointment(third, slot=third["slots"][2], day=today)
    make_holiday(dates=today + timedelta(days=7))  # the third doctor's next week is closed
    inactive = make_clinic(day=tomorrow, starts=(time(8, 0),))
    inactive["offer"].is_active = False
    gone = make_clinic(day=tomorrow, starts=(time(8, 0),))
    gone["service"].deleted_at = now
    db.session.commit()
    return {"now": now, "today": today, "tomorrow": tomorrow, "first": first, "second": second,
            "third": third, "long": long_one, "office": make_user(roles=("USERS",))}


def test_availability_is_the_reference_answer(app, busy):
    first, second, third = busy["first"], busy["second"], busy["third"]
    for doctor_id, service_id in ((None, None), (first["doctor"].id, None),
                                  (None, busy["long"].id), (second["doctor"].id, None),
                                  (third["doctor"].id, third["service"].id)):
        expected = reference_availability(app, busy["now"], doctor_id, service_id)
        assert availability_module.availability(doctor_id, service_id) == expected, \
            (doctor_id, service_id)
    everyone = availability_module.availability()
    tomorrow = next(day for day in everyone if day["schedule"] == busy["tomorrow"].isoformat())
    starts = {(slot["id_doctors"], slot["jam_mulai"]) for slot in tomorrow["doctors"]}
    # the long one (09:00–10:30) takes the first doctor's 09:00 … 10:00; 11:00 is free again
    # (cancelled), so is 11:20 (done); the arrived one holds the second doctor's 09:30 (45 min)
    assert {(first["doctor"].id, "10:30"), (first["doctor"].id, "11:00"),
            (first["doctor"].id, "11:20")} <= starts
    assert not starts & {(first["doctor"].id, "09:00"), (first["doctor"].id, "10:00"),
                         (second["doctor"].id, "09:30"), (second["doctor"].id, "10:00")}
    today = next(day for day in everyone if day["schedule"] == busy["today"].isoformat())
    # today: 09:00 is before now + the notice; 11:00 is inactive; 15:00 is taken
    assert {(slot["id_doctors"], slot["jam_mulai"]) for slot in today["doctors"]} == {
        (first["doctor"].id, "13:00")}
    assert all(day["schedule"] != (busy["today"] + timedelta(days=7)).isoformat()
               for day in everyone)  # the holiday


def test_the_endpoint_answers_the_reference(app, client, busy):
    response = client.post("/api/user_schedules/check/doctor/availability",
                           json={"id_doctors": busy["first"]["doctor"].id})
    assert response.get_json() == reference_availability(app, busy["now"],
                                                         busy["first"]["doctor"].id)


def test_timeline_is_the_reference_answer(busy):
    first_day = busy["today"] - timedelta(days=1)
    office, doctor_user = busy["office"], busy["second"]["doctor_user"]
    for actor, doctor_id, days in ((office, None, 7), (office, busy["first"]["doctor"].id, 42),
                                   (doctor_user, None, 42)):
        last_day = first_day + timedelta(days=days - 1)
        expected = reference_timeline(first_day, last_day, actor, doctor_id)
        assert expected, actor
        assert queries.timeline(first_day, last_day, actor, doctor_id) == expected
    events = queries.timeline(first_day, first_day + timedelta(days=6), office)
    pictured = next(event for event in events if event["extendedProps"]["client"] == "Stephen")
    assert pictured["extendedProps"]["users_picture_url"].endswith("/uploads/users/stephen.jpg")
    assert pictured["end"] == f"{busy['tomorrow'].isoformat()}T10:30:00"  # 90 minutes
    odd = next(event for event in events if "Ani" in event["extendedProps"]["patients"])
    assert odd["extendedProps"]["patients"] == 'Siti "Ani" \\ O\'Neil\tñ 😀 é\n'
    assert odd["extendedProps"]["digisoft_invoice_numbers"] == 'INV/2026/"01"'
    no_account = next(event for event in events if event["extendedProps"]["status"] == "ARRIVED")
    assert no_account["extendedProps"]["client"] == ""
    assert no_account["extendedProps"]["doctors_picture_url"].endswith("/users/dokter.png")


def test_users_data_next_appointments_are_the_reference_events(busy):
    appointment = db.session.execute(select(Appointment).where(
        Appointment.id_services == busy["long"].id)).scalar_one()
    client = appointment.user  # Stephen, whose patient it is
    expected = [event for event in reference_timeline(
        busy["today"], busy["today"] + timedelta(days=30), busy["office"])
        if event["extendedProps"]["id"] == appointment.id]
    assert queries.upcoming_for_client(client) == expected


# ---- the number of statements -------------------------------------------------------------------
def _statements(read) -> int:
    db.session.expire_all()
    with count_queries() as statements:
        read()
    return len(statements)


def test_statements_do_not_grow_with_doctors_slots_or_appointments(app):
    tomorrow = clinic_now().date() + timedelta(days=1)
    office = make_user(roles=("USERS",))
    reads = {
        "availability": lambda: availability_module.availability(),
        "availability of a service": lambda: availability_module.availability(
            None, clinics[0]["service"].id),
        "timeline": lambda: queries.timeline(tomorrow, tomorrow + timedelta(days=6), office),
        "users/data events": lambda: queries.upcoming_for_client(office),
    }

    def grow(count, starts):
        for _ in range(count):
            clinic = make_clinic(day=tomorrow, starts=starts)
            clinics.append(clinic)
            for slot in clinic["slots"][::2]:
                make_appointment(clinic, slot=slot, day=tomorrow)

    clinics = []
    grow(2, (time(9, 0), time(10, 0)))
    few = {name: _statements(read) for name, read in reads.items()}
    assert len(availability_module.availability()[0]["doctors"]) >= 2
    grow(18, tuple(time(8 + n // 4, n % 4 * 15) for n in range(24)))
    many = {name: _statements(read) for name, read in reads.items()}
    assert len(queries.timeline(tomorrow, tomorrow + timedelta(days=6), office)) == 2 + 18 * 12
    assert many == few, (few, many)


# ---- items joined by the database, and when a server cuts them short ------------------------------
def test_items_by_reads_each_item_again_when_a_group_comes_back_short(busy):
    keys = (Appointment.id_doctors, Appointment.tanggal)
    plain = items_by(keys, cast(Appointment.id, String))
    assert sum(len(items) for items in plain.values()) == db.session.scalar(
        select(db.func.count()).select_from(Appointment))
    # an item holding the separator splits into more pieces than the group's rows: read again
    joined = items_by(keys, cast(Appointment.id, String) + ";,x")
    assert {key: sorted(items) for key, items in joined.items()} == {
        key: sorted(f"{item};,x" for item in items) for key, items in plain.items()}


def test_a_small_group_concat_max_len_changes_no_answer(app, busy):
    if db.engine.dialect.name not in ("mysql", "mariadb"):
        pytest.skip("group_concat_max_len is a MariaDB/MySQL setting")
    expected = availability_module.availability()
    connection = db.session.connection()
    try:
        for cut in (4, 12, 30):  # inside the first item, after it, further on
            connection.execute(text(f"SET SESSION group_concat_max_len = {cut}"))
            assert availability_module.availability() == expected, cut
    finally:
        connection.execute(text("SET SESSION group_concat_max_len = DEFAULT"))
