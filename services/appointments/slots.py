"""Slots: cut from a doctor's practice windows, and the booking rules a slot and a date must
pass before an appointment takes them.

All times are clinic time (Asia/Jakarta, naive). A doctor holds at most one live appointment
per date and start time: `Appointment.slot_key` is UNIQUE while the appointment is live and
NULL once cancelled, so the database refuses a double booking even under concurrency; on top
of that an appointment may not overlap another live one of the same doctor."""
from datetime import date, datetime, time, timedelta

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from models import (Appointment, Doctor, DoctorSchedule, DoctorService, PracticeWindow,
                    clinic_now, db)
from services import audit
from services.appointments.statuses import LIVE
from services.errors import Conflict, Invalid
from services.format import weekday_name
from services.treatments.holidays import holidays_between


def slot_key(doctor_id: int, day: date, start: time) -> str:
    """The value that makes one doctor, date and start time unique."""
    return f"{doctor_id}|{day.isoformat()}|{start.strftime('%H:%M')}"


def duration_of(slot: DoctorSchedule) -> int:
    """Minutes an appointment in this slot takes (the service's duration)."""
    return slot.offer.service.buffer_time


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


def load_slot(slot_id) -> DoctorSchedule:
    """The slot with its offer, service and doctor; a 422 on `id_doctor_schedules` if unknown."""
    slot = db.session.execute(select(DoctorSchedule).options(
        selectinload(DoctorSchedule.offer).selectinload(DoctorService.service),
        selectinload(DoctorSchedule.doctor)).where(DoctorSchedule.id == slot_id)).scalars().first()
    if slot is None:
        raise Invalid(fields={"id_doctor_schedules": "Jadwal tidak ditemukan."})
    return slot


def _check_belongs(slot: DoctorSchedule, doctor_id, service_id, start: time | None):
    """Refuse a slot of another doctor or service, or a start time that is not the slot's."""
    problems = {}
    if doctor_id is not None and slot.id_doctors != doctor_id:
        problems["id_doctor_schedules"] = "Jadwal ini bukan milik dokter tersebut."
    if service_id is not None and slot.offer.id_services != service_id:
        problems["id_services"] = "Jadwal ini bukan untuk layanan tersebut."
    if start is not None and start.replace(second=0) != slot.jam.replace(second=0):
        problems["jam"] = f"Jadwal ini dimulai pukul {slot.jam.strftime('%H:%M')}."
    if problems:
        raise Invalid(fields=problems)


def _is_open(slot: DoctorSchedule) -> bool:
    """The slot, its offer, doctor and service are all active and not deleted."""
    doctor, offer = slot.doctor, slot.offer
    return (slot.is_active and offer.is_active and doctor.is_active and doctor.deleted_at is None
            and offer.service.is_available and offer.service.deleted_at is None)


def check_slot(slot: DoctorSchedule, doctor_id, service_id, day: date, start: time | None,
               now: datetime | None = None) -> datetime:
    """Refuse a slot and date that break a booking rule; returns the start datetime."""
    config = current_app.config
    now = now or clinic_now()
    _check_belongs(slot, doctor_id, service_id, start)
    if not _is_open(slot):
        raise Conflict("Jadwal ini sedang tidak dibuka.", fields={
            "id_doctor_schedules": "Jadwal tidak aktif."})
    if weekday_name(day) != slot.hari:
        raise Invalid(fields={"tanggal": f"Tanggal ini hari {weekday_name(day)}, "
                                         f"jadwal dokter hari {slot.hari}."})
    if holidays_between(day, day):
        raise Conflict("Klinik tutup pada tanggal tersebut (hari libur).",
                       fields={"tanggal": "Hari libur klinik."})
    begins = datetime.combine(day, slot.jam)
    notice, window = config["BOOKING_MIN_NOTICE_MINUTES"], config["BOOKING_WINDOW_DAYS"]
    if begins < now:
        raise Invalid(fields={"tanggal": "Waktu tersebut sudah lewat."})
    if begins < now + timedelta(minutes=notice):
        raise Invalid(fields={"tanggal": f"Pemesanan paling lambat {notice} menit sebelumnya."})
    if begins.date() > (now + timedelta(days=window)).date():
        raise Invalid(fields={"tanggal": f"Pemesanan paling jauh {window} hari ke depan."})
    return begins


def check_overlap(slot: DoctorSchedule, day: date, ignore_id=None):
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


def _slot_taken() -> Conflict:
    db.session.rollback()
    return Conflict("Slot ini baru saja dipesan orang lain. Pilih waktu lain.",
                    fields={"id_doctor_schedules": "Slot sudah terisi."})


def flush_holding_slot():
    """Write the pending appointment; a slot key taken meanwhile becomes a 409."""
    try:
        db.session.flush()
    except IntegrityError as exc:
        raise _slot_taken() from exc


def commit_holding_slot():
    """Commit the appointment change; a slot key taken meanwhile becomes a 409."""
    try:
        db.session.commit()
    except IntegrityError as exc:
        raise _slot_taken() from exc


__all__ = ["check_overlap", "check_slot", "commit_holding_slot", "duration_of",
           "flush_holding_slot", "generate_slots", "load_slot", "slot_key"]
