"""Booking: slots cut from practice windows, the appointment workflow, availability, timeline.

All times are clinic time (Asia/Jakarta, naive). A doctor holds at most one live appointment
per date and start time: `Appointment.slot_key` is UNIQUE while the appointment is live and
NULL once cancelled, so the database refuses a double booking even under concurrency; on top
of that an appointment may not overlap another live one of the same doctor."""
from datetime import date, datetime, time, timedelta

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from models import (DAYS, Appointment, Doctor, DoctorSchedule, DoctorService, Holiday, Patient,
                    PracticeWindow, Service, clinic_now, db)
from services import audit
from services.errors import Conflict, Forbidden, Invalid, NotFound

OFFICE = ("OWNER", "ADMIN", "USERS")
DAYS_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
LIVE = ("BOOKING", "RESCHEDULE", "ARRIVED")


def day_name(day: date) -> str:
    """The Indonesian weekday name of a date (Senin … Minggu)."""
    return DAYS[day.weekday()]


def slot_key(doctor_id: int, day: date, start: time) -> str:
    """The value that makes one doctor, date and start time unique."""
    return f"{doctor_id}|{day.isoformat()}|{start.strftime('%H:%M')}"


def duration_of(slot: DoctorSchedule) -> int:
    """Minutes an appointment in this slot takes (the service's duration)."""
    return slot.offer.service.buffer_time


def holidays_between(start: date, end: date) -> set[date]:
    """Dates the clinic is closed, between start and end inclusive."""
    return set(db.session.execute(select(Holiday.dates).where(
        Holiday.dates >= start, Holiday.dates <= end)).scalars())


# ---- slots ----------------------------------------------------------------------------
def generate_slots(doctor: Doctor, actor) -> list[dict]:
    """Cut each practice window of the doctor into bookable slots for each active offer.

    A slot starts every (service duration + doctor buffer) minutes and must end, by the
    service's duration, inside the window. Existing slots are kept (also their active flag)."""
    windows = db.session.execute(select(PracticeWindow).where(
        PracticeWindow.id_doctors == doctor.id)).scalars().all()
    offers = db.session.execute(select(DoctorService).options(selectinload(DoctorService.service))
                                .where(DoctorService.id_doctors == doctor.id,
                                       DoctorService.is_active.is_(True))).scalars().all()
    existing = {(row.id_doctor_services, row.hari, row.jam) for row in db.session.execute(
        select(DoctorSchedule).where(DoctorSchedule.id_doctors == doctor.id)).scalars()}
    created = []
    for window in windows:
        for offer in offers:
            duration = offer.service.buffer_time
            step = duration + offer.doctor_buffer_time
            if duration <= 0 or step <= 0:
                continue
            start = datetime.combine(date.today(), window.jam)
            end = datetime.combine(date.today(), window.jam_selesai)
            while start + timedelta(minutes=duration) <= end:
                key = (offer.id, window.hari, start.time())
                if key not in existing:
                    db.session.add(DoctorSchedule(
                        id_doctors=doctor.id, id_doctor_services=offer.id, hari=window.hari,
                        jam=start.time(), custom_price=offer.custom_price, is_active=True))
                    existing.add(key)
                    created.append({"id_doctors": doctor.id, "id_services": offer.id_services,
                                    "day": window.hari, "open": start.strftime("%H:%M")})
                start += timedelta(minutes=step)
    if created:
        audit.record("generate_slots", actor, "doctors", doctor.id, f"{len(created)} slot baru")
        db.session.commit()
    return created


# ---- booking rules --------------------------------------------------------------------
def _load_slot(slot_id) -> DoctorSchedule:
    slot = db.session.execute(select(DoctorSchedule).options(
        selectinload(DoctorSchedule.offer).selectinload(DoctorService.service),
        selectinload(DoctorSchedule.doctor)).where(DoctorSchedule.id == slot_id)).scalars().first()
    if slot is None:
        raise Invalid(fields={"id_doctor_schedules": "Jadwal tidak ditemukan."})
    return slot


