"""Demo doctors, the services they offer, practice windows and bookable slots.

Three doctors: the demo account "markusnr" (already a DOCTOR) and two new doctor accounts
(password services.demo.DEMO_PASSWORD). Each offers some of the demo services (looked up by
name from services/demo/treatments.py; a missing one is skipped), practises on some days of
the week, and has the slots generate_slots cuts from that. Running it again adds only what is
missing (a doctor or an offer the clinic deleted, or a window it moved, is left alone)."""
from datetime import time

from sqlalchemy import func, select

from models import (DAYS, Department, Doctor, DoctorSchedule, DoctorService, PracticeWindow, Role,
                    Service, User, UserDepartment, db)
from services.accounts.operations import hash_password
from services.appointments.slots import generate_slots
from services.doctors.queries import overlapping_window

MORNING, EVENING = (time(9, 0), time(12, 0)), (time(16, 0), time(20, 0))

DOCTORS = [
    {"username": "markusnr", "fullname": "Markus Nahesson SpKK", "email": None, "phone": None,
     "short": "Spesialis Kulit dan Kelamin",
     "profile": "<p><strong>Spesialis Kulit dan Kelamin (Sp.KK).</strong> Berpengalaman menangani "
                "jerawat, flek hitam dan tindakan bedah kulit minor.</p>",
     "price": 250_000,
     "services": [("Konsultasi Dokter Spesialis Kulit", 250_000, 10),
                  ("Chemical Peeling Salicylic (Jerawat)", 600_000, 15),
                  ("Laser Q-Switch Flek Hitam", 1_750_000, 15),
                  ("Eksisi Tahi Lalat dan Skin Tag", 750_000, 15)],
     # the demo doctor practises every day, so "Hari ini" shows their own day whenever
     # the demo is opened: mornings and evenings Mon/Wed/Fri, evenings Tue/Thu/Sat, Sunday
     # mornings
     "windows": [(day, *hours) for day in ("Senin", "Rabu", "Jumat")
                 for hours in (MORNING, EVENING)]
     + [(day, *EVENING) for day in ("Selasa", "Kamis", "Sabtu")] + [("Minggu", *MORNING)]},
    {"username": "dr.sari", "fullname": "dr. Sari Wulandari SpDVE",
     "email": "dr.sari@colederma.local", "phone": "081381461203",
     "short": "Spesialis Dermatologi, Venereologi dan Estetika",
     "profile": "<p><strong>Spesialis Dermatologi, Venereologi dan Estetika (Sp.DVE).</strong> "
                "Fokus pada kulit anak dan estetika injeksi.</p>",
     "price": 300_000,
     "services": [("Konsultasi Dokter Spesialis Kulit", 300_000, 10),
                  ("Konsultasi Kulit Anak", 300_000, 10),
                  ("Injeksi Botulinum Toxin", 3_500_000, 15),
                  ("Filler Hyaluronic Acid", 4_500_000, 15)],
     "windows": [("Selasa", time(10, 0), time(14, 0)), ("Kamis", time(10, 0), time(14, 0)),
                 ("Kamis", time(16, 0), time(19, 0)), ("Sabtu", time(9, 0), time(13, 0))]},
    {"username": "dr.christian", "fullname": "dr. Christian Samuel SpKK",
     "email": "dr.christian@colederma.local", "phone": "081381461204",
     "short": "Spesialis Kulit dan Kelamin, laser dan peeling",
     "profile": "<p><strong>Spesialis Kulit dan Kelamin (Sp.KK).</strong> Menangani bekas "
                "jerawat dengan laser dan peeling medium.</p>",
     "price": 250_000,
     "services": [("Konsultasi Dokter Spesialis Kulit", 250_000, 10),
                  ("Laser CO2 Fractional Bekas Jerawat", 2_500_000, 30),
                  ("TCA Peeling", 900_000, 15)],
     "windows": [("Senin", time(13, 0), time(17, 0)), ("Rabu", time(13, 0), time(17, 0)),
                 ("Jumat", time(13, 0), time(16, 0)), ("Minggu", time(10, 0), time(15, 0))]},
]


