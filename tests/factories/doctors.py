"""Factories of doctors, the services they offer, practice windows and bookable slots.

make_doctor(user=None, **kw)          a doctor (a new DOCTOR account unless `user` is given)
make_offer(doctor=None, service=None, **kw)   a doctor's service (30 min, Rp 300.000, 10 min buffer)
make_window(doctor=None, hari="Senin", jam="09:00", jam_selesai="12:00", **kw)
make_slot(offer=None, hari="Senin", jam="09:00", **kw)   a slot of an offer's doctor
"""
import itertools
from datetime import datetime, time

from models import Doctor, DoctorSchedule, DoctorService, PracticeWindow, Role, User, db

from . import FACTORIES, VALID_CREATE
from .accounts import make_user
from .treatments import make_service

_counter = itertools.count(1)


def _time(value):
    """A time from "HH:MM" or a time."""
    if isinstance(value, time):
        return value
    return datetime.strptime(value, "%H:%M").time()


def make_doctor(user=None, **kw):
    """A doctor linked to `user` (given the DOCTOR role) or to a new DOCTOR account."""
    number = next(_counter)
    if user is None:
        user = make_user(roles=("DOCTOR",), users_fullname=f"dr. Dokter {number} SpKK")
    elif not user.has_role("DOCTOR"):
        user.roles.append(Role(rolecodes="DOCTOR"))
    values = {"id_users": user.id, "custom_price": 250000,
              "doctor_description": "<p>Spesialis Dermatologi dan Venereologi</p>",
              "availability_description": "Senin, Rabu, Jumat",
              "short_description": "Sp.DV", "is_active": True}
    values.update(kw)
    doctor = Doctor(**values)
    db.session.add(doctor)
    db.session.commit()
    return doctor


def make_offer(doctor=None, service=None, **kw):
    """A service offered by a doctor (a new doctor and a new 30-minute service by default)."""
    doctor = doctor or make_doctor()
    service = service or make_service(buffer_time=30)
    values = {"id_doctors": doctor.id, "id_services": service.id, "custom_price": 300000,
              "doctor_buffer_time": 10, "is_active": True}
    values.update(kw)
    offer = DoctorService(**values)
    db.session.add(offer)
    db.session.commit()
    return offer


def make_window(doctor=None, hari="Senin", jam="09:00", jam_selesai="12:00", **kw):
    """A practice window (a new doctor by default, so windows never overlap)."""
    doctor = doctor or make_doctor()
    window = PracticeWindow(id_doctors=doctor.id, hari=hari, jam=_time(jam),
                            jam_selesai=_time(jam_selesai), **kw)
    db.session.add(window)
    db.session.commit()
    return window


def make_slot(offer=None, hari="Senin", jam="09:00", **kw):
    """A bookable slot of an offer's doctor (a new offer by default)."""
    offer = offer or make_offer()
    values = {"id_doctors": offer.id_doctors, "id_doctor_services": offer.id, "hari": hari,
              "jam": _time(jam), "custom_price": offer.custom_price, "is_active": True}
    values.update(kw)
    slot = DoctorSchedule(**values)
    db.session.add(slot)
    db.session.commit()
    return slot


def user_of(doctor) -> User:
    """The account of a doctor."""
    return db.session.get(User, doctor.id_users)


FACTORIES.update({"doctors": make_doctor, "doctor_services": make_offer,
                  "schedules": make_window, "doctor_schedules": make_slot})


def _valid_slot():
    offer = make_offer()
    return {"id_doctors": str(offer.id_doctors), "id_doctor_services": str(offer.id),
            "custom_price": "300000", "hari": "Senin", "jam": "17:00"}


VALID_CREATE.update({
    "doctors": lambda: {"id_users": str(make_user(roles=("USERS",)).id),
                        "id_services": str(make_service().id), "custom_price": "300000",
                        "doctor_description": "<p>Spesialis kulit</p>",
                        "availability_description": "Senin, Rabu",
                        "short_description": "Sp.KK", "is_active": 1},
    "doctor_services": lambda: {"id_doctors": str(make_doctor().id),
                                "id_services": str(make_service().id),
                                "custom_price": "300000", "doctor_buffer_time": "15"},
    "schedules": lambda: {"id_doctors": str(make_doctor().id), "hari": "Senin", "jam": "08:00",
                          "jam_selesai": "09:00"},
    "doctor_schedules": _valid_slot,
})
