"""Reading appointments: who sees which (visibility), the free slots of the booking window
(availability, from availability.py), the timeline of FullCalendar events, users/data's next
appointments, and what the booking form looks up (a doctor's offers, free slots of a date,
patients)."""
from datetime import date, datetime, time, timedelta

import orjson

from sqlalchemy import func, or_, select, union_all
from sqlalchemy.orm import aliased, joinedload, selectinload

from models import (Appointment, Doctor, DoctorService, Patient, PracticeWindow, Service, User,
                    clinic_now, db)
from services.access import has_doctor_role, is_office, own_doctor_ids
from services.accounts.operations import user_data_part
from services.appointments.availability import availability
from services.appointments.reading import (as_text, day_of, packed, packed_texts, plain_rows,
                                           seconds_of)
from services.appointments.statuses import LIVE
from services.engine.filters import contains
from services.errors import Forbidden, Invalid
from services.uploads import public_url

UPCOMING_LIMIT = 10  # users/data next_appointments


# ---- who sees which ----------------------------------------------------------------------
def client_condition(user):
    """Appointments a user has as a client: booked by them or for patients linked to them."""
    return Appointment.id.in_(_client_ids(user))


def _client_ids(user, *conditions):
    """The ids of the appointments a user has as a client (meeting `conditions`), as two
    branches each read through its own index (id_users, id_patients). One WHERE with
    "id_users = ? OR id_patients IN (…)" let MariaDB walk the clinic's appointments in the
    list's order and filter them (a customer's 36 appointments: 130 ms at 200k)."""
    return _ids_of(
        select(Appointment.id).where(Appointment.id_users == user.id, *conditions),
        select(Appointment.id).where(Appointment.id_patients.in_(
            select(Patient.id).where(Patient.id_users == user.id)), *conditions))


def _ids_of(*branches):
    """SELECT id FROM (branch UNION ALL branch …): MariaDB materializes the derived table
    once (an IN over a bare UNION runs the union again for every row it checks)."""
    union = union_all(*branches).subquery("own_ids")
    return select(union.c.id)


def scope_appointments(stmt, actor):
    """Appointments an actor may see: the office all; a doctor those with them; anyone
    their own as a client (a doctor who is also a customer sees both)."""
    if actor is None:
        raise Forbidden()
    if is_office(actor):
        return stmt
    branches = [select(Appointment.id).where(Appointment.id_users == actor.id),
                select(Appointment.id).where(Appointment.id_patients.in_(
                    select(Patient.id).where(Patient.id_users == actor.id)))]
    if has_doctor_role(actor):
        branches.append(select(Appointment.id).where(
            Appointment.id_doctors.in_(own_doctor_ids(actor))))
    return stmt.where(Appointment.id.in_(_ids_of(*branches)))


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
TIMELINE_ALL_DOCTORS_DAYS = 7  # every doctor's appointments: a week per request
TIMELINE_ONE_DOCTOR_DAYS = 42  # one doctor's (or one's own): a month as a calendar shows it
CLIENT = aliased(User)
EVENT_COLUMNS = (Appointment.id, as_text(Appointment.tanggal), as_text(Appointment.jam),
                 Appointment.id_doctors, Appointment.id_services, Appointment.id_patients,
                 Appointment.id_users,
                 Appointment.reschedule_counts, Appointment.status, Appointment.custom_price,
                 Appointment.digisoft_invoice_numbers, Patient.nama_lengkap_pasien,
                 CLIENT.users_fullname, CLIENT.users_picture)


def event_rows():
    """SELECT of what an event shows of its own: the appointment joined to its patient and
    client, one row each as one JSON array (reading.packed: a week of every doctor is
    thousands of rows, and PyMySQL decodes one text far faster than fourteen values) — add
    the conditions and the order. The doctor's and the service's parts, the same for
    thousands of events, come from events_of's two small lookups."""
    return (select(packed(*EVENT_COLUMNS))
            .join(Patient, Patient.id == Appointment.id_patients)
            .outerjoin(CLIENT, CLIENT.id == Appointment.id_users))


def _doctors_shown() -> dict:
    """id_doctors -> (the doctor's name, the URL of their picture) of every doctor (deleted
    ones too: their appointments stay), one small query."""
    return {doctor_id: (name, public_url("users", picture))
            for doctor_id, name, picture in plain_rows(
                select(Doctor.id, User.users_fullname, User.users_picture)
                .join(User, User.id == Doctor.id_users))}


def _services_shown() -> dict:
    """id_services -> (the service's name, its minutes) of every service, one small query."""
    return {service_id: (name, minutes) for service_id, name, minutes in plain_rows(
        select(Service.id, Service.services_name, Service.buffer_time))}


