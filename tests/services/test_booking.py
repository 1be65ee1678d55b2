"""The booking rules, the appointment workflow and availability (services/appointments:
slots, operations, queries)."""
import threading
from datetime import date, time, timedelta

import pytest
from sqlalchemy import select

from models import (DAYS, Appointment, Doctor, DoctorSchedule, DoctorService, Holiday, Patient,
                    PracticeWindow, Service, clinic_now, db)
from services.appointments import operations as booking, queries
from services.appointments.slots import generate_slots
from services.errors import Conflict, Forbidden, Invalid
from tests.conftest import make_user


def next_weekday(weekday: int, after: date | None = None) -> date:
    """The first date strictly after `after` (default today) falling on `weekday`."""
    day = (after or clinic_now().date()) + timedelta(days=1)
    while day.weekday() != weekday:
        day += timedelta(days=1)
    return day


@pytest.fixture
def clinic():
    """A doctor offering a 30-minute service with a 10-minute buffer, practising 09–12 on
    the weekday of the day after tomorrow, slots generated; a customer with a patient."""
    staff = make_user(roles=("ADMIN", "USERS"))
    doctor_user = make_user(roles=("DOCTOR",), users_fullname="dr. Markus SpKK")
    service = Service(services_name="Konsultasi Kulit", services_price=250000, buffer_time=30)
    db.session.add(service)
    db.session.flush()
    doctor = Doctor(id_users=doctor_user.id, custom_price=250000)
    db.session.add(doctor)
    db.session.flush()
    offer = DoctorService(id_doctors=doctor.id, id_services=service.id, custom_price=275000,
                          doctor_buffer_time=10)
    day = clinic_now().date() + timedelta(days=2)
    window = PracticeWindow(id_doctors=doctor.id, hari=DAYS[day.weekday()], jam=time(9, 0),
                            jam_selesai=time(12, 0))
    db.session.add_all([offer, window])
    customer = make_user(roles=("CUSTOMER",))
    patient = Patient(id_users=customer.id, nama_lengkap_pasien="Rita Ambar")
    db.session.add(patient)
    db.session.commit()
    created = generate_slots(doctor, staff)
    slots = db.session.execute(select(DoctorSchedule).order_by(DoctorSchedule.jam)).scalars().all()
    return {"staff": staff, "doctor": doctor, "service": service, "offer": offer, "day": day,
            "customer": customer, "patient": patient, "slots": slots, "created": created}


def request(clinic, slot=None, day=None, **extra):
    slot = slot or clinic["slots"][0]
    return {"id_doctor_schedules": slot.id, "id_doctors": clinic["doctor"].id,
            "id_services": clinic["service"].id, "id_patients": clinic["patient"].id,
            "tanggal": day or clinic["day"], **extra}


def test_generate_cuts_windows_by_duration_plus_buffer(clinic):
    starts = [slot.jam for slot in clinic["slots"]]
    # 30 min service + 10 min buffer, must end by 12:00: 09:00, 09:40, 10:20, 11:00 (11:40 ends 12:10)
    assert starts == [time(9, 0), time(9, 40), time(10, 20), time(11, 0)]
    assert [item["open"] for item in clinic["created"]] == ["09:00", "09:40", "10:20", "11:00"]
    assert generate_slots(clinic["doctor"], clinic["staff"]) == []  # idempotent


def test_customer_books_with_the_doctors_price(clinic):
    appointment = booking.book_appointment(clinic["customer"], request(clinic, custom_price=1))
    assert appointment.status == "BOOKING" and appointment.custom_price == 275000
    assert appointment.id_users == clinic["customer"].id
    assert appointment.slot_key == f"{clinic['doctor'].id}|{clinic['day'].isoformat()}|09:00"


def test_staff_may_set_a_custom_price(clinic):
    appointment = booking.book_appointment(clinic["staff"], request(clinic, custom_price=100000))
    assert appointment.custom_price == 100000 and appointment.id_users == clinic["customer"].id


def test_double_booking_is_refused(clinic):
    booking.book_appointment(clinic["customer"], request(clinic))
    with pytest.raises(Conflict):
        booking.book_appointment(clinic["staff"], request(clinic))


def test_wrong_weekday_past_holiday_and_window_are_refused(app, clinic):
    with pytest.raises(Invalid, match="Beberapa") as wrong_day:
        booking.book_appointment(clinic["customer"], request(clinic, day=clinic["day"] + timedelta(days=1)))
    assert "tanggal" in wrong_day.value.fields
    with pytest.raises(Invalid):
        booking.book_appointment(clinic["customer"], request(clinic, day=clinic["day"] - timedelta(days=7)))
    far = clinic["day"] + timedelta(days=21)
    with pytest.raises(Invalid) as too_far:
        booking.book_appointment(clinic["customer"], request(clinic, day=far))
    assert "15 hari" in too_far.value.fields["tanggal"]
    db.session.add(Holiday(dates=clinic["day"], descriptions="Libur"))
    db.session.commit()
    with pytest.raises(Conflict, match="libur"):
        booking.book_appointment(clinic["customer"], request(clinic))