def check_slot(slot: DoctorSchedule, doctor_id, service_id, day: date, start: time | None,
               now: datetime | None = None) -> datetime:
    """Refuse a slot and date that break a booking rule; returns the start datetime."""
    config = current_app.config
    now = now or clinic_now()
    problems = {}
    if doctor_id is not None and slot.id_doctors != doctor_id:
        problems["id_doctor_schedules"] = "Jadwal ini bukan milik dokter tersebut."
    if service_id is not None and slot.offer.id_services != service_id:
        problems["id_services"] = "Jadwal ini bukan untuk layanan tersebut."
    if start is not None and start.replace(second=0) != slot.jam.replace(second=0):
        problems["jam"] = f"Jadwal ini dimulai pukul {slot.jam.strftime('%H:%M')}."
    if problems:
        raise Invalid(fields=problems)
    doctor = slot.doctor
    if (not slot.is_active or not slot.offer.is_active or not doctor.is_active
            or doctor.deleted_at is not None or not slot.offer.service.is_available
            or slot.offer.service.deleted_at is not None):
        raise Conflict("Jadwal ini sedang tidak dibuka.", fields={
            "id_doctor_schedules": "Jadwal tidak aktif."})
    if day_name(day) != slot.hari:
        raise Invalid(fields={"tanggal": f"Tanggal ini hari {day_name(day)}, "
                                         f"jadwal dokter hari {slot.hari}."})
    if holidays_between(day, day):
        raise Conflict("Klinik tutup pada tanggal tersebut (hari libur).",
                       fields={"tanggal": "Hari libur klinik."})
    begins = datetime.combine(day, slot.jam)
    if begins < now:
        raise Invalid(fields={"tanggal": "Waktu tersebut sudah lewat."})
    if begins < now + timedelta(minutes=config["BOOKING_MIN_NOTICE_MINUTES"]):
        raise Invalid(fields={"tanggal": f"Pemesanan paling lambat "
                                         f"{config['BOOKING_MIN_NOTICE_MINUTES']} menit sebelumnya."})
    if begins.date() > (now + timedelta(days=config["BOOKING_WINDOW_DAYS"])).date():
        raise Invalid(fields={"tanggal": f"Pemesanan paling jauh "
                                         f"{config['BOOKING_WINDOW_DAYS']} hari ke depan."})
    return begins


def _check_overlap(slot: DoctorSchedule, day: date, ignore_id=None):
    """Refuse when another live appointment of the doctor overlaps this one in time."""
    begins = datetime.combine(day, slot.jam)
    ends = begins + timedelta(minutes=duration_of(slot))
    stmt = (select(Appointment).options(selectinload(Appointment.service))
            .where(Appointment.id_doctors == slot.id_doctors, Appointment.tanggal == day,
                   Appointment.status.in_(LIVE)))
    if ignore_id is not None:
        stmt = stmt.where(Appointment.id != ignore_id)
    for other in db.session.execute(stmt).scalars():
        other_begins = datetime.combine(day, other.jam)
        other_ends = other_begins + timedelta(minutes=other.service.buffer_time)
        if begins < other_ends and other_begins < ends:
            raise Conflict("Dokter sudah memiliki janji pada waktu tersebut.",
                           fields={"id_doctor_schedules": "Slot sudah terisi."})


def _slot_taken(exc):
    db.session.rollback()
    return Conflict("Slot ini baru saja dipesan orang lain. Pilih waktu lain.",
                    fields={"id_doctor_schedules": "Slot sudah terisi."})


def _flush_slot():
    """Write the pending appointment; a taken slot key becomes a 409."""
    try:
        db.session.flush()
    except IntegrityError as exc:
        raise _slot_taken(exc) from exc


def _commit_slot(appointment):
    """Commit the appointment change; a taken slot key becomes a 409."""
    try:
        db.session.commit()
    except IntegrityError as exc:
        raise _slot_taken(exc) from exc


def book_appointment(actor, data: dict) -> Appointment:
    """Create an appointment after every booking rule (one transaction)."""
    slot = _load_slot(data["id_doctor_schedules"])
    patient = db.session.get(Patient, data["id_patients"])
    if patient is None or patient.deleted_at is not None:
        raise Invalid(fields={"id_patients": "Pasien tidak ditemukan."})
    office = actor.has_role(*OFFICE)
    if not office and patient.id_users != actor.id:
        raise Forbidden("Anda hanya dapat memesan untuk pasien yang terhubung dengan akun Anda.",
                        fields={"id_patients": "Bukan pasien Anda."})
    check_slot(slot, data.get("id_doctors"), data.get("id_services"), data["tanggal"],
               data.get("jam"))
    _check_overlap(slot, data["tanggal"])
    price = data.get("custom_price") if office else None
    appointment = Appointment(
        id_doctors=slot.id_doctors, id_services=slot.offer.id_services,
        id_doctor_schedules=slot.id, id_patients=patient.id,
        id_users=(data.get("id_users") if office else None) or patient.id_users or actor.id,
        custom_price=price if price not in (None, 0) else slot.offer.custom_price,
        hari=slot.hari, jam=slot.jam, tanggal=data["tanggal"], status="BOOKING",
        slot_key=slot_key(slot.id_doctors, data["tanggal"], slot.jam))
    db.session.add(appointment)
    _flush_slot()  # the unique slot key decides a race here
    audit.record("book", actor, "user_schedules", appointment.id,
                 f"{patient.nama_lengkap_pasien} {data['tanggal']:%d/%m/%Y} {slot.jam:%H:%M}")
    _commit_slot(appointment)
    return appointment