def events_of(stmt) -> list[dict]:
    """The rows of an event_rows SELECT as FullCalendar events (end = start + the service's
    duration), read on the connection (packed rows, dates and times as text: reading.py). A
    week of every doctor is thousands of rows: the doctors' and services' parts come from
    two small lookups (of every doctor and service: tens, and no ids to gather first), the
    start and end texts and the client pictures' URLs are made once per distinct value, and
    each row's JSON is read only when its event is made (thousands of lists kept alive
    until the end would wake Python's full garbage collection every few requests)."""
    rows = packed_texts(stmt)
    if not rows:
        return []
    doctors, services = _doctors_shown(), _services_shown()
    loads = orjson.loads
    starts, ends, pictures, events = {}, {}, {"": "", None: ""}, []
    days, seconds = {}, {}
    for row in rows:
        (appointment_id, day, clock, doctor_id, service_id, patient_id, client_id, reschedules,
         status, price, invoice, patient_name, client_name, client_picture) = loads(row)
        doctor, service = doctors.get(doctor_id), services.get(service_id)
        if doctor is None or service is None:  # as the joins were: both are required
            continue
        moment = starts.get((day, clock))  # a week holds a few hundred start times
        if moment is None:
            begins = datetime.combine(day_of(day, days), time()) + timedelta(
                seconds=seconds_of(clock, seconds))
            moment = starts[day, clock] = (begins.isoformat(), begins)
        start = moment[0]
        end = ends.get((day, clock, service[1]))  # and a few durations
        if end is None:
            end = ends[day, clock, service[1]] = (
                moment[1] + timedelta(minutes=service[1])).isoformat()
        if client_id is None:
            client_name, picture = "", ""
        else:
            picture = pictures.get(client_picture)
            if picture is None:
                picture = pictures[client_picture] = public_url("users", client_picture)
        events.append({
            "title": doctor[0], "start": start, "end": end,
            "extendedProps": {
                "id": appointment_id, "start": start, "end": end, "client": client_name,
                "patients": patient_name, "reschedule_counts": reschedules, "status": status,
                "custom_price": price, "digisoft_invoice_numbers": invoice,
                "users_picture_url": picture, "doctors_picture_url": doctor[1],
                "id_doctors": doctor_id, "id_patients": patient_id},
            "description": service[0]})
    return events


def timeline_limit(actor, doctor_id=None) -> int:
    """Days one timeline request may span: a week while it may hold every doctor's
    appointments (the office without `id_doctors`), six weeks for one doctor's or for what a
    doctor or a customer sees of their own."""
    if doctor_id is None and is_office(actor):
        return TIMELINE_ALL_DOCTORS_DAYS
    return TIMELINE_ONE_DOCTOR_DAYS


def check_timeline_range(date_from: date, date_to: date,
                         limit: int = TIMELINE_ONE_DOCTOR_DAYS):
    """Refuse a reversed range, or one longer than `limit` days (both ends included)."""
    if date_to < date_from:
        raise Invalid(fields={"date_to": "Harus sama dengan atau sesudah date_from."})
    if (date_to - date_from).days + 1 > limit:
        if limit == TIMELINE_ALL_DOCTORS_DAYS:
            message = (f"Rentang semua dokter paling panjang {limit} hari; pilih satu dokter "
                       f"(id_doctors) untuk rentang sampai {TIMELINE_ONE_DOCTOR_DAYS} hari.")
        else:
            message = f"Rentang paling panjang {limit} hari."
        raise Invalid(message, fields={"date_to": message})


def timeline(date_from: date, date_to: date, actor, doctor_id=None) -> list[dict]:
    """FullCalendar events of the appointments the actor may see between two dates (both
    included; at most timeline_limit days), optionally of one doctor: one query, by day and
    time."""
    if actor is None:
        raise Forbidden()
    check_timeline_range(date_from, date_to, timeline_limit(actor, doctor_id))
    stmt = (event_rows()
            .where(Appointment.tanggal >= date_from, Appointment.tanggal <= date_to)
            .order_by(Appointment.tanggal, Appointment.jam, Appointment.id))
    if doctor_id is not None:
        stmt = stmt.where(Appointment.id_doctors == doctor_id)
    return events_of(scope_appointments(stmt, actor))


def day_counts(date_from: date, date_to: date, actor, with_cancelled=False) -> dict:
    """date -> the number of appointments the actor may see on it (cancelled ones only
    `with_cancelled`), at most TIMELINE_ONE_DOCTOR_DAYS days: one grouped query."""
    if actor is None:
        raise Forbidden()
    check_timeline_range(date_from, date_to)
    stmt = (select(Appointment.tanggal, func.count())
            .where(Appointment.tanggal >= date_from, Appointment.tanggal <= date_to)
            .group_by(Appointment.tanggal))
    if not with_cancelled:
        stmt = stmt.where(Appointment.status != "CANCEL")
    return dict(db.session.execute(scope_appointments(stmt, actor)).all())


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
    own = _client_ids(user, Appointment.status.in_(LIVE), Appointment.tanggal >= now.date())
    stmt = (event_rows()
            .where(Appointment.id.in_(own))
            .order_by(Appointment.tanggal, Appointment.jam, Appointment.id).limit(limit + 20))
    events = events_of(stmt)
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


__all__ = ["TIMELINE_ALL_DOCTORS_DAYS", "TIMELINE_ONE_DOCTOR_DAYS", "availability",
           "calendar_hours", "check_doctor_and_service", "check_timeline_range",
           "client_condition", "day_appointments", "day_counts", "doctor_offers", "event_rows",
           "events_of",
           "find_patients", "free_slots_on", "live_patient", "nearest_free_slot", "nearest_slot",
           "next_appointments", "scope_appointments", "timeline", "timeline_limit",
           "upcoming_for_client"]