def test_minimum_notice(data_app, clinic):
    app = data_app  # these calls run in the test's own app context
    app.config["BOOKING_MIN_NOTICE_MINUTES"] = 4 * 24 * 60
    try:
        with pytest.raises(Invalid) as refused:
            booking.book_appointment(clinic["customer"], request(clinic))
    finally:
        app.config["BOOKING_MIN_NOTICE_MINUTES"] = 60
    assert "menit sebelumnya" in refused.value.fields["tanggal"]


def test_slot_must_match_doctor_service_and_time(clinic):
    with pytest.raises(Invalid):
        booking.book_appointment(clinic["customer"], request(clinic, id_doctors=clinic["doctor"].id + 99))
    with pytest.raises(Invalid):
        booking.book_appointment(clinic["customer"], request(clinic, id_services=clinic["service"].id + 99))
    with pytest.raises(Invalid):
        booking.book_appointment(clinic["customer"], request(clinic, jam=time(13, 0)))
    clinic["slots"][0].is_active = False
    db.session.commit()
    with pytest.raises(Conflict):
        booking.book_appointment(clinic["customer"], request(clinic))


def test_customer_books_only_for_own_patients(clinic):
    stranger = make_user(roles=("CUSTOMER",))
    with pytest.raises(Forbidden):
        booking.book_appointment(stranger, request(clinic))


def test_overlapping_slot_of_another_service_is_refused(clinic):
    long_service = Service(services_name="Laser", services_price=900000, buffer_time=90)
    db.session.add(long_service)
    db.session.flush()
    offer = DoctorService(id_doctors=clinic["doctor"].id, id_services=long_service.id,
                          custom_price=900000)
    db.session.add(offer)
    db.session.commit()
    generate_slots(clinic["doctor"], clinic["staff"])
    laser_nine = db.session.execute(select(DoctorSchedule).where(
        DoctorSchedule.id_doctor_services == offer.id, DoctorSchedule.jam == time(9, 0))).scalar_one()
    booking.book_appointment(clinic["staff"], request(
        clinic, slot=laser_nine, id_services=long_service.id))
    with pytest.raises(Conflict, match="sudah memiliki janji"):
        booking.book_appointment(clinic["customer"], request(clinic, slot=clinic["slots"][1]))


def test_workflow_reschedule_cancel_arrive_done(app, clinic):
    appointment = booking.book_appointment(clinic["customer"], request(clinic))
    flow = booking.AppointmentFlow(appointment, clinic["customer"])
    flow.reschedule(clinic["slots"][1].id, clinic["day"])
    assert appointment.status == "RESCHEDULE" and appointment.reschedule_counts == 1
    assert appointment.jam == time(9, 40)
    # the old slot is free again
    other = booking.book_appointment(clinic["staff"], request(clinic))
    with pytest.raises(Conflict):  # not on the day yet
        booking.AppointmentFlow(other, clinic["staff"]).arrive()
    with pytest.raises(Conflict):  # done needs ARRIVED
        booking.AppointmentFlow(other, clinic["staff"]).done("INV-1")
    with pytest.raises(Invalid):
        booking.AppointmentFlow(other, clinic["staff"]).cancel("  ")
    booking.AppointmentFlow(other, clinic["staff"]).cancel("Pasien sakit")
    assert other.status == "CANCEL" and other.slot_key is None
    with pytest.raises(Conflict):
        booking.AppointmentFlow(other, clinic["staff"]).reschedule(clinic["slots"][2].id, clinic["day"])
    again = booking.book_appointment(clinic["customer"], request(clinic))  # freed by the cancel
    assert again.status == "BOOKING"


def test_reschedule_into_a_slot_taken_meanwhile_is_a_conflict(app, clinic, monkeypatch):
    """The overlap check and the write are not atomic: when another booking takes the slot
    in between, the unique slot key decides, and the answer is a 409, not an integrity
    error raised by an autoflush of the audit or the notifications."""
    first = booking.book_appointment(clinic["customer"], request(clinic))
    second = booking.book_appointment(clinic["staff"], request(clinic, slot=clinic["slots"][1]))
    monkeypatch.setattr(booking, "check_overlap", lambda *args, **kwargs: None)  # the race
    with pytest.raises(Conflict) as refused:
        booking.AppointmentFlow(second, clinic["staff"]).reschedule(clinic["slots"][0].id,
                                                                    clinic["day"])
    assert refused.value.fields == {"id_doctor_schedules": "Slot sudah terisi."}
    db.session.rollback()
    assert db.session.get(Appointment, second.id).status == "BOOKING"
    assert db.session.get(Appointment, first.id).status == "BOOKING"


