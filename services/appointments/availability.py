"""The free slots of the booking window (availability): every active slot of the doctors
asked for, less holidays, slots too soon and those a live appointment overlaps. A fixed
number of queries, reading only the window and those doctors' appointments in it (the
(id_doctors, tanggal, status, jam, id_services) index), and no ORM objects."""
from bisect import bisect_left
from datetime import date, datetime, time, timedelta

from flask import current_app
from sqlalchemy import select

from models import (Appointment, Doctor, DoctorSchedule, DoctorService, Service, ServiceCategory,
                    User, clinic_now, db)
from services.appointments.statuses import LIVE
from services.format import day_text, weekday_name
from services.treatments.holidays import holidays_between

DAYS_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _bookable_slots(doctor_id=None, service_id=None) -> list:
    """Active slots of active offers of live doctors and services, by start time: one row
    each with what the answer shows, in one query (no ORM objects: every doctor's week is
    thousands of slots)."""
    stmt = (select(DoctorSchedule.id, DoctorSchedule.id_doctors,
                   DoctorSchedule.id_doctor_services, DoctorSchedule.hari, DoctorSchedule.jam,
                   DoctorService.custom_price, Service.id.label("id_services"),
                   Service.services_name, Service.buffer_time,
                   ServiceCategory.service_categories, User.users_fullname)
            .join(DoctorService, DoctorService.id == DoctorSchedule.id_doctor_services)
            .join(Doctor, Doctor.id == DoctorSchedule.id_doctors)
            .join(User, User.id == Doctor.id_users)
            .join(Service, Service.id == DoctorService.id_services)
            .outerjoin(ServiceCategory, ServiceCategory.id == Service.id_service_categories)
            .where(DoctorSchedule.is_active.is_(True), DoctorService.is_active.is_(True),
                   Doctor.is_active.is_(True), Doctor.deleted_at.is_(None),
                   Service.is_available.is_(True), Service.deleted_at.is_(None))
            .order_by(DoctorSchedule.jam, DoctorSchedule.id))
    if doctor_id is not None:
        stmt = stmt.where(DoctorSchedule.id_doctors == doctor_id)
    if service_id is not None:
        stmt = stmt.where(DoctorService.id_services == service_id)
    return db.session.execute(stmt).all()


def _seconds(clock: time) -> int:
    """Seconds since midnight of a clock time."""
    return clock.hour * 3600 + clock.minute * 60 + clock.second


class _Taken:
    """The live appointments of one doctor on one date as sorted [begins, ends) seconds of
    the day: `overlaps` answers in O(log n) with the running maximum of the ends."""

    def __init__(self, spans: list):
        spans.sort()
        self.begins = [begins for begins, _ends in spans]
        self.latest_end, latest = [], -1
        for _begins, ends in spans:
            latest = max(latest, ends)
            self.latest_end.append(latest)

    def overlaps(self, begins: int, ends: int) -> bool:
        """True when a taken span starts before `ends` and ends after `begins`."""
        before = bisect_left(self.begins, ends)
        return before > 0 and self.latest_end[before - 1] > begins


def _taken_times(first: date, last: date, doctor_ids) -> dict:
    """(doctor, date) -> _Taken of the live appointments of those doctors between two dates:
    one query reading the (id_doctors, tanggal, status, jam, id_services) index per doctor,
    so it reads only the window and the doctors asked for."""
    if not doctor_ids:
        return {}
    spans = {}
    for doctor_id, day, clock, minutes in db.session.execute(
            select(Appointment.id_doctors, Appointment.tanggal, Appointment.jam,
                   Service.buffer_time)
            .join(Service, Service.id == Appointment.id_services)
            .where(Appointment.id_doctors.in_(sorted(doctor_ids)),
                   Appointment.tanggal >= first, Appointment.tanggal <= last,
                   Appointment.status.in_(LIVE))):
        begins = _seconds(clock)
        spans.setdefault((doctor_id, day), []).append((begins, begins + minutes * 60))
    return {key: _Taken(value) for key, value in spans.items()}


def _clock(seconds: int) -> str:
    """HH:MM of seconds since midnight (past midnight wraps, as a clock does)."""
    hours, rest = divmod(seconds // 60, 60)
    return f"{hours % 24:02d}:{rest:02d}"


def _shown(row, begins: int, ends: int) -> dict:
    """A slot as the availability answer lists it (the same on every date of its weekday)."""
    return {"id": row.id, "id_services": row.id_services, "id_doctors": row.id_doctors,
            "id_doctor_services": row.id_doctor_services, "hari": row.hari,
            "jam": row.jam.strftime("%H:%M:%S"), "services_name": row.services_name,
            "service_categories": row.service_categories, "doctors": row.users_fullname,
            "custom_price": row.custom_price,
            "jam_mulai": _clock(begins), "jam_selesai": _clock(ends)}


def _too_soon_before(day: date, earliest: datetime) -> int:
    """The second of `day` before which a slot starts too soon (before `earliest`)."""
    if day < earliest.date():
        return 24 * 3600 + 1  # the whole day
    if day > earliest.date():
        return 0
    return _seconds(earliest.time()) + (1 if earliest.microsecond else 0)


def availability(doctor_id=None, service_id=None, days=None, today: date | None = None):
    """Free slots for the next `days` days (documented shape), leaving out holidays, past
    and booked (or overlapped) slots. Three queries (slots, holidays, the appointments of
    those doctors in the window) whatever the number of appointments."""
    config = current_app.config
    days = days or config["BOOKING_WINDOW_DAYS"]
    now = clinic_now()
    today = today or now.date()
    dates = [today + timedelta(days=offset) for offset in range(days)]
    by_day = {}  # hari -> [(doctor, begins, ends, slot row)], by start time
    for row in _bookable_slots(doctor_id, service_id):
        begins = _seconds(row.jam)
        by_day.setdefault(row.hari, []).append(
            (row.id_doctors, begins, begins + row.buffer_time * 60, row))
    closed = holidays_between(dates[0], dates[-1])
    taken = _taken_times(dates[0], dates[-1],
                         {slot[0] for slots in by_day.values() for slot in slots})
    earliest = now + timedelta(minutes=config["BOOKING_MIN_NOTICE_MINUTES"])
    schedule_array = [day.isoformat() for day in dates]
    answer, shown = [], {}  # slot id -> its answer, made when first free, shared by its dates
    for day in dates:
        if day in closed:
            continue
        too_soon = _too_soon_before(day, earliest)
        free = []
        for doctor, begins, ends, row in by_day.get(weekday_name(day), ()):
            booked = taken.get((doctor, day))
            if begins < too_soon or (booked is not None and booked.overlaps(begins, ends)):
                continue
            if row.id not in shown:
                shown[row.id] = _shown(row, begins, ends)
            free.append(shown[row.id])
        if free:
            answer.append({"schedule": day.isoformat(), "schedule_format": day_text(day),
                           "day_id": weekday_name(day), "day_en": DAYS_EN[day.weekday()],
                           "doctors": free, "schedule_array": schedule_array})
    return answer


__all__ = ["DAYS_EN", "availability"]
