"""The free slots of the booking window (availability): every active slot of the doctors
asked for, less holidays, slots too soon and those a live appointment overlaps.

Five small queries whatever the number of appointments or slots (see reading.py for why
rows are few and read as text):

* the bookable offers — doctor, service, category, price and duration, one row per offer;
* their active slots, one row per offer and weekday with the slots' ids and start times;
* the holidays of the window;
* the live appointments of those doctors in the window, one row per doctor and date with
  their start times and services, read from the (id_doctors, tanggal, status, jam,
  id_services) index alone;
* the durations of those services.

Every slot's answer is one dict made the first time it is free and shared by every date it
is free on; clock texts are made once per distinct time."""
from bisect import bisect_left
from datetime import date, datetime, timedelta

from flask import current_app
from sqlalchemy import String, cast, select

from models import (Appointment, Doctor, DoctorSchedule, DoctorService, Service, ServiceCategory,
                    User, clinic_now)
from services.appointments.reading import as_text, clock_text, items_by, plain_rows, seconds_of
from services.appointments.statuses import LIVE
from services.format import day_text, weekday_name
from services.treatments.holidays import holidays_between

DAYS_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
WHOLE_DAY = 24 * 3600 + 1


def _offers(doctor_id=None, service_id=None) -> dict:
    """id_doctor_services -> (id_doctors, id_services, custom_price, services_name,
    buffer_time, service_categories, the doctor's name) of the active offers of live doctors
    and available services (of one doctor and/or service when asked): one row per offer."""
    stmt = (select(DoctorService.id, DoctorService.id_doctors, DoctorService.id_services,
                   DoctorService.custom_price, Service.services_name, Service.buffer_time,
                   ServiceCategory.service_categories, User.users_fullname)
            .join(Doctor, Doctor.id == DoctorService.id_doctors)
            .join(User, User.id == Doctor.id_users)
            .join(Service, Service.id == DoctorService.id_services)
            .outerjoin(ServiceCategory, ServiceCategory.id == Service.id_service_categories)
            .where(DoctorService.is_active.is_(True), Doctor.is_active.is_(True),
                   Doctor.deleted_at.is_(None), Service.is_available.is_(True),
                   Service.deleted_at.is_(None)))
    if doctor_id is not None:
        stmt = stmt.where(DoctorService.id_doctors == doctor_id)
    if service_id is not None:
        stmt = stmt.where(DoctorService.id_services == service_id)
    return {row[0]: tuple(row[1:]) for row in plain_rows(stmt)}


def _weekly(offers: dict) -> dict:
    """hari -> [(begins, slot id, doctor, ends, offer id)] of the offers' active slots, by
    start time and id (begins and ends in seconds of the day): one query, a row per offer
    and weekday. A slot counts only with its own offer's doctor (as the slot form
    requires)."""
    if not offers:
        return {}
    groups = items_by((DoctorSchedule.id_doctors, DoctorSchedule.id_doctor_services,
                       DoctorSchedule.hari),
                      cast(DoctorSchedule.id, String) + "@" + as_text(DoctorSchedule.jam),
                      DoctorSchedule.is_active.is_(True),
                      DoctorSchedule.id_doctor_services.in_(sorted(offers)))
    by_day, seconds = {}, {}
    for (doctor_id, offer_id, hari), items in groups.items():
        offer = offers[offer_id]
        if offer[0] != doctor_id:
            continue
        minutes = offer[4] * 60
        slots = by_day.setdefault(hari, [])
        for item in items:
            slot_id, clock = item.split("@")
            begins = seconds_of(clock, seconds)
            slots.append((begins, int(slot_id), doctor_id, begins + minutes, offer_id))
    for slots in by_day.values():
        slots.sort()  # by start, then id (ids are unique)
    return by_day


