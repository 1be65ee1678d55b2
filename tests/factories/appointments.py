"""Factories of appointments (user_schedules), and of the doctors, slots and patients they
need (created directly with the models, independent of the doctors and patients features)."""
import itertools
from datetime import date, time, timedelta

from models import (DAYS, Appointment, Doctor, DoctorSchedule, DoctorService, Patient,
                    PracticeWindow, clinic_now, db)
from services.appointments.slots import slot_key

from . import FACTORIES, VALID_CREATE
from .accounts import make_user
from .treatments import make_service

_counter = itertools.count(1)


def booking_day(offset: int = 2) -> date:
    """A date `offset` days from the clinic's today (2: inside the booking window, beyond
    the minimum notice)."""
    return clinic_now().date() + timedelta(days=offset)


def make_clinic(day: date | None = None, starts=(time(9, 0), time(10, 0), time(11, 0)),
                duration: int = 30, buffer: int = 10, price: int = 275000, doctor_user=None,
                service=None, window=(time(9, 0), time(12, 0)), **doctor_kw):
    """A doctor (with a DOCTOR account) offering one service, practising in `window` on the
    weekday of `day` (default: the day after tomorrow), with a slot at each of `starts`.

    Returns a dict: doctor, doctor_user, service, offer, window, slots, day."""
    day = day or booking_day()
    number = next(_counter)
    doctor_user = doctor_user or make_user(roles=("DOCTOR",),
                                           users_fullname=f"dr. Dokter {number} SpKK")
    service = service or make_service(services_name=f"Konsultasi {number}", buffer_time=duration)
    doctor = Doctor(id_users=doctor_user.id, custom_price=price, **doctor_kw)
    db.session.add(doctor)
    db.session.flush()
    offer = DoctorService(id_doctors=doctor.id, id_services=service.id, custom_price=price,
                          doctor_buffer_time=buffer)
    window = PracticeWindow(id_doctors=doctor.id, hari=DAYS[day.weekday()], jam=window[0],
                            jam_selesai=window[1])
    db.session.add_all([offer, window])
    db.session.flush()
    slots = [DoctorSchedule(id_doctors=doctor.id, id_doctor_services=offer.id,
                            hari=DAYS[day.weekday()], jam=start, custom_price=price,
                            is_active=True) for start in starts]
    db.session.add_all(slots)
    db.session.commit()
    return {"doctor": doctor, "doctor_user": doctor_user, "service": service, "offer": offer,
            "window": window, "slots": slots, "day": day}


NEW_CUSTOMER = object()


def make_patient_of(user=NEW_CUSTOMER, **kw):
    """A patient linked to `user` (a new customer by default; None: linked to no account)."""
    number = next(_counter)
    user = make_user(roles=("CUSTOMER",)) if user is NEW_CUSTOMER else user
    values = {"id_users": user.id if user else None,
              "nama_lengkap_pasien": f"Pasien {number}", "no_handphone": f"0812000{number:05d}",
              "jenis_kelamin": "P", "patient_external_id": f"RM-{number:05d}"}
    values.update(kw)
    patient = Patient(**values)
    db.session.add(patient)
    db.session.commit()
    return patient


def make_appointment(clinic=None, slot=None, patient=None, day=None, status="BOOKING", **kw):
    """An appointment written directly (any status, any date — past ones too); a live one
    holds its slot key, a cancelled one does not."""
    clinic = clinic or make_clinic(day=day)
    slot = slot or clinic["slots"][0]
    patient = patient or make_patient_of()
    day = day or clinic["day"]
    values = {"id_doctors": slot.id_doctors, "id_services": clinic["service"].id,
              "id_doctor_schedules": slot.id, "id_patients": patient.id,
              "id_users": patient.id_users, "custom_price": slot.custom_price,
              "hari": slot.hari, "jam": slot.jam, "tanggal": day, "status": status,
              "slot_key": None if status == "CANCEL" else slot_key(slot.id_doctors, day, slot.jam)}
    if status == "CANCEL":
        values.update(cancel_reason="Pasien berhalangan", cancelled_at=clinic_now())
    if status in ("ARRIVED", "DONE"):
        values["arrived_at"] = clinic_now()
    if status == "DONE":
        values.update(done_at=clinic_now(), digisoft_invoice_numbers=f"INV/{day:%Y}/{slot.id:04d}")
    values.update(kw)
    appointment = Appointment(**values)
    db.session.add(appointment)
    db.session.commit()
    return appointment


def valid_booking_body(clinic=None, patient=None, slot_index=0):
    """A create body as the mobile app sends it (numbers as strings, dd/mm/yyyy)."""
    clinic = clinic or make_clinic()
    patient = patient or make_patient_of()
    slot = clinic["slots"][slot_index]
    return {"id_doctors": str(clinic["doctor"].id), "id_services": str(clinic["service"].id),
            "id_doctor_schedules": str(slot.id), "custom_price": "0", "hari": slot.hari,
            "jam": slot.jam.strftime("%H:%M"), "tanggal": clinic["day"].strftime("%d/%m/%Y"),
            "id_users": str(patient.id_users), "id_patients": str(patient.id)}


FACTORIES.update({"user_schedules": lambda: make_appointment(status="CANCEL")})
VALID_CREATE.update({"user_schedules": valid_booking_body})
