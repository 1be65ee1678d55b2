"""Reading appointments: who sees which (visibility), the free slots of the booking window
(availability), the timeline of FullCalendar events, users/data's next appointments, and
what the booking form looks up (a doctor's offers, free slots of a date, patients)."""
from datetime import date, datetime, timedelta

from flask import current_app
from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from models import (Appointment, Doctor, DoctorSchedule, DoctorService, Patient, PracticeWindow,
                    Service, User, clinic_now, db)
from services.access import has_doctor_role, is_office, own_doctor_ids
from services.accounts.operations import user_data_part
from services.appointments.slots import duration_of
from services.appointments.statuses import LIVE
from services.engine.filters import contains
from services.errors import Forbidden, Invalid
from services.format import day_text, weekday_name
from services.treatments.holidays import holidays_between
from services.uploads import public_url

DAYS_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
TIMELINE_MAX_DAYS = 366  # the document's own timeline example asks for eleven months
UPCOMING_LIMIT = 10  # users/data next_appointments


# ---- who sees which ----------------------------------------------------------------------
def client_condition(user):
    """Appointments a user has as a client: booked by them or for patients linked to them."""
    patient_ids = select(Patient.id).where(Patient.id_users == user.id)
    return (Appointment.id_users == user.id) | Appointment.id_patients.in_(patient_ids)


def scope_appointments(stmt, actor):
    """Appointments an actor may see: the office all; a doctor those with them; anyone
    their own as a client (a doctor who is also a customer sees both)."""
    if actor is None:
        raise Forbidden()
    if is_office(actor):
        return stmt
    condition = client_condition(actor)
    if has_doctor_role(actor):
        condition = condition | Appointment.id_doctors.in_(own_doctor_ids(actor))
    return stmt.where(condition)