def _availability(windows) -> str:
    """The practice days as the app shows them: Senin, Rabu, Jumat."""
    days = {day for day, _start, _end in windows}
    return ", ".join(day for day in DAYS if day in days)


def _account(spec, added):
    """The doctor's user account (created with the DOCTOR role when missing), or None."""
    from . import DEMO_PASSWORD

    user = db.session.execute(select(User).where(
        func.lower(User.username) == spec["username"].lower())).scalars().first()
    if user is not None and user.deleted_at is not None:
        return None  # the clinic removed this account
    if user is None:
        if spec["email"] is None:
            return None  # an account the core demo makes; not there, so no doctor
        user = User(username=spec["username"], users_fullname=spec["fullname"],
                    users_email=spec["email"], users_phone=spec["phone"],
                    users_address="Bandung, Indonesia", positions="Dokter Spesialis",
                    password_hash=hash_password(DEMO_PASSWORD))
        user.roles = [Role(rolecodes="DOCTOR", descriptions="dokter")]
        department = db.session.execute(select(Department).where(
            Department.department_codes == "DOK")).scalars().first()
        if department is not None:
            user.departments = [UserDepartment(id_departments=department.id,
                                               descriptions="Init new users")]
        db.session.add(user)
        db.session.flush()
        added["users"] = added.get("users", 0) + 1
    if not user.has_role("DOCTOR"):
        user.roles.append(Role(rolecodes="DOCTOR", descriptions="dokter"))
    return user


def _doctor(spec, user, added):
    """The doctor row of the account (None when the clinic deleted it)."""
    doctor = db.session.execute(select(Doctor).where(
        Doctor.id_users == user.id)).scalars().first()
    if doctor is not None:
        return doctor if doctor.deleted_at is None else None
    doctor = Doctor(id_users=user.id, custom_price=spec["price"],
                    doctor_description=spec["profile"], short_description=spec["short"],
                    availability_description=_availability(spec["windows"]), is_active=True)
    db.session.add(doctor)
    db.session.flush()
    added["doctors"] += 1
    return doctor


def _offers(spec, doctor, added) -> int:
    """Add the missing offers of the demo services; returns how many were added."""
    new = 0
    for name, price, buffer in spec["services"]:
        service = db.session.execute(select(Service).where(
            Service.services_name == name, Service.deleted_at.is_(None))).scalars().first()
        if service is None:
            continue  # the clinic renamed or removed this service
        if db.session.execute(select(DoctorService.id).where(
                DoctorService.id_doctors == doctor.id,
                DoctorService.id_services == service.id)).first():
            continue
        db.session.add(DoctorService(id_doctors=doctor.id, id_services=service.id,
                                     custom_price=price, doctor_buffer_time=buffer,
                                     is_active=True))
        new += 1
    db.session.flush()
    added["doctor_services"] += new
    return new


def _windows(spec, doctor, added) -> int:
    """Add the missing practice windows (never one overlapping the clinic's own)."""
    new = 0
    for day, start, end in spec["windows"]:
        if overlapping_window(doctor.id, day, start, end) is not None:
            continue  # already there, or the clinic set other hours
        db.session.add(PracticeWindow(id_doctors=doctor.id, hari=day, jam=start,
                                      jam_selesai=end))
        new += 1
    db.session.flush()
    added["schedules"] += new
    return new


def seed(added: dict) -> None:
    """Add what is missing of this part of the demo data; count new rows in `added`."""
    for key in ("doctors", "doctor_services", "schedules", "doctor_schedules"):
        added.setdefault(key, 0)
    for spec in DOCTORS:
        user = _account(spec, added)
        if user is None:
            continue
        doctor = _doctor(spec, user, added)
        if doctor is None:
            continue
        changed = _offers(spec, doctor, added) + _windows(spec, doctor, added)
        if changed or not _has(DoctorSchedule, doctor):
            if _has(PracticeWindow, doctor) and _has(DoctorService, doctor):
                added["doctor_schedules"] += len(generate_slots(doctor, None))


def _has(model, doctor) -> bool:
    """True when the doctor has a row of this model."""
    return db.session.execute(select(model.id).where(
        model.id_doctors == doctor.id).limit(1)).first() is not None