class AppointmentFlow:
    """The appointment's state machine: each transition checks the state it comes from."""

    RESCHEDULABLE = ("BOOKING", "RESCHEDULE")
    CANCELLABLE = ("BOOKING", "RESCHEDULE", "ARRIVED")

    def __init__(self, appointment: Appointment, actor):
        self.appointment = appointment
        self.actor = actor

    def _require(self, allowed, action):
        if self.appointment.status not in allowed:
            raise Conflict(f"Janji berstatus {self.appointment.status} tidak dapat {action}.",
                           error_code="wrong_state")

    def reschedule(self, slot_id, day: date, start: time | None = None) -> Appointment:
        """Move to another slot/date: capped, not once it has started; frees the old slot."""
        appointment = self.appointment
        self._require(self.RESCHEDULABLE, "dijadwalkan ulang")
        if datetime.combine(appointment.tanggal, appointment.jam) <= clinic_now():
            raise Conflict("Janji yang sudah dimulai tidak dapat dijadwalkan ulang.",
                           error_code="wrong_state")
        limit = current_app.config["RESCHEDULE_LIMIT"]
        if appointment.reschedule_counts >= limit:
            raise Conflict(f"Batas penjadwalan ulang ({limit} kali) sudah tercapai.",
                           error_code="reschedule_limit")
        slot = _load_slot(slot_id)
        check_slot(slot, appointment.id_doctors, appointment.id_services, day, start)
        _check_overlap(slot, day, ignore_id=appointment.id)
        before = f"{appointment.tanggal:%d/%m/%Y} {appointment.jam:%H:%M}"
        appointment.id_doctor_schedules = slot.id
        appointment.hari, appointment.jam, appointment.tanggal = slot.hari, slot.jam, day
        appointment.slot_key = slot_key(slot.id_doctors, day, slot.jam)
        appointment.reschedule_counts += 1
        appointment.status = "RESCHEDULE"
        audit.record("reschedule", self.actor, "user_schedules", appointment.id,
                     f"{before} -> {day:%d/%m/%Y} {slot.jam:%H:%M}")
        _commit_slot(appointment)
        return appointment

    def arrive(self) -> Appointment:
        """The patient is at the clinic (only on the appointment's day)."""
        self._require(self.RESCHEDULABLE, "ditandai datang")
        if self.appointment.tanggal != clinic_now().date():
            raise Conflict("Kedatangan hanya dapat dicatat pada hari janji.", error_code="wrong_day")
        self.appointment.status = "ARRIVED"
        self.appointment.arrived_at = clinic_now()
        return self._save("arrived", "")

    def done(self, invoice_numbers: str) -> Appointment:
        """The visit is finished and invoiced."""
        self._require(("ARRIVED",), "diselesaikan")
        invoice_numbers = (invoice_numbers or "").strip() if isinstance(invoice_numbers, str) else ""
        if not invoice_numbers or len(invoice_numbers) > 50:
            raise Invalid(fields={"digisoft_invoice_numbers": "Nomor invoice wajib (maks. 50)."})
        self.appointment.status = "DONE"
        self.appointment.digisoft_invoice_numbers = invoice_numbers
        self.appointment.done_at = clinic_now()
        return self._save("done", invoice_numbers)

    def cancel(self, reason: str) -> Appointment:
        """Cancel with a reason; the slot becomes free again."""
        self._require(self.CANCELLABLE, "dibatalkan")
        reason = (reason or "").strip() if isinstance(reason, str) else ""
        if not reason or len(reason) > 255:
            raise Invalid(fields={"cancel_reason": "Alasan pembatalan wajib (maks. 255)."})
        self.appointment.status = "CANCEL"
        self.appointment.cancel_reason = reason
        self.appointment.slot_key = None
        self.appointment.cancelled_at = clinic_now()
        return self._save("cancel", reason)

    def _save(self, action, note):
        audit.record(action, self.actor, "user_schedules", self.appointment.id, note)
        db.session.commit()
        return self.appointment