# ---- availability ------------------------------------------------------------------------
def _bookable_slots(doctor_id=None, service_id=None):
    """Active slots of active offers of live doctors and services, by start time."""
    stmt = (select(DoctorSchedule).join(DoctorService, DoctorService.id == DoctorSchedule.id_doctor_services)
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
    return db.session.execute(stmt).scalars().all()


def _taken_times(first: date, last: date) -> dict:
    """(doctor, date) -> [(begins, ends)] of the live appointments between two dates."""
    taken = {}
    for appointment in db.session.execute(
            select(Appointment).options(selectinload(Appointment.service))
            .where(Appointment.tanggal >= first, Appointment.tanggal <= last,
                   Appointment.status.in_(LIVE))).scalars():
        begins = datetime.combine(appointment.tanggal, appointment.jam)
        taken.setdefault((appointment.id_doctors, appointment.tanggal), []).append(
            (begins, begins + timedelta(minutes=appointment.service.buffer_time)))
    return taken


def _free_slot(slot: DoctorSchedule, begins: datetime, ends: datetime) -> dict:
    """One free slot as the availability answer lists it."""
    service = slot.offer.service
    return {"id": slot.id, "id_services": service.id, "id_doctors": slot.id_doctors,
            "id_doctor_services": slot.id_doctor_services, "hari": slot.hari,
            "jam": slot.jam.strftime("%H:%M:%S"), "services_name": service.services_name,
            "service_categories": service.category.service_categories if service.category else None,
            "doctors": slot.doctor.user.users_fullname, "custom_price": slot.offer.custom_price,
            "jam_mulai": begins.strftime("%H:%M"), "jam_selesai": ends.strftime("%H:%M")}


def availability(doctor_id=None, service_id=None, days=None, today: date | None = None):
    """Free slots for the next `days` days (documented shape), leaving out holidays, past
    and booked (or overlapped) slots. Runs a fixed number of queries."""
    config = current_app.config
    days = days or config["BOOKING_WINDOW_DAYS"]
    now = clinic_now()
    today = today or now.date()
    dates = [today + timedelta(days=offset) for offset in range(days)]
    slots = _bookable_slots(doctor_id, service_id)
    closed = holidays_between(dates[0], dates[-1])
    taken = _taken_times(dates[0], dates[-1])
    earliest = now + timedelta(minutes=config["BOOKING_MIN_NOTICE_MINUTES"])
    schedule_array = [day.isoformat() for day in dates]
    answer = []
    for day in dates:
        if day in closed:
            continue
        free = []
        for slot in slots:
            if slot.hari != weekday_name(day):
                continue
            begins = datetime.combine(day, slot.jam)
            ends = begins + timedelta(minutes=duration_of(slot))
            if begins < earliest or any(begins < taken_end and taken_begin < ends for
                                        taken_begin, taken_end in taken.get((slot.id_doctors, day), [])):
                continue
            free.append(_free_slot(slot, begins, ends))
        if free:
            answer.append({"schedule": day.isoformat(), "schedule_format": day_text(day),
                           "day_id": weekday_name(day), "day_en": DAYS_EN[day.weekday()],
                           "doctors": free, "schedule_array": schedule_array})
    return answer


def check_doctor_and_service(doctor_id, service_id):
    """Refuse (422) an unknown or deleted doctor or service asked for by id."""
    problems = {}
    if doctor_id is not None:
        doctor = db.session.get(Doctor, doctor_id) if 0 < doctor_id else None
        if doctor is None or doctor.deleted_at is not None:
            problems["id_doctors"] = "Dokter tidak ditemukan."
    if service_id is not None:
        service = db.session.get(Service, service_id) if 0 < service_id else None
        if service is None or service.deleted_at is not None:
            problems["id_services"] = "Layanan tidak ditemukan."
    if problems:
        raise Invalid(fields=problems)


# ---- the timeline ------------------------------------------------------------------------
EVENT_LOADS = (selectinload(Appointment.service), selectinload(Appointment.patient),
               selectinload(Appointment.user),
               selectinload(Appointment.doctor).selectinload(Doctor.user))


def event_of(appointment: Appointment) -> dict:
    """One appointment as a FullCalendar event (end = start + the service's duration)."""
    begins = datetime.combine(appointment.tanggal, appointment.jam)
    ends = begins + timedelta(minutes=appointment.service.buffer_time)
    doctor_user = appointment.doctor.user
    extended = {
        "id": appointment.id, "start": begins.isoformat(), "end": ends.isoformat(),
        "client": appointment.user.users_fullname if appointment.user else "",
        "patients": appointment.patient.nama_lengkap_pasien,
        "reschedule_counts": appointment.reschedule_counts, "status": appointment.status,
        "custom_price": appointment.custom_price,
        "digisoft_invoice_numbers": appointment.digisoft_invoice_numbers,
        "users_picture_url": public_url("users", appointment.user.users_picture)
        if appointment.user else "",
        "doctors_picture_url": public_url("users", doctor_user.users_picture),
        "id_doctors": appointment.id_doctors, "id_patients": appointment.id_patients,
    }
    return {"title": doctor_user.users_fullname, "start": begins.isoformat(),
            "end": ends.isoformat(), "extendedProps": extended,
            "description": appointment.service.services_name}


def check_timeline_range(date_from: date, date_to: date):
    """Refuse a reversed or too long range."""
    if date_to < date_from:
        raise Invalid(fields={"date_to": "Harus sama dengan atau sesudah date_from."})
    if (date_to - date_from).days + 1 > TIMELINE_MAX_DAYS:
        raise Invalid(fields={"date_to": f"Rentang paling panjang {TIMELINE_MAX_DAYS} hari."})


def timeline(date_from: date, date_to: date, actor, doctor_id=None) -> list[dict]:
    """FullCalendar events of the appointments the actor may see between two dates (both
    included, at most TIMELINE_MAX_DAYS), optionally of one doctor."""
    check_timeline_range(date_from, date_to)
    stmt = (select(Appointment).options(*EVENT_LOADS)
            .where(Appointment.tanggal >= date_from, Appointment.tanggal <= date_to)
            .order_by(Appointment.tanggal, Appointment.jam))
    if doctor_id is not None:
        stmt = stmt.where(Appointment.id_doctors == doctor_id)
    return [event_of(row) for row in db.session.execute(scope_appointments(stmt, actor)).scalars()]


# ---- one clinic day ("Hari ini") ---------------------------------------------------------
DAY_LOADS = (joinedload(Appointment.service), joinedload(Appointment.patient),
             joinedload(Appointment.doctor).joinedload(Doctor.user))


def day_appointments(actor, day: date, doctor_id=None) -> list[Appointment]:
    """The appointments of one clinic day, by doctor and time, in one query: the office sees
    every doctor's (or one doctor's, `doctor_id`), a doctor who is not office staff only
    their own (not even those they booked as a customer)."""
    if actor is None:
        raise Forbidden()
    stmt = (select(Appointment).options(*DAY_LOADS)
            .join(Doctor, Doctor.id == Appointment.id_doctors)
            .join(User, User.id == Doctor.id_users)
            .where(Appointment.tanggal == day)
            .order_by(User.users_fullname, Doctor.id, Appointment.jam, Appointment.id))
    if is_office(actor):
        if doctor_id is not None:
            stmt = stmt.where(Appointment.id_doctors == doctor_id)
    elif has_doctor_role(actor):
        stmt = stmt.where(Appointment.id_doctors.in_(own_doctor_ids(actor)))
    else:
        raise Forbidden()
    return list(db.session.execute(stmt).unique().scalars())


def upcoming_for_client(user, limit: int = UPCOMING_LIMIT) -> list[dict]:
    """The user's own upcoming live appointments (booked by them or for their linked
    patients), soonest first, as events — for users/data, whatever roles the user holds."""
    now = clinic_now()
    stmt = (select(Appointment).options(*EVENT_LOADS)
            .where(Appointment.status.in_(LIVE), Appointment.tanggal >= now.date(),
                   client_condition(user))
            .order_by(Appointment.tanggal, Appointment.jam).limit(limit + 20))
    events = [event_of(row) for row in db.session.execute(stmt).scalars()]
    return [event for event in events if event["end"] > now.isoformat()][:limit]


@user_data_part
def next_appointments(user) -> dict:
    """users/data: the user's upcoming live appointments (booked by them or for the patients
    linked to them), soonest first, as timeline events."""
    return {"next_appointments": upcoming_for_client(user, UPCOMING_LIMIT)}


# ---- what the booking form looks up ------------------------------------------------------
def doctor_offers(doctor_id) -> list[DoctorService]:
    """The active services a doctor offers (with their service), by service name."""
    if not doctor_id:
        return []
    return db.session.execute(
        select(DoctorService).options(selectinload(DoctorService.service))
        .join(Service, Service.id == DoctorService.id_services)
        .where(DoctorService.id_doctors == doctor_id, DoctorService.is_active.is_(True),
               Service.deleted_at.is_(None), Service.is_available.is_(True))
        .order_by(Service.services_name)).scalars().all()


def free_slots_on(doctor_id, service_id, day: date | None) -> tuple[list[dict], list[str]]:
    """Free slots of a doctor and service on one date, and the dates (ISO) of the booking
    window that still have a free slot, from availability()."""
    if not doctor_id or not service_id:
        return [], []
    days = availability(doctor_id, service_id)
    free = next((entry["doctors"] for entry in days if day and entry["schedule"] == day.isoformat()),
                [])
    return free, [entry["schedule"] for entry in days]


def _minute_of_day(clock: str) -> int:
    """Minutes since midnight of an HH:MM text."""
    hours, minutes = clock[:5].split(":")
    return int(hours) * 60 + int(minutes)


def nearest_slot(free: list[dict], at: str | None) -> dict | None:
    """The free slot at or nearest a clock time (HH:MM): one running at that time, else the
    one starting closest to it (on a tie the later one, the time clicked comes first)."""
    if not free or not at:
        return None
    moment = _minute_of_day(at)
    running = [slot for slot in free
               if _minute_of_day(slot["jam_mulai"]) <= moment < _minute_of_day(slot["jam_selesai"])]
    if running:
        return running[0]
    return min(free, key=lambda slot: (abs(_minute_of_day(slot["jam_mulai"]) - moment),
                                       -_minute_of_day(slot["jam_mulai"])))


def nearest_free_slot(doctor_id, day: date | None, at: str | None) -> dict | None:
    """The free slot of a doctor (of any doctor when none is given), of any service they
    offer, on a date at or nearest a clock time — what a click in the calendar preselects."""
    if day is None or not at:
        return None
    entry = next((entry for entry in availability(doctor_id or None)
                  if entry["schedule"] == day.isoformat()), None)
    return nearest_slot(entry["doctors"], at) if entry else None


def find_patients(text: str, limit: int = 8) -> list[Patient]:
    """Live patients whose name, mobile number or external id contains the text."""
    text = (text or "").strip()[:100]
    if len(text) < 2:
        return []
    return db.session.execute(
        select(Patient).where(Patient.deleted_at.is_(None), or_(
            contains(Patient.nama_lengkap_pasien, text), contains(Patient.no_handphone, text),
            contains(Patient.patient_external_id, text)))
        .order_by(Patient.nama_lengkap_pasien).limit(limit)).scalars().all()


def live_patient(patient_id) -> Patient | None:
    """The patient with this id unless deleted (None for no id)."""
    patient = db.session.get(Patient, patient_id) if patient_id else None
    return patient if patient is not None and patient.deleted_at is None else None


def calendar_hours() -> tuple[str, str]:
    """The hours the calendar shows: 07:00–21:00, widened to every practice window."""
    earliest, latest = db.session.execute(
        select(func.min(PracticeWindow.jam), func.max(PracticeWindow.jam_selesai))).one()
    start = min(earliest.hour, 7) if earliest else 7
    end = max(latest.hour + (1 if latest.minute else 0), 21) if latest else 21
    return f"{start:02d}:00:00", f"{min(end, 24):02d}:00:00"


__all__ = ["TIMELINE_MAX_DAYS", "availability", "calendar_hours", "check_doctor_and_service",
           "check_timeline_range", "client_condition", "day_appointments", "doctor_offers",
           "event_of",
           "find_patients", "free_slots_on", "live_patient", "nearest_free_slot", "nearest_slot",
           "next_appointments", "scope_appointments", "timeline", "upcoming_for_client"]