def test_reschedule_limit(data_app, clinic):
    app = data_app
    app.config["RESCHEDULE_LIMIT"] = 2
    try:
        appointment = booking.book_appointment(clinic["customer"], request(clinic))
        flow = booking.AppointmentFlow(appointment, clinic["customer"])
        flow.reschedule(clinic["slots"][1].id, clinic["day"])
        flow.reschedule(clinic["slots"][2].id, clinic["day"])
        with pytest.raises(Conflict, match="Batas"):
            flow.reschedule(clinic["slots"][3].id, clinic["day"])
    finally:
        app.config["RESCHEDULE_LIMIT"] = 3


def test_arrived_and_done_on_the_day(clinic):
    appointment = booking.book_appointment(clinic["customer"], request(clinic))
    appointment.tanggal = clinic_now().date()  # as if the day has come
    db.session.commit()
    booking.AppointmentFlow(appointment, clinic["staff"]).arrive()
    with pytest.raises(Invalid):
        booking.AppointmentFlow(appointment, clinic["staff"]).done("")
    booking.AppointmentFlow(appointment, clinic["staff"]).done("INV-2026-0001")
    assert appointment.status == "DONE" and appointment.digisoft_invoice_numbers == "INV-2026-0001"
    with pytest.raises(Conflict):
        booking.AppointmentFlow(appointment, clinic["staff"]).cancel("terlambat")


def test_availability_leaves_out_booked_and_holiday_slots(clinic):
    day = clinic["day"]
    before = queries.availability(clinic["doctor"].id, clinic["service"].id)
    entry = next(item for item in before if item["schedule"] == day.isoformat())
    assert [slot["jam_mulai"] for slot in entry["doctors"]] == ["09:00", "09:40", "10:20", "11:00"]
    assert entry["doctors"][0]["jam_selesai"] == "09:30"
    assert entry["day_id"] == DAYS[day.weekday()] and entry["schedule_format"] == day.strftime("%d/%m/%Y")
    assert len(entry["schedule_array"]) == 15
    booking.book_appointment(clinic["customer"], request(clinic))
    after = queries.availability(clinic["doctor"].id, clinic["service"].id)
    entry = next(item for item in after if item["schedule"] == day.isoformat())
    assert [slot["jam_mulai"] for slot in entry["doctors"]] == ["09:40", "10:20", "11:00"]
    db.session.add(Holiday(dates=day, descriptions="Libur"))
    db.session.commit()
    assert all(item["schedule"] != day.isoformat()
               for item in queries.availability(clinic["doctor"].id, clinic["service"].id))


def test_timeline_events(clinic):
    appointment = booking.book_appointment(clinic["customer"], request(clinic))
    events = queries.timeline(clinic["day"], clinic["day"], clinic["staff"])
    assert len(events) == 1
    event = events[0]
    assert event["title"] == "dr. Markus SpKK" and event["description"] == "Konsultasi Kulit"
    assert event["start"] == f"{clinic['day'].isoformat()}T09:00:00"
    assert event["end"] == f"{clinic['day'].isoformat()}T09:30:00"
    assert event["extendedProps"]["id"] == appointment.id
    assert event["extendedProps"]["patients"] == "Rita Ambar"
    stranger = make_user(roles=("CUSTOMER",))
    assert queries.timeline(clinic["day"], clinic["day"], stranger) == []
    assert len(queries.timeline(clinic["day"], clinic["day"], clinic["customer"])) == 1


def test_concurrent_booking_of_one_slot(app, data_app, clinic):
    """Twenty threads book the same slot: one wins, the rest get a Conflict, nothing else."""
    if db.engine.dialect.name == "sqlite":
        pytest.skip("the race needs a server database (MariaDB in make test)")
    payload = request(clinic)
    staff_id, results = clinic["staff"].id, []
    barrier = threading.Barrier(20)

    def attempt():
        with app.app_context():
            from models import User
            actor = db.session.get(User, staff_id)
            barrier.wait(timeout=30)
            try:
                booking.book_appointment(actor, dict(payload))
                results.append("ok")
            except Conflict:
                results.append("conflict")
            except Exception as exc:  # noqa: BLE001 - any other outcome fails the test
                results.append(repr(exc))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=attempt, daemon=True) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(results) == ["conflict"] * 19 + ["ok"]
    db.session.rollback()
    assert len(db.session.execute(select(Appointment)).scalars().all()) == 1