# ---- reading --------------------------------------------------------------------------
def availability(doctor_id=None, service_id=None, days=None, today: date | None = None):
    """Free slots for the next `days` days (documented shape), leaving out holidays, past
    and booked (or overlapped) slots. Runs a fixed number of queries."""
    config = current_app.config
    days = days or config["BOOKING_WINDOW_DAYS"]
    now = clinic_now()
    today = today or now.date()
    dates = [today + timedelta(days=offset) for offset in range(days)]
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
    slots = db.session.execute(stmt).scalars().all()
    closed = holidays_between(dates[0], dates[-1])
    booked = {}
    appointments = db.session.execute(
        select(Appointment).options(selectinload(Appointment.service))
        .where(Appointment.tanggal >= dates[0], Appointment.tanggal <= dates[-1],
               Appointment.status.in_(LIVE))).scalars().all()
    for appointment in appointments:
        begins = datetime.combine(appointment.tanggal, appointment.jam)
        booked.setdefault((appointment.id_doctors, appointment.tanggal), []).append(
            (begins, begins + timedelta(minutes=appointment.service.buffer_time)))
    earliest = now + timedelta(minutes=config["BOOKING_MIN_NOTICE_MINUTES"])
    schedule_array = [day.isoformat() for day in dates]
    answer = []
    for day in dates:
        if day in closed:
            continue
        free = []
        for slot in slots:
            if slot.hari != day_name(day):
                continue
            begins = datetime.combine(day, slot.jam)
            ends = begins + timedelta(minutes=duration_of(slot))
            if begins < earliest:
                continue
            if any(begins < taken_end and taken_begin < ends
                   for taken_begin, taken_end in booked.get((slot.id_doctors, day), [])):
                continue
            service = slot.offer.service
            free.append({
                "id": slot.id, "id_services": service.id, "id_doctors": slot.id_doctors,
                "id_doctor_services": slot.id_doctor_services, "hari": slot.hari,
                "jam": slot.jam.strftime("%H:%M:%S"), "services_name": service.services_name,
                "service_categories": service.category.service_categories if service.category else None,
                "doctors": slot.doctor.user.users_fullname, "custom_price": slot.offer.custom_price,
                "jam_mulai": begins.strftime("%H:%M"), "jam_selesai": ends.strftime("%H:%M")})
        if free:
            answer.append({"schedule": day.isoformat(), "schedule_format": day.strftime("%d/%m/%Y"),
                           "day_id": day_name(day), "day_en": DAYS_EN[day.weekday()],
                           "doctors": free, "schedule_array": schedule_array})
    return answer


EVENT_LOADS = (selectinload(Appointment.service), selectinload(Appointment.patient),
               selectinload(Appointment.user),
               selectinload(Appointment.doctor).selectinload(Doctor.user))


def event_of(appointment: Appointment) -> dict:
    """One appointment as a FullCalendar event (end = start + the service's duration)."""
    from services.uploads import public_url

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


def timeline(date_from: date, date_to: date, actor, doctor_id=None) -> list[dict]:
    """FullCalendar events of the appointments the actor may see between two dates."""
    stmt = (select(Appointment).options(*EVENT_LOADS)
            .where(Appointment.tanggal >= date_from, Appointment.tanggal <= date_to)
            .order_by(Appointment.tanggal, Appointment.jam))
    if doctor_id is not None:
        stmt = stmt.where(Appointment.id_doctors == doctor_id)
    return [event_of(row) for row in db.session.execute(scope_appointments(stmt, actor)).scalars()]


def upcoming_for_client(user, limit: int = 10) -> list[dict]:
    """The user's own upcoming live appointments (booked by them or for their linked
    patients), soonest first, as events — for users/data, whatever roles the user holds."""
    now = clinic_now()
    stmt = (select(Appointment).options(*EVENT_LOADS)
            .where(Appointment.status.in_(LIVE), Appointment.tanggal >= now.date(),
                   client_condition(user))
            .order_by(Appointment.tanggal, Appointment.jam).limit(limit + 20))
    events = [event_of(row) for row in db.session.execute(stmt).scalars()]
    return [event for event in events if event["end"] > now.isoformat()][:limit]


def client_condition(user):
    """Appointments a user has as a client: booked by them or for patients linked to them."""
    patient_ids = select(Patient.id).where(Patient.id_users == user.id)
    return (Appointment.id_users == user.id) | Appointment.id_patients.in_(patient_ids)


def scope_appointments(stmt, actor):
    """Appointments an actor may see: the office all; a doctor those with them; anyone
    their own as a client (a doctor who is also a customer sees both)."""
    if actor is None:
        raise Forbidden()
    if actor.has_role(*OFFICE):
        return stmt
    condition = client_condition(actor)
    if actor.has_role("DOCTOR"):
        doctor_ids = select(Doctor.id).where(Doctor.id_users == actor.id)
        condition = condition | Appointment.id_doctors.in_(doctor_ids)
    return stmt.where(condition)


__all__ = ["AppointmentFlow", "NotFound", "availability", "book_appointment", "event_of",
           "generate_slots", "timeline", "upcoming_for_client"]
