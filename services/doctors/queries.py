"""What of doctors, their offers, practice windows and slots each caller reaches, and the read
models beyond CRUD: a doctor's week (windows and slots per day), the holidays beside it, a
doctor's own profile for users/data, and the choices the staff forms offer."""
from datetime import timedelta

from sqlalchemy import case, func, select
from sqlalchemy.orm import selectinload

from models import (DAYS, Appointment, Doctor, DoctorSchedule, DoctorService, Holiday,
                    PracticeWindow, Service, User, clinic_now, db)
from services.access import has_doctor_role
from services.accounts.operations import user_data_part
from services.appointments.statuses import LIVE  # statuses of appointments to come
from services.format import rupiah

from .rules import fits, slot_end

HOLIDAY_DAYS = 90  # how far ahead the holidays beside a doctor's week reach


# ---- visibility ---------------------------------------------------------------------------
def live_doctorids_in():
    """Ids of doctors not deleted (their rows and those hanging off them are shown)."""
    return select(Doctor.id).where(Doctor.deleted_at.is_(None))


def public_doctorids_in():
    """Ids of the doctors patients and visitors see: active, not deleted, account live."""
    return (select(Doctor.id).join(User, User.id == Doctor.id_users)
            .where(Doctor.is_active.is_(True), Doctor.deleted_at.is_(None),
                   User.deleted_at.is_(None)))


def live_offerids_in():
    """Ids of the offers staff see: not deleted, of a doctor not deleted."""
    return select(DoctorService.id).where(DoctorService.deleted_at.is_(None),
                                          DoctorService.id_doctors.in_(live_doctorids_in()))


def public_offerids_in():
    """Ids of the offers patients and visitors see: active, not deleted, of a public doctor,
    for an available service."""
    return (select(DoctorService.id).join(Service, Service.id == DoctorService.id_services)
            .where(DoctorService.is_active.is_(True), DoctorService.deleted_at.is_(None),
                   DoctorService.id_doctors.in_(public_doctorids_in()),
                   Service.is_available.is_(True), Service.deleted_at.is_(None)))


def live_offers(doctor: Doctor) -> list[DoctorService]:
    """The doctor's offers not deleted, by service name."""
    return sorted((offer for offer in doctor.offers if offer.deleted_at is None),
                  key=lambda offer: (offer.service.services_name.lower(), offer.id))


def upcoming_appointments(condition) -> int:
    """Live appointments from today on that meet the SQL `condition`."""
    return db.session.execute(select(func.count(Appointment.id)).where(
        condition, Appointment.status.in_(LIVE),
        Appointment.tanggal >= clinic_now().date())).scalar_one()


# ---- names and SQL expressions of the lists -------------------------------------------------
def doctor_name(doctor: Doctor | None):
    """The doctor's display name (their account's full name)."""
    if doctor is None or doctor.user is None:
        return None
    return doctor.user.users_fullname


def related_value(column, condition, owner):
    """A column of a related row as a correlated scalar subquery of `owner` (built when asked):
    how a list sorts and searches by a name it shows."""
    def expression():
        return select(column).where(condition).correlate(owner).scalar_subquery()
    return expression


def doctor_name_of(owner):
    """The doctor's name of a row with `id_doctors`, as a correlated scalar subquery."""
    def expression():
        return (select(User.users_fullname).join(Doctor, Doctor.id_users == User.id)
                .where(Doctor.id == owner.id_doctors).correlate(owner).scalar_subquery())
    return expression


def day_order(column):
    """SQL ordering of a day-name column Monday first."""
    return case({day: index for index, day in enumerate(DAYS)}, value=column, else_=len(DAYS))


# ---- windows and slots ----------------------------------------------------------------------
def overlapping_window(doctor_id, day, start, end, exclude_id=None) -> PracticeWindow | None:
    """Another window of the doctor on that day sharing some time (touching is fine)."""
    stmt = select(PracticeWindow).where(
        PracticeWindow.id_doctors == doctor_id, PracticeWindow.hari == day,
        PracticeWindow.jam < end, PracticeWindow.jam_selesai > start)
    if exclude_id is not None:
        stmt = stmt.where(PracticeWindow.id != exclude_id)
    return db.session.execute(stmt.order_by(PracticeWindow.jam).limit(1)).scalars().first()


def windows_of(doctor_id, day=None, exclude_id=None) -> list[PracticeWindow]:
    """The doctor's practice windows (of one day when given), by start, without one of them."""
    stmt = select(PracticeWindow).where(PracticeWindow.id_doctors == doctor_id)
    if day is not None:
        stmt = stmt.where(PracticeWindow.hari == day)
    if exclude_id is not None:
        stmt = stmt.where(PracticeWindow.id != exclude_id)
    return db.session.execute(stmt.order_by(PracticeWindow.jam)).scalars().all()


def slot_item(slot: DoctorSchedule, windows=None) -> dict:
    """A slot as the weekly grid shows it: the slot, its end, and whether it fits in a
    practice window of its day (the doctor's windows of that day unless given)."""
    if windows is None:
        windows = windows_of(slot.id_doctors, slot.hari)
    return {"slot": slot, "end": slot_end(slot), "inside": fits(slot, windows)}