def _taken_times(first: date, last: date, doctor_ids) -> dict:
    """date -> doctor -> (the starts, the running maximum of the ends) of the live
    appointments of those doctors between two dates, in seconds of the day and by start: a
    slot [begins, ends) is taken when an appointment starting before `ends` (by bisection)
    ends after `begins`. One query reading only the (id_doctors, tanggal, status, jam,
    id_services) index — a row per doctor and date — and one for the services' durations
    (a small table: every service, no list of ids to gather first)."""
    if not doctor_ids:
        return {}
    groups = items_by((Appointment.id_doctors, Appointment.tanggal),  # the index's order
                      as_text(Appointment.jam) + "@" + cast(Appointment.id_services, String),
                      Appointment.id_doctors.in_(sorted(doctor_ids)),
                      Appointment.tanggal >= first, Appointment.tanggal <= last,
                      Appointment.status.in_(LIVE))
    if not groups:
        return {}
    minutes = dict(plain_rows(select(Service.id, Service.buffer_time)))
    taken, spans_of, seconds = {}, {}, {}
    for (doctor_id, day), items in groups.items():
        spans = []
        for item in items:  # "HH:MM:SS@id_services", the same few hundred texts all window
            span = spans_of.get(item)
            if span is None:
                clock, service = item.split("@")
                begins = seconds_of(clock, seconds)
                span = spans_of[item] = (begins, begins + minutes[int(service)] * 60)
            spans.append(span)
        spans.sort()
        latest, ends = -1, []
        for _begins, end in spans:
            latest = end if end > latest else latest
            ends.append(latest)
        taken.setdefault(day, {})[doctor_id] = (
            [begins for begins, _end in spans], ends)
    return taken


def _too_soon_before(day: date, earliest: datetime) -> int:
    """The second of `day` before which a slot starts too soon (before `earliest`)."""
    if day < earliest.date():
        return WHOLE_DAY
    if day > earliest.date():
        return 0
    return (earliest.hour * 3600 + earliest.minute * 60 + earliest.second
            + (1 if earliest.microsecond else 0))


class _Shown:
    """Slots as the availability answer lists them, each made once (shared by every date it
    is free on) from the slot and its offer; clock texts made once per time."""

    def __init__(self, offers: dict):
        self.offers, self.slots, self.clocks = offers, {}, {}

    def _clock(self, seconds: int, with_seconds: bool) -> str:
        text = self.clocks.get((seconds, with_seconds))
        if text is None:
            text = self.clocks[seconds, with_seconds] = clock_text(seconds, with_seconds)
        return text

    def __call__(self, slot_id: int, offer_id: int, hari: str, begins: int, ends: int) -> dict:
        shown = self.slots.get(slot_id)
        if shown is None:
            doctor_id, service_id, price, name, _minutes, category, doctor = \
                self.offers[offer_id]
            shown = self.slots[slot_id] = {
                "id": slot_id, "id_services": service_id, "id_doctors": doctor_id,
                "id_doctor_services": offer_id, "hari": hari,
                "jam": self._clock(begins, True), "services_name": name,
                "service_categories": category, "doctors": doctor, "custom_price": price,
                "jam_mulai": self._clock(begins, False), "jam_selesai": self._clock(ends, False)}
        return shown


def availability(doctor_id=None, service_id=None, days=None, today: date | None = None):
    """Free slots for the next `days` days (documented shape), leaving out holidays, past
    and booked (or overlapped) slots. Five queries (offers, slots, holidays, the
    appointments of those doctors in the window, their services' durations) whatever the
    number of appointments."""
    config = current_app.config
    days = days or config["BOOKING_WINDOW_DAYS"]
    now = clinic_now()
    today = today or now.date()
    dates = [today + timedelta(days=offset) for offset in range(days)]
    offers = _offers(doctor_id, service_id)
    by_day = _weekly(offers)
    closed = holidays_between(dates[0], dates[-1])
    taken = _taken_times(dates[0], dates[-1],
                         {slot[2] for slots in by_day.values() for slot in slots})
    earliest = now + timedelta(minutes=config["BOOKING_MIN_NOTICE_MINUTES"])
    schedule_array = [day.isoformat() for day in dates]
    answer, shown = [], _Shown(offers)
    for index, day in enumerate(dates):
        hari = weekday_name(day)
        slots = by_day.get(hari)
        if not slots or day in closed:
            continue
        too_soon = _too_soon_before(day, earliest)
        booked = taken.get(day, {})
        free = []
        for begins, slot_id, doctor, ends, offer_id in slots:
            if begins < too_soon:
                continue
            spans = booked.get(doctor)
            if spans is not None:
                before = bisect_left(spans[0], ends)
                if before and spans[1][before - 1] > begins:
                    continue
            free.append(shown(slot_id, offer_id, hari, begins, ends))
        if free:
            answer.append({"schedule": schedule_array[index], "schedule_format": day_text(day),
                           "day_id": hari, "day_en": DAYS_EN[day.weekday()],
                           "doctors": free, "schedule_array": schedule_array})
    return answer


__all__ = ["DAYS_EN", "availability"]