def weekly_schedule(doctor: Doctor) -> dict:
    """The doctor's windows and slots per day (Senin … Minggu): `windows` by start, `slots`
    by time then service, and `groups` (the slots per offer, by service name); each slot item
    has its end and whether it fits in a window. Slots of deleted offers are left out."""
    slots = db.session.execute(select(DoctorSchedule).options(
        selectinload(DoctorSchedule.offer).selectinload(DoctorService.service)
        .selectinload(Service.category)).where(
        DoctorSchedule.id_doctors == doctor.id,
        DoctorSchedule.id_doctor_services.in_(live_offerids_in()))
        .order_by(DoctorSchedule.jam, DoctorSchedule.id)).scalars().all()
    days = {day: {"windows": [], "slots": [], "groups": []} for day in DAYS}
    for window in windows_of(doctor.id):
        if window.hari in days:
            days[window.hari]["windows"].append(window)
    for slot in slots:
        if slot.hari in days:
            days[slot.hari]["slots"].append(slot_item(slot, days[slot.hari]["windows"]))
    for entry in days.values():
        entry["slots"].sort(key=lambda item: (item["slot"].jam,
                                              item["slot"].offer.service.services_name))
        groups = {}
        for item in entry["slots"]:
            offer = item["slot"].offer
            groups.setdefault(offer.id, {"offer": offer, "service": offer.service,
                                         "slots": []})["slots"].append(item)
        entry["groups"] = sorted(groups.values(), key=lambda group: (
            group["service"].services_name, group["offer"].id))
    return days


def slot_counts(offer: DoctorService) -> tuple[int, int]:
    """Slots of an offer: (active, all)."""
    total, active = db.session.execute(select(
        func.count(DoctorSchedule.id),
        func.coalesce(func.sum(case((DoctorSchedule.is_active.is_(True), 1), else_=0)), 0))
        .where(DoctorSchedule.id_doctor_services == offer.id)).one()
    return int(active), int(total)


def upcoming_holidays(days=HOLIDAY_DAYS) -> list[Holiday]:
    """Holidays from today to `days` ahead, in date order."""
    today = clinic_now().date()
    return db.session.execute(select(Holiday).where(
        Holiday.dates >= today, Holiday.dates <= today + timedelta(days=days))
        .order_by(Holiday.dates)).scalars().all()


def next_dates() -> dict:
    """The next date (today included) of each weekday: Senin … Minggu -> date."""
    today = clinic_now().date()
    return {DAYS[day.weekday()]: day for day in (today + timedelta(days=offset)
                                                for offset in range(7))}


# ---- choices for the staff forms and filters ------------------------------------------------
def candidate_user_choices():
    """Live accounts that are not doctors yet (for the create-doctor form)."""
    taken = select(Doctor.live_id_users).where(Doctor.live_id_users.is_not(None))
    return [(user.id, f"{user.users_fullname} ({user.username})") for user in db.session.execute(
        select(User).where(User.deleted_at.is_(None), User.id.not_in(taken))
        .order_by(User.users_fullname, User.id)).scalars()]


def doctor_choices():
    """Live doctors by name."""
    return [(doctor_id, name) for doctor_id, name in db.session.execute(
        select(Doctor.id, User.users_fullname).join(User, User.id == Doctor.id_users)
        .where(Doctor.deleted_at.is_(None)).order_by(User.users_fullname, Doctor.id))]


def service_choices():
    """Live services by name."""
    return [(service_id, name) for service_id, name in db.session.execute(
        select(Service.id, Service.services_name).where(Service.deleted_at.is_(None))
        .order_by(Service.services_name, Service.id))]


def offer_choices():
    """Live offers of live doctors: doctor — service (price)."""
    rows = db.session.execute(
        select(DoctorService).options(selectinload(DoctorService.doctor).selectinload(Doctor.user),
                                      selectinload(DoctorService.service))
        .where(DoctorService.id.in_(live_offerids_in()))).scalars().all()
    rows.sort(key=lambda row: (doctor_name(row.doctor) or "", row.service.services_name, row.id))
    return [(row.id, f"{doctor_name(row.doctor)} — {row.service.services_name} "
                     f"({rupiah(row.custom_price)})") for row in rows]


# ---- users/data -----------------------------------------------------------------------------
@user_data_part
def doctor_profile(user) -> dict:
    """users/data `doctors`: a DOCTOR's own profile with the services offered; [] otherwise."""
    if not has_doctor_role(user):
        return {"doctors": []}
    doctor = db.session.execute(select(Doctor).options(
        selectinload(Doctor.offers).selectinload(DoctorService.service)).where(
        Doctor.id_users == user.id, Doctor.deleted_at.is_(None))).scalars().first()
    if doctor is None:
        return {"doctors": []}
    services = [{"id": offer.id, "id_services": offer.id_services,
                 "services_name": offer.service.services_name,
                 "custom_price": offer.custom_price,
                 "doctor_buffer_time": offer.doctor_buffer_time,
                 "buffer_time": offer.service.buffer_time, "is_active": int(offer.is_active)}
                for offer in sorted(doctor.offers, key=lambda row: row.id)
                if offer.deleted_at is None]
    return {"doctors": [{"id": doctor.id, "custom_price": doctor.custom_price,
                         "is_active": int(doctor.is_active),
                         "short_description": doctor.short_description,
                         "availability_description": doctor.availability_description,
                         "services": services}]}
